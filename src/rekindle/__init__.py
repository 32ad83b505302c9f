"""Rekindle: reconnect with the people you have lost touch with."""

__version__ = "0.1.0"
