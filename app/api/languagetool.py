"""LanguageTool's HTTP API (``POST /v2/check``, ``GET /v2/languages``), so LT clients, LTeX, browser
extensions and editor plugins can use precheck with no new code: point their server URL here."""

from __future__ import annotations

import json
from dataclasses import dataclass

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from pydantic import ValidationError

from .. import pipeline
from ..catalog import check_names
from ..models import SEVERITY_RANK, Draft, Finding
from ..render import languagetool as lt
from . import auth
from .deps import holder

router = APIRouter(tags=["languagetool"])

LANGUAGE_CODES = {"auto", "zh", "zh-cn", "zh-hans", "zh-hans-cn", "zh-sg"}
LEVELS = ("default", "picky")


def _ids(value: str | None) -> frozenset[str]:
    return frozenset(x.strip().lower() for x in (value or "").split(",") if x.strip())


def _category_ids(value: str | None) -> frozenset[str]:
    # A category may be named by its LT id (TYPOS) or by the check it stands for (typo).
    by_name = {**{c.upper(): lt.category_of(c)[0] for c in check_names()},
               **{lt.category_of(c)[0]: lt.category_of(c)[0] for c in check_names()}}
    return frozenset(by_name.get(x.upper(), x.upper()) for x in _ids(value))


@dataclass(frozen=True)
class Selection:
    """Which findings a LanguageTool request asked for (rules and categories, ``enabledOnly``, ``level``)."""

    enabled_rules: frozenset[str] = frozenset()
    disabled_rules: frozenset[str] = frozenset()
    enabled_categories: frozenset[str] = frozenset()
    disabled_categories: frozenset[str] = frozenset()
    enabled_only: bool = False
    picky: bool = False

    @classmethod
    def parse(cls, enabled_rules: str | None = None, disabled_rules: str | None = None,
              enabled_categories: str | None = None, disabled_categories: str | None = None,
              enabled_only: bool = False, level: str = "default") -> Selection:
        if level not in LEVELS:
            raise HTTPException(422, detail=f"level must be one of {list(LEVELS)}, not {level!r}")
        sel = cls(_ids(enabled_rules), _ids(disabled_rules), _category_ids(enabled_categories),
                  _category_ids(disabled_categories), enabled_only, level == "picky")
        if enabled_only and not (sel.enabled_rules or sel.enabled_categories):
            raise HTTPException(422, detail="enabledOnly=true needs enabledRules or enabledCategories")
        return sel

    def _category_on(self, check: str) -> bool:
        return lt.category_of(check)[0] not in self.disabled_categories

    def checks(self) -> list[str] | None:
        """The checks worth running for this selection (None: all of them)."""
        if self.enabled_only:
            wanted = {r.split(".", 1)[0] for r in self.enabled_rules}
            wanted |= {c for c in check_names() if lt.category_of(c)[0] in self.enabled_categories}
        else:
            wanted = set(check_names())
        wanted = {c for c in wanted if c in check_names() and self._category_on(c)}
        return None if wanted == set(check_names()) else sorted(wanted)

    def keeps(self, f: Finding) -> bool:
        rule = f.rule.lower()
        category = lt.category_of(f.check)[0]
        if rule in self.disabled_rules or category in self.disabled_categories:
            return False
        if self.enabled_only and rule not in self.enabled_rules and category not in self.enabled_categories:
            return False
        # LanguageTool's "picky" level adds the pedantic rules; precheck's pedantic findings are its hints.
        return self.picky or SEVERITY_RANK[f.severity] > SEVERITY_RANK["info"]


def _annotated(text: str | None, data: str | None) -> lt.AnnotatedText:
    if (text is None) == (data is None):
        raise HTTPException(422, detail="send exactly one of the form fields 'text' and 'data'")
    if text is not None:
        return lt.AnnotatedText.from_text(text)
    try:
        parsed = json.loads(data)
    except ValueError as e:
        raise HTTPException(422, detail=f"'data' is not valid JSON: {e}") from None
    parts = parsed.get("annotation") if isinstance(parsed, dict) else None
    if not isinstance(parts, list) or not all(
            isinstance(p, dict) and (isinstance(p.get("text"), str) or isinstance(p.get("markup"), str))
            and isinstance(p.get("interpretAs", ""), str) for p in parts):
        raise HTTPException(422, detail="'data' must be {\"annotation\": [{\"text\": …} or "
                                        "{\"markup\": …, \"interpretAs\": …}, …]}")
    return lt.AnnotatedText.from_annotation(parts)


async def _api_key_as_bearer(request: Request, apiKey: str | None = Form(None)) -> None:
    """LT clients send their key as the form field ``apiKey``; precheck's keys travel as a Bearer token."""
    if apiKey and "authorization" not in request.headers:
        request.scope["headers"] = [*request.scope["headers"], (b"authorization", f"Bearer {apiKey}".encode())]
        request.__dict__.pop("_headers", None)


@router.post("/v2/check", dependencies=[Depends(_api_key_as_bearer), Depends(auth.require("author"))],
             summary="Check text, answering as a LanguageTool server does",
             responses={413: {"description": "text longer than PRECHECK_MAX_CHARS"},
                        422: {"description": "malformed request"}})
def check(
    request: Request,
    text: str | None = Form(None, description="the text to check"),
    data: str | None = Form(None, description='instead of text: {"annotation": [{"text": …}, {"markup": …, '
                                               '"interpretAs": …}]}; offsets then count the markup too'),
    language: str = Form("auto", description="zh-CN (or zh) or auto"),
    enabledRules: str | None = Form(None, description="comma-separated rule ids"),
    disabledRules: str | None = Form(None, description="comma-separated rule ids"),
    enabledCategories: str | None = Form(None, description="comma-separated category ids (TYPOS, PRIVACY, …)"),
    disabledCategories: str | None = Form(None, description="comma-separated category ids"),
    enabledOnly: bool = Form(False, description="only the rules and categories enabled above"),
    level: str = Form("default", description="default, or picky to include hints (info findings)"),
) -> dict:
    """Offsets and lengths count UTF-16 code units, as LanguageTool clients expect."""
    if language.lower() not in LANGUAGE_CODES:
        raise HTTPException(422, detail=f"precheck checks Chinese: language must be zh-CN, zh or auto, "
                                        f"not {language!r}")
    selection = Selection.parse(enabledRules, disabledRules, enabledCategories, disabledCategories,
                                enabledOnly, level)
    annotated = _annotated(text, data)
    try:
        annotated.original.encode("utf-8")
    except UnicodeEncodeError as e:
        raise HTTPException(422, detail=f"lone surrogate at position {e.start}: the text is not valid Unicode") from None
    res = holder(request).current
    if len(annotated.plain) > res.settings.max_chars:
        raise HTTPException(413, detail=f"text has {len(annotated.plain)} characters; the limit is "
                                        f"{res.settings.max_chars} (PRECHECK_MAX_CHARS)")
    try:
        draft = Draft(body=annotated.plain, checks=selection.checks())
    except ValidationError as e:
        raise HTTPException(422, detail=[{"loc": ["text"], "msg": err["msg"][:300], "type": err["type"]}
                                         for err in e.errors()]) from None
    report = pipeline.run(draft, res)
    findings = [f for f in report.findings if selection.keeps(f)]
    return lt.render(report, annotated, findings, language.lower())


@router.get("/v2/languages", summary="The languages this server checks (LanguageTool format)")
def languages() -> list[dict]:
    return lt.LANGUAGES
