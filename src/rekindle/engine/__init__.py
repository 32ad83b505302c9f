"""Who to reconnect with and why: scoring, tiers, medium, occasions, life events, goal and plan (pure)."""
