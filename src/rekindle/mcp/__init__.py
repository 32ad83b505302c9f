"""`rekindle mcp`: the Model Context Protocol adapter, like ``cli/`` and ``web/``."""
