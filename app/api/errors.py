"""Every bad input gets a clear JSON ``detail``; nothing reaches the client as a 500 traceback."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

log = logging.getLogger("precheck")


def _safe(s: object) -> str:
    # Messages may quote input; lone surrogates and huge values must not break the response.
    text = str(s)
    text = text.encode("utf-8", "replace").decode("utf-8")
    return text if len(text) <= 300 else text[:300] + "…"


def _describe(err: dict) -> dict:
    loc = [str(p) for p in err.get("loc", ())]
    return {"loc": loc, "msg": _safe(err.get("msg", "invalid value")), "type": err.get("type", "value_error")}


# What any endpoint may answer besides its success, each with a JSON ``detail``: listed in the
# OpenAPI document so generated clients and schema-driven tests expect them.
_DETAIL = {"application/json": {"schema": {"type": "object", "required": ["detail"],
                                           "properties": {"detail": {}}}}}
COMMON_RESPONSES = {code: {"description": why, "content": _DETAIL} for code, why in (
    (401, "missing or unknown API key"), (403, "the key's role may not do this"), (404, "no such record"),
    (413, "request larger than the limits"), (422, "malformed request"), (429, "rate limit reached"),
    (503, "the audit store is unavailable; retry later"))}


def install(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError):
        errors = [_describe(e) for e in exc.errors()]
        return JSONResponse(status_code=422, content={"detail": errors})

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        headers = getattr(exc, "headers", None)
        if exc.status_code == 405:
            headers = {**(headers or {}), "Allow": _allowed(request)}
        return JSONResponse(status_code=_status(exc), content={"detail": exc.detail}, headers=headers)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception):
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return JSONResponse(status_code=500, content={"detail": "internal error; the server log has the details"})


def _allowed(request: Request) -> str:
    """Every method the path supports: the router names only those of the first route matching the
    path, and one path may be served by several routes (GET and POST /v1/admin/words)."""
    methods: set[str] = set()
    for route in request.app.routes:
        match, _ = route.matches({**request.scope, "method": ""})
        if match is not Match.NONE:
            methods |= getattr(route, "methods", None) or set()
    return ", ".join(sorted(methods))


def _status(exc: StarletteHTTPException) -> int:
    # The framework answers 400 for a body it cannot parse (JSON nested too deep, a form field over
    # its size): the contract promises 413 for too large and 422 for malformed.
    if exc.status_code != 400:
        return exc.status_code
    return 413 if "maximum size" in str(exc.detail) or "Too many" in str(exc.detail) else 422


class BodySizeLimit:
    """Refuse request bodies larger than ``limit`` bytes before they are read into memory (413)."""

    def __init__(self, app, limit: int, paths: dict[str, int] | None = None):
        self.app = app
        self.limit = limit
        self.paths = paths or {}  # endpoints that take files (images) have their own, larger limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = self.paths.get(scope.get("path", ""), self.limit)
        for name, value in scope.get("headers", ()):
            if name == b"content-length" and value.isdigit() and int(value) > limit:
                return await self._reject(send, limit)
        seen = 0

        async def limited():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise _TooLarge()
            return message

        try:
            await self.app(scope, limited, send)
        except _TooLarge:
            await self._reject(send, limit)

    async def _reject(self, send, limit: int):
        body = ('{"detail":"request body larger than %d bytes"}' % limit).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


class _TooLarge(Exception):
    pass
