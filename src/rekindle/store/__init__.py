"""The only package that runs SQL. Everything else calls these functions."""

from rekindle.store.database import Store, open_store

__all__ = ["Store", "open_store"]
