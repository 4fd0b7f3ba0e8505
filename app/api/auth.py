"""API keys and roles.

``PRECHECK_API_KEYS`` = ``name:role:key,...`` (roles author < editor < admin); ``PRECHECK_ADMIN_KEYS``
= ``name:key,...`` or bare keys, all with the admin role. When no key is configured the ``/v1``
checking endpoints are open (a single-user install), but admin endpoints stay closed.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from fastapi import HTTPException, Request

from ..settings import get_settings

ROLES = ("author", "editor", "admin")
RANK = {r: i for i, r in enumerate(ROLES)}


@dataclass(frozen=True)
class Principal:
    name: str
    role: str


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def configured_keys() -> dict[str, Principal]:
    """Key digest -> principal, from the environment (keys are compared by digest, never stored)."""
    s = get_settings()
    keys: dict[str, Principal] = {}
    for item in filter(None, (x.strip() for x in s.api_keys.split(","))):
        parts = item.split(":", 2)
        if len(parts) == 3 and parts[1] in ROLES and parts[2]:
            keys[_digest(parts[2])] = Principal(parts[0], parts[1])
    for item in filter(None, (x.strip() for x in s.admin_keys.split(","))):
        name, _, key = item.rpartition(":")
        keys[_digest(key)] = Principal(name or "admin", "admin")
    return keys


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def authenticate(request: Request) -> Principal | None:
    keys = configured_keys()
    token = _bearer(request)
    if token is None:
        return None
    digest = _digest(token)
    for known, principal in keys.items():
        if hmac.compare_digest(known, digest):
            return principal
    raise HTTPException(401, detail="unknown API key", headers={"WWW-Authenticate": "Bearer"})


def require(role: str):
    """A dependency: the caller must hold ``role`` or a higher one."""

    def dependency(request: Request) -> Principal:
        keys_exist = bool(configured_keys())
        principal = authenticate(request)
        if principal is None:
            if not keys_exist and role != "admin":
                return Principal("anonymous", role)
            if not keys_exist:
                raise HTTPException(403, detail="admin endpoints are disabled: set PRECHECK_ADMIN_KEYS")
            raise HTTPException(401, detail="missing API key: send Authorization: Bearer <key>",
                                headers={"WWW-Authenticate": "Bearer"})
        if RANK[principal.role] < RANK[role]:
            raise HTTPException(403, detail=f"key {principal.name!r} has role {principal.role}; "
                                            f"this endpoint needs {role}")
        request.state.principal = principal
        return principal

    return dependency
