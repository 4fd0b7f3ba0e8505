"""The check form for authors at ``GET /``: one HTML page, its script and stylesheet, all served by
the app itself (no CDN, no web fonts), so it works on a network with no way out."""

from __future__ import annotations

import hashlib
import html as html_escape
import json
from functools import lru_cache
from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from .. import catalog
from .deps import holder

STATIC_DIR = Path(__file__).resolve().parent.parent / "web" / "static"
ASSETS = {"app.js": "text/javascript; charset=utf-8", "app.css": "text/css; charset=utf-8"}

# Only this origin may serve scripts, styles and requests: a pasted draft can never pull in code.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "font-src 'none'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
           "Cache-Control": "no-cache"}

router = APIRouter(include_in_schema=False)


@lru_cache(maxsize=None)
def _asset(name: str) -> tuple[bytes, str]:
    data = (STATIC_DIR / name).read_bytes()
    return data, hashlib.sha256(data).hexdigest()[:16]


@lru_cache(maxsize=4)  # keyed by the limit, which a settings reload may change
def _page(max_chars: int) -> bytes:
    html = (STATIC_DIR / "index.html").read_text(encoding="utf-8")
    # Asset URLs carry their content hash, so a browser never runs a script older than the page.
    for name in ASSETS:
        html = html.replace(f"/static/{name}", f"/static/{name}?v={_asset(name)[1]}")
    # The checks' labels come from the catalogue, as every other place that names a check.
    labels = json.dumps({s.name: s.label for s in catalog.specs()}, ensure_ascii=False)
    return (html.replace("__MAX_CHARS__", str(max_chars))
            .replace("__CHECK_LABELS__", html_escape.escape(labels, quote=True)).encode("utf-8"))


@router.get("/")
def index(request: Request) -> Response:
    body = _page(holder(request).current.settings.max_chars)
    return Response(body, media_type="text/html; charset=utf-8", headers=HEADERS)


@router.get("/static/{name}")
def asset(name: str) -> Response:
    if name not in ASSETS:
        raise HTTPException(404, detail=f"no such file: {name}")
    data, digest = _asset(name)
    return Response(data, media_type=ASSETS[name], headers={**HEADERS, "ETag": f'"{digest}"'})
