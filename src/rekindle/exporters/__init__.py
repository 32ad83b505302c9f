"""Exports of everything a user keeps in Rekindle, so nobody is locked in."""
