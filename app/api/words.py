"""Admin endpoints for the words the company uses (``words.txt``): list, add, remove.

Edits go to the company overlay folder and take effect at once (the resources are rebuilt aside and
swapped). Every endpoint needs an admin key, as the lexicon endpoints do.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import BaseModel, Field

from .. import company_words
from ..models import Text
from ..resources import overlay_dir
from .auth import require

router = APIRouter(prefix="/v1/admin/words", tags=["admin"], dependencies=[Depends(require("admin"))])


class NewWords(BaseModel):
    words: list[Text] = Field(..., min_length=1, max_length=1000,
                                   description="product names, code names …: never typos, spacing and form kept")


def _where(request: Request):
    res = request.app.state.holder.current
    return res, overlay_dir(res.settings)


def _json(words, over) -> list[dict]:
    return [{"word": w, "source": "company" if folder == str(over) else folder} for w, folder in words]


@router.get("")
def list_words(request: Request) -> dict:
    """Every accepted word and the folder it comes from."""
    res, over = _where(request)
    return {"lexicon_version": res.lexicon_version, "words": _json(company_words.listing(res.lexicon_dirs), over)}


@router.post("", status_code=201, responses={422: {"description": "an empty or malformed word"}})
def add_words(body: NewWords, request: Request) -> dict:
    """Add words; they are accepted from the moment this returns."""
    _, over = _where(request)
    with company_words.lock():
        try:
            added = company_words.add(over, body.words)
        except company_words.WordError as e:
            raise HTTPException(422, detail=str(e)) from None
        res = request.app.state.holder.reload()
    return {"added": added, "lexicon_version": res.lexicon_version}


@router.delete("/{word}", responses={404: {"description": "not a word of the company overlay"}})
def remove_word(word: str, request: Request) -> dict:
    """Remove a word added through this API or ``precheck words add``."""
    _, over = _where(request)
    with company_words.lock():
        try:
            company_words.remove(over, word)
        except LookupError as e:
            raise HTTPException(404, detail=str(e)) from None
        res = request.app.state.holder.reload()
    return {"removed": word, "lexicon_version": res.lexicon_version}
