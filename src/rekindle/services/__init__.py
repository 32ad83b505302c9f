"""Orchestration over the store and the domain: import, people, merges, export."""
