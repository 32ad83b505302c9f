"""What to write: drafts, their checks, templates, model prompts and the calendar feed (pure)."""
