"""API keys, roles and the per-key rate limit.

Keys come from three places: ``PRECHECK_API_KEYS`` = ``name:role:key,...`` (roles author < editor
< admin), ``PRECHECK_ADMIN_KEYS`` = ``name:key,...`` or bare keys (all admin), and keys made with
``precheck keys create`` (only their SHA-256 digest is in the database). When any key exists, every
``/v1`` endpoint needs ``Authorization: Bearer <key>`` (the ``gate`` dependency, installed on the
whole app); without keys the checking endpoints are open (a single-user install) and admin
endpoints stay closed. ``require(role)`` guards an endpoint by role.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import threading
import time
from dataclasses import dataclass
from functools import lru_cache

from fastapi import HTTPException, Request

from ..settings import Settings
from .deps import app_settings
from .ratelimit import RateLimiter, retry_after

log = logging.getLogger("precheck")

ROLES = ("author", "editor", "admin")
RANK = {r: i for i, r in enumerate(ROLES)}
# A key made or revoked with the CLI is seen by running servers within this many seconds.
DB_KEY_TTL = 5.0


@dataclass(frozen=True)
class Principal:
    name: str
    role: str
    anonymous: bool = False

    def at_least(self, role: str) -> bool:
        return RANK[self.role] >= RANK[role]


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@lru_cache(maxsize=8)
def _parse_env_keys(api_keys: str, admin_keys: str) -> dict[str, Principal]:
    keys: dict[str, Principal] = {}
    for item in filter(None, (x.strip() for x in api_keys.split(","))):
        parts = item.split(":", 2)
        if len(parts) == 3 and parts[1] in ROLES and parts[2]:
            keys[_digest(parts[2])] = Principal(parts[0], parts[1])
        else:
            log.error("PRECHECK_API_KEYS: ignoring an entry that is not name:role:key with role in %s", ROLES)
    for item in filter(None, (x.strip() for x in admin_keys.split(","))):
        name, _, key = item.rpartition(":")
        keys[_digest(key)] = Principal(name or "admin", "admin")
    return keys


def configured_keys(s: Settings) -> dict[str, Principal]:
    """Key digest -> principal, from the settings (keys are compared by digest, never kept)."""
    return _parse_env_keys(s.api_keys, s.admin_keys)


class DatabaseKeys:
    """Keys made with ``precheck keys create``, looked up in the audit store with a short cache."""

    def __init__(self, store):
        self.store = store
        self._lock = threading.Lock()
        self._any: tuple[bool, float] | None = None  # (keys exist, when learned)
        self._found: dict[str, tuple[Principal | None, float]] = {}

    def any(self) -> bool | None:
        """Whether the database holds an active key; None when it has never been reachable."""
        from ..store import StoreUnavailable, repository

        now = time.monotonic()
        known = self._any
        if known is not None and now - known[1] < DB_KEY_TTL:
            return known[0]
        try:
            with self.store.session() as s:
                value = repository.has_keys(s)
        except StoreUnavailable:
            return None if known is None else known[0]  # the last answer stands during an outage
        self._any = (value, now)
        return value

    def lookup(self, digest: str) -> Principal | None:
        from ..store import StoreUnavailable, repository

        now = time.monotonic()
        hit = self._found.get(digest)
        if hit is not None and now - hit[1] < DB_KEY_TTL:
            return hit[0]
        try:
            with self.store.session() as s:
                row = repository.find_key(s, digest)
                principal = Principal(row.name, row.role) if row is not None else None
        except StoreUnavailable:
            if hit is not None:
                return hit[0]
            raise HTTPException(503, detail="the key store is unavailable; try again shortly",
                                headers={"Retry-After": "5"}) from None
        with self._lock:
            if len(self._found) > 10_000:  # wrong keys must not grow the cache without bound
                self._found.clear()
            self._found[digest] = (principal, now)
        return principal


def _db_keys(request: Request) -> DatabaseKeys | None:
    return getattr(request.app.state, "db_keys", None)


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def keys_exist(request: Request) -> bool:
    if configured_keys(app_settings(request)):
        return True
    db = _db_keys(request)
    if db is None:
        return False
    value = db.any()
    if value is None:
        # Never reached the database: whether keys are needed is unknown, so refuse rather than open.
        raise HTTPException(503, detail="the key store is unavailable; try again shortly",
                            headers={"Retry-After": "5"})
    return value


def authenticate(request: Request) -> Principal | None:
    """The key's principal; None without a key; 401 for a key nobody issued."""
    token = _bearer(request)
    if token is None:
        return None
    digest = _digest(token)
    for known, principal in configured_keys(app_settings(request)).items():
        if hmac.compare_digest(known, digest):
            return principal
    db = _db_keys(request)
    principal = db.lookup(digest) if db is not None else None
    if principal is not None:
        return principal
    raise HTTPException(401, detail="unknown API key", headers={"WWW-Authenticate": "Bearer"})


_limiters: dict[tuple[int, float], RateLimiter] = {}


def _limit(request: Request, principal: Principal) -> None:
    s = app_settings(request)
    if not s.rate_limit:
        return
    limiter = _limiters.get((s.rate_limit, s.rate_window))
    if limiter is None:
        limiter = _limiters.setdefault((s.rate_limit, s.rate_window), RateLimiter(s.rate_limit, s.rate_window))
    who = principal.name if not principal.anonymous else f"anonymous@{request.client.host if request.client else ''}"
    wait = limiter.take(who)
    if wait:
        raise HTTPException(429, detail=f"rate limit of {s.rate_limit} requests per {s.rate_window:g} s "
                                        f"reached for {who!r}; retry after {retry_after(wait)} s",
                            headers={"Retry-After": retry_after(wait)})


def _admit(request: Request) -> Principal | None:
    """Authenticate and rate-limit a request once, however many dependencies ask."""
    if getattr(request.state, "admitted", False):
        return request.state.principal
    principal = authenticate(request)
    if principal is None and not keys_exist(request):
        principal = Principal("anonymous", "author", anonymous=True)
    if principal is not None:
        _limit(request, principal)
    request.state.admitted = True
    request.state.principal = principal
    return principal


def _missing_key() -> HTTPException:
    return HTTPException(401, detail="missing API key: send Authorization: Bearer <key>",
                         headers={"WWW-Authenticate": "Bearer"})


def gate(request: Request) -> None:
    """Installed on the whole app: with keys configured, every /v1 endpoint needs one."""
    if request.url.path.startswith("/v1/") and _admit(request) is None:
        raise _missing_key()


def require(role: str):
    """A dependency: the caller must hold ``role`` or a higher one."""
    if role not in RANK:
        raise ValueError(f"unknown role {role!r}; roles: {ROLES}")

    def dependency(request: Request) -> Principal:
        principal = _admit(request)
        if principal is None:
            raise _missing_key()
        if principal.anonymous:
            if role == "admin":
                raise HTTPException(403, detail="admin endpoints are disabled: set PRECHECK_ADMIN_KEYS or "
                                                "create an admin key (precheck keys create --role admin)")
            return Principal("anonymous", role, anonymous=True)
        if not principal.at_least(role):
            raise HTTPException(403, detail=f"key {principal.name!r} has role {principal.role}; "
                                            f"this endpoint needs {role}")
        return principal

    return dependency
