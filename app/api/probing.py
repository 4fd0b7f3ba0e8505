"""Who may turn link probing on for one request when the server has it off.

Probing makes the server fetch URLs a client chose; an administrator who turned it off
(``PRECHECK_PROBE_LINKS=false``) decides which roles may still ask for it
(``PRECHECK_PROBE_LINKS_ROLES``, e.g. ``editor,admin``; empty: nobody). Asking to turn it off is always allowed.
"""

from __future__ import annotations

from fastapi import HTTPException

from ..settings import Settings
from .auth import Principal


def allowed_roles(settings: Settings) -> frozenset[str]:
    return frozenset(r.strip() for r in settings.probe_links_roles.split(",") if r.strip())


def probe_links_for(requested: bool | None, who: Principal, settings: Settings) -> bool | None:
    """The request's ``probe_links`` once checked against the server's setting (403 when not allowed)."""
    if requested and not settings.probe_links and who.role not in allowed_roles(settings):
        raise HTTPException(403, detail="link probing is off on this server and the role "
                                        f"{who.role!r} may not turn it on (PRECHECK_PROBE_LINKS_ROLES)")
    return requested
