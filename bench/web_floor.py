"""The framework's floor for the web load benchmark: one trivial FastAPI page.

Served the way ``rekindle serve`` serves the real app (one uvicorn process, the same
settings), with a plain ``def`` endpoint as the real pages have, so the difference to the real
pages is what Rekindle does per request.

    python bench/web_floor.py --port 8801
"""

from __future__ import annotations

import argparse

import uvicorn
from fastapi import FastAPI
from fastapi.responses import HTMLResponse

app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)


@app.get("/")
def floor() -> HTMLResponse:
    return HTMLResponse("<!doctype html><title>floor</title><p>hello</p>")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8801)
    args = parser.parse_args()
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", server_header=False)
