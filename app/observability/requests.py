"""One log line and the metrics of every HTTP request, under a request id sent back as ``X-Request-ID``.

A client's own ``X-Request-ID`` is kept when it is a plain token (so a trace can cross the load
balancer); otherwise a new one is made. The line carries the method, route, status, duration, the
key's name and the audit outcome, never the draft. Endpoints add ids and outcomes through ``request.state`` (``_FROM_ENDPOINTS``).
"""

from __future__ import annotations

import logging
import re
import time
import uuid

from . import metrics

log = logging.getLogger("precheck.access")
HEADER = "X-Request-ID"
# What an endpoint may add to its request's line (through request.state): ids and outcomes only.
_FROM_ENDPOINTS = ("check_id", "verdict", "tier", "record")
_TOKEN = re.compile(r"[A-Za-z0-9._:-]{1,128}")


def _request_id(scope) -> str:
    for name, value in scope.get("headers", ()):
        if name == b"x-request-id":
            try:
                given = value.decode("ascii")
            except UnicodeDecodeError:
                break
            if _TOKEN.fullmatch(given):
                return given
            break
    return uuid.uuid4().hex


def _endpoint(scope) -> str:
    # The route template (/v1/checks/{check_id}), never the raw path: ids must not become labels.
    route = scope.get("route")
    return getattr(route, "path", None) or "unmatched"


class RequestLog:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        rid = _request_id(scope)
        scope.setdefault("state", {})["request_id"] = rid
        t0 = time.perf_counter()
        status = 500

        async def sending(message):
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", [])
                message["headers"] = list(message["headers"]) + [(b"x-request-id", rid.encode())]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            elapsed = time.perf_counter() - t0
            endpoint = _endpoint(scope)
            metrics.REQUESTS.labels(scope["method"], endpoint, str(status)).inc()
            metrics.LATENCY.labels(scope["method"], endpoint).observe(elapsed)
            state = scope.get("state", {})
            principal = state.get("principal")
            client = scope.get("client")
            log.info("%s %s %d", scope["method"], endpoint, status, extra={
                "request_id": rid, "method": scope["method"], "path": scope.get("path"), "endpoint": endpoint,
                "status": status, "duration_ms": round(elapsed * 1000, 2),
                "client": client[0] if client else None,
                "key": getattr(principal, "name", None),
                **{k: state[k] for k in _FROM_ENDPOINTS if k in state}})
