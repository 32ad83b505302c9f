"""What a message or meeting is, which mail counts as an interaction, and the statistics of a tie (pure)."""
