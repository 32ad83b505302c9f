"""The web app: `rekindle serve`; see docs/web.md."""
