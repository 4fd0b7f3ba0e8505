"""For the operator: ``/readyz`` (can this replica take traffic?) and ``/metrics`` (Prometheus).

``/healthz`` (the process is alive) is with the checking endpoints. ``/metrics`` is open to
loopback clients by default; ``PRECHECK_METRICS_ALLOW`` (``any``, or networks such as
``loopback,10.0.0.0/8``) and ``PRECHECK_METRICS_TOKEN`` (a bearer token) say who else may scrape.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import time
from functools import lru_cache

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy import text

from ..observability import metrics
from .deps import app_settings, current, store

router = APIRouter(tags=["ops"])
log = logging.getLogger("precheck")

_LOOPBACK = (ipaddress.ip_network("127.0.0.0/8"), ipaddress.ip_network("::1/128"))


@lru_cache(maxsize=4)
def _networks(allow: str) -> tuple | None:
    """None admits everyone."""
    allow = allow.strip().lower()
    if allow in ("any", "all", "*"):
        return None
    nets = []
    for item in filter(None, (x.strip() for x in allow.split(","))):
        if item == "loopback":
            nets.extend(_LOOPBACK)
        else:
            try:
                nets.append(ipaddress.ip_network(item, strict=False))
            except ValueError:
                log.error("PRECHECK_METRICS_ALLOW: ignoring %r, which is not a network", item)
    return tuple(nets)


def _may_scrape(request: Request) -> bool:
    s = app_settings(request)
    header = request.headers.get("authorization", "")
    if s.metrics_token and hmac.compare_digest(header, f"Bearer {s.metrics_token}"):
        return True
    nets = _networks(s.metrics_allow)
    if nets is None:
        return True
    try:
        addr = ipaddress.ip_address(request.client.host if request.client else "")
    except ValueError:
        return False
    return any(addr in n for n in nets)


def scrape_state(request: Request) -> dict:
    sync = getattr(request.app.state, "overlay_sync", None)
    return {"spool_depth": store(request).spool.pending(),
            "overlay_version": sync.version if sync is not None else 0,
            "lexicon_version": current(request).lexicon_version}


@router.get("/metrics", include_in_schema=False)
def prometheus(request: Request) -> Response:
    if not _may_scrape(request):
        raise HTTPException(403, detail="/metrics is open to loopback by default: set PRECHECK_METRICS_ALLOW "
                                        "or send PRECHECK_METRICS_TOKEN as a bearer token")
    body, content_type = metrics.exposition(lambda: scrape_state(request))
    return Response(body, media_type=content_type)


def _timed(probe) -> dict:
    t0 = time.perf_counter()
    try:
        probe()
    except Exception as e:  # any failure of a dependency means "not ready", with the reason
        return {"status": "down", "detail": f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"[:200],
                "elapsed_ms": round((time.perf_counter() - t0) * 1000, 1)}
    return {"status": "ok", "elapsed_ms": round((time.perf_counter() - t0) * 1000, 1)}


def _database(store) -> None:
    with store.session() as s:
        s.execute(text("SELECT 1"))


def _redis(url: str) -> None:
    import redis

    client = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
    try:
        client.ping()
    finally:
        client.close()


@router.get("/readyz", responses={503: {"description": "an engine, the database or Redis is not usable"}})
def readyz(request: Request) -> JSONResponse:
    """200 when the engines are loaded and the database (and Redis, when configured) answer; else 503."""
    res = current(request)
    failed = sorted(n for n, c in res.checks.items() if c.status == "failed")
    deps = {"engines": {"status": "down" if failed else "ok", "loaded": len(res.checks), "failed": failed},
            "database": _timed(lambda: _database(store(request)))}
    if res.settings.redis_url:
        deps["redis"] = _timed(lambda: _redis(res.settings.redis_url))
    ready = all(d["status"] == "ok" for d in deps.values())
    return JSONResponse({"status": "ready" if ready else "not-ready", "lexicon_version": res.lexicon_version,
                         "dependencies": deps}, status_code=200 if ready else 503)
