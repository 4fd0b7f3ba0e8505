"""``precheck keys``: API keys kept (as SHA-256 digests) in the audit store."""

from __future__ import annotations

from enum import Enum
from typing import Optional

import typer
from rich.console import Console

keys_app = typer.Typer(no_args_is_help=True, help="API keys stored in the database (hashed).")
err = Console(stderr=True, highlight=False)


class Role(str, Enum):
    author = "author"
    editor = "editor"
    admin = "admin"


def _fail(message: str) -> None:
    err.print(f"precheck: error: {message}", markup=False, soft_wrap=True)
    raise typer.Exit(2)


def _store():
    from .settings import get_settings
    from .store import AuditStore

    return AuditStore(get_settings())


@keys_app.command("create")
def create(role: Role = typer.Option(..., "--role", help="author | editor | admin"),
           name: Optional[str] = typer.Option(None, "--name", help="who holds the key (default: role-<random>)")
           ) -> None:
    """Make a key and print it once: only its digest is stored, it cannot be shown again."""
    import secrets

    from .store import StoreUnavailable, repository

    name = (name or f"{role.value}-{secrets.token_hex(3)}").strip()
    if not name or ":" in name or "," in name or len(name) > 200:
        _fail("--name must be 1-200 characters without ':' or ','")
    store = _store()
    try:
        with store.session() as s:
            key = repository.create_key(s, name, role.value)
    except ValueError as e:
        _fail(str(e))
    except StoreUnavailable as e:
        _fail(f"the database is unavailable: {e}")
    finally:
        store.db.dispose()
    err.print(f"created {role.value} key {name!r}; it is shown only now:", markup=False)
    typer.echo(key)


@keys_app.command("list")
def list_keys() -> None:
    """Names, roles and dates of the stored keys (never the keys)."""
    from .store import StoreUnavailable, repository
    from .store.records import iso

    store = _store()
    try:
        with store.session() as s:
            rows = repository.list_keys(s)
    except StoreUnavailable as e:
        _fail(f"the database is unavailable: {e}")
    finally:
        store.db.dispose()
    out = Console(highlight=False)
    for k in rows:
        state = f"revoked {iso(k.revoked_at)}" if k.revoked_at else "active"
        out.print(f"{k.name:24} {k.role:7} created {iso(k.created_at)}  {state}", markup=False)


@keys_app.command("revoke")
def revoke(name: str = typer.Argument(..., help="the key's name")) -> None:
    """Revoke a key; running servers refuse it within a few seconds."""
    from .store import StoreUnavailable, repository

    store = _store()
    try:
        with store.session() as s:
            done = repository.revoke_key(s, name)
    except StoreUnavailable as e:
        _fail(f"the database is unavailable: {e}")
    finally:
        store.db.dispose()
    if not done:
        _fail(f"no active key named {name!r}")
    err.print(f"revoked {name!r}", markup=False)
