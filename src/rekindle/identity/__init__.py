"""Who a person is: names, addresses, phones and profile URLs, matching records and suggesting merges (pure)."""
