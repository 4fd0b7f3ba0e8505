"""The API documentation at ``/docs`` (Swagger UI) and ``/redoc`` (ReDoc), with every asset served
by the app: the company intranet has no way out to a CDN, and FastAPI's own pages load from one.

The script and style files are those bundled in the ``fastapi-offline`` package; nothing is fetched.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse

ASSET_PATH = "/docs/assets"
_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8", ".png": "image/png",
          ".ico": "image/x-icon"}

router = APIRouter(include_in_schema=False)


@lru_cache(maxsize=1)
def asset_dir() -> Path:
    import fastapi_offline

    return Path(fastapi_offline.__file__).resolve().parent / "static"


@lru_cache(maxsize=1)
def _assets() -> dict[str, Path]:
    return {p.name: p for p in asset_dir().iterdir() if p.suffix in _TYPES}


def _favicon() -> str:
    return f"{ASSET_PATH}/favicon.png" if "favicon.png" in _assets() else "data:,"


@router.get("/docs")
def swagger(request: Request) -> HTMLResponse:
    app = request.app
    return get_swagger_ui_html(openapi_url=app.openapi_url, title=f"{app.title} · API",
                               swagger_js_url=f"{ASSET_PATH}/swagger-ui-bundle.js",
                               swagger_css_url=f"{ASSET_PATH}/swagger-ui.css",
                               swagger_favicon_url=_favicon())


@router.get("/redoc")
def redoc(request: Request) -> HTMLResponse:
    app = request.app
    return get_redoc_html(openapi_url=app.openapi_url, title=f"{app.title} · API",
                          redoc_js_url=f"{ASSET_PATH}/redoc.standalone.js", redoc_favicon_url=_favicon(),
                          with_google_fonts=False)


@router.get(ASSET_PATH + "/{name}")
def asset(name: str) -> FileResponse:
    path = _assets().get(name)
    if path is None:
        raise HTTPException(404, detail=f"no such file: {name}")
    return FileResponse(path, media_type=_TYPES[path.suffix], headers={"Cache-Control": "public, max-age=86400"})
