"""Admin endpoints for the sensitive-word lexicons: list, add and remove terms per category.

Edits are written to the company overlay folder (``<data_dir>/lexicons``) and take effect at once:
the resources are rebuilt aside and swapped, so requests in flight finish on the old lexicon.
Every endpoint needs an admin key (``PRECHECK_ADMIN_KEYS``): 401 without or with an unknown key,
403 for a key of a lower role.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import BaseModel, Field, StrictBool, StrictStr

from ..resources import overlay_dir
from ..sensitive import lexicon as sensitive_lexicon
from ..sensitive import overlay
from ..sensitive.lexicon import TermError
from .auth import require
from .deps import holder

router = APIRouter(prefix="/v1/admin/lexicons", tags=["admin"], dependencies=[Depends(require("admin"))])


class NewTerm(BaseModel):
    term: StrictStr = Field(..., description="the term as it should be matched; evasion forms need no listing")
    pinyin: StrictBool = Field(False, description="also match the term written in pinyin (shabi, sha逼)")
    initials: StrictBool = Field(False, description="also match its pinyin initials (sb)")


def _dirs(request: Request) -> tuple[list[Path], Path]:
    res = holder(request).current
    return list(res.lexicon_dirs), overlay_dir(res.settings)


def _category(dirs: list[Path], name: str) -> sensitive_lexicon.Category:
    categories = sensitive_lexicon.load_categories(dirs)
    if name not in categories:
        raise HTTPException(404, detail=f"unknown category {name!r}; categories: {sorted(categories)}")
    return categories[name]


def _term_json(t: sensitive_lexicon.Term, overlay_path: Path) -> dict:
    return {"term": t.text, "key": t.key, "flags": sorted(t.flags),
            "source": "company" if Path(t.folder) == overlay_path else t.folder}


@router.get("/sensitive")
def list_categories(request: Request) -> dict:
    """Every category with its severity, clause and number of terms."""
    dirs, _ = _dirs(request)
    lex = sensitive_lexicon.load(dirs)
    return {"lexicon_version": holder(request).current.lexicon_version,
            "categories": [{"name": c.name, "title": c.title, "severity": c.severity, "clause": c.clause,
                            "channel_severity": c.channel_severity, "terms": len(lex.by_category(c.name))}
                           for c in lex.categories.values()]}


@router.get("/sensitive/{category}")
def list_terms(category: str, request: Request) -> dict:
    """The terms of one category now in effect (bundled, company folders, admin edits)."""
    dirs, over = _dirs(request)
    cat = _category(dirs, category)
    lex = sensitive_lexicon.load(dirs)
    return {"category": cat.name, "severity": cat.severity, "clause": cat.clause,
            "terms": [_term_json(t, over) for t in lex.by_category(category)]}


def _max_length(request: Request) -> int:
    return holder(request).current.catalog.options["sensitive"].max_term_length


@router.post("/sensitive/{category}/terms", status_code=201,
             responses={401: {"description": "no or unknown key"}, 403: {"description": "not an admin key"},
                        404: {"description": "unknown category"},
                        422: {"description": "empty, too long, duplicate or malformed term"}})
def add_term(category: str, body: NewTerm, request: Request) -> dict:
    """Add a term; it is matched from the moment this returns."""
    dirs, over = _dirs(request)
    _category(dirs, category)
    flags = [f for f, on in (("pinyin", body.pinyin), ("initials", body.initials)) if on]
    with overlay.lock():
        try:
            term = overlay.add(dirs, over, category, body.term, flags, _max_length(request))
        except TermError as e:
            raise HTTPException(422, detail=f"term {body.term!r} rejected: {e}") from None
        res = holder(request).reload()
    return {"category": category, **_term_json(term, over), "lexicon_version": res.lexicon_version}


@router.delete("/sensitive/{category}/terms/{term:path}",
               responses={404: {"description": "unknown category or term"}})
def remove_term(category: str, term: str, request: Request) -> dict:
    """Remove a term (a bundled one too: it is withdrawn in the company overlay, not deleted)."""
    dirs, over = _dirs(request)
    _category(dirs, category)
    with overlay.lock():
        try:
            removed = overlay.remove(dirs, over, category, term)
        except overlay.NotFound as e:
            raise HTTPException(404, detail=str(e)) from None
        res = holder(request).reload()
    return {"category": category, "removed": _term_json(removed, over), "lexicon_version": res.lexicon_version}


@router.post("/reload")
def reload(request: Request) -> dict:
    """Rebuild the resources from the lexicon folders now (as SIGHUP does)."""
    with overlay.lock():
        res = holder(request).reload()
    return {"lexicon_version": res.lexicon_version, "load_ms": round(res.load_ms, 1)}
