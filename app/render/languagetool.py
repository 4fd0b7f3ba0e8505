"""LanguageTool's JSON (``POST /v2/check``): what LT clients, LTeX and editor plugins already parse.

LanguageTool is written in Java, so every offset it returns counts UTF-16 code units, and clients
index their (also UTF-16) strings with them. precheck counts code points; an emoji before an error
would shift every highlight by one per emoji if the two were mixed up. ``Utf16Index`` converts.

Offsets refer to the text as the client sent it: for ``text`` that is the text; for ``data`` it is
the concatenation of every annotation part, markup included (that is how LanguageTool counts).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Any, Iterable

from .. import __version__, registry
from ..document import Field
from ..models import Finding, Report
from ..text import is_han

# check -> (LanguageTool category id, name). LT's own ids are kept where the meaning is the same.
CATEGORIES: dict[str, tuple[str, str]] = {
    "typo": ("TYPOS", "错别字"),
    "grammar": ("GRAMMAR", "语法"),
    "style": ("STYLE", "文风与排版"),
    "sensitive": ("SENSITIVE", "敏感内容"),
    "link": ("LINKS", "链接安全"),
    "media": ("MEDIA", "图片与媒体"),
    "privacy": ("PRIVACY", "隐私与保密"),
    "placeholder": ("PLACEHOLDER", "未完成内容"),
    "claims": ("CLAIMS", "未经核实的信息"),
}

# check -> ITS 2.0 localization-quality issue type, the vocabulary LT's ``issueType`` uses.
ISSUE_TYPES: dict[str, str] = {
    "typo": "misspelling",
    "grammar": "grammar",
    "style": "style",
    "sensitive": "non-conformance",
    "link": "non-conformance",
    "media": "legal",
    "privacy": "legal",
    "placeholder": "omission",
    "claims": "non-conformance",
}

SEVERITY_LABELS = {"block": "禁止发布", "error": "必须修改", "warning": "建议修改", "info": "提示"}

# LanguageTool shows this many characters of context on each side of a match.
CONTEXT_CHARS = 40
ELLIPSIS = "..."


def category_of(check: str) -> tuple[str, str]:
    return CATEGORIES.get(check, (check.upper(), check))


def utf16_len(s: str) -> int:
    return len(s) + sum(1 for ch in s if ord(ch) > 0xFFFF)


class Utf16Index:
    """Code-point offsets in ``text`` -> UTF-16 offsets, in O(log n) each after one pass."""

    def __init__(self, text: str):
        # Each character beyond the BMP is two UTF-16 units: remember where they are.
        self._astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]

    def __call__(self, offset: int) -> int:
        return offset + bisect.bisect_left(self._astral, offset)


@dataclass(frozen=True)
class AnnotatedText:
    """What the client sent (``original``) and the plain text precheck checks, with the map between.

    ``field.source`` is the original, ``field.text`` the plain text; ``field.to_source`` maps a
    plain span to the original, exactly as for a markdown or html draft.
    """

    field: Field

    @property
    def original(self) -> str:
        return self.field.source

    @property
    def plain(self) -> str:
        return self.field.text

    @classmethod
    def from_text(cls, text: str) -> AnnotatedText:
        return cls(Field("body", text))

    @classmethod
    def from_annotation(cls, parts: Iterable[dict[str, Any]]) -> AnnotatedText:
        """LT's ``data`` parts: ``{"text": …}`` is checked; ``{"markup": …, "interpretAs": …}`` is not,
        but its ``interpretAs`` (e.g. ``"\\n\\n"`` for ``</p>``) stands in for it in the plain text."""
        original: list[str] = []
        plain: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        pos = 0
        for part in parts:
            if "text" in part:
                text = part["text"]
                original.append(text)
                plain.append(text)
                starts.extend(range(pos, pos + len(text)))
                ends.extend(range(pos + 1, pos + len(text) + 1))
                pos += len(text)
            else:
                markup = part.get("markup", "")
                stand_in = part.get("interpretAs", "")
                original.append(markup)
                plain.append(stand_in)
                # Every stand-in character covers the whole markup, so a match on it selects the markup.
                starts.extend([pos] * len(stand_in))
                ends.extend([pos + len(markup)] * len(stand_in))
                pos += len(markup)
        return cls(Field("body", "".join(original), "".join(plain), starts, ends))


def _context(text: str, start: int, end: int, u16: Utf16Index) -> dict[str, Any]:
    lo = max(0, start - CONTEXT_CHARS)
    hi = min(len(text), end + CONTEXT_CHARS)
    prefix = ELLIPSIS if lo > 0 else ""
    suffix = ELLIPSIS if hi < len(text) else ""
    # Line breaks become spaces, as in LanguageTool, so the context fits one line; lengths are unchanged.
    window = text[lo:hi].replace("\r", " ").replace("\n", " ")
    return {"text": prefix + window + suffix,
            "offset": len(prefix) + u16(start) - u16(lo),
            "length": u16(end) - u16(start)}


def _sentence(field: Field, plain_start: int) -> str:
    s, e = field.sentence_at(plain_start)
    return field.text[s:e].strip()


def match(f: Finding, annotated: AnnotatedText, u16: Utf16Index) -> dict[str, Any]:
    """One finding (its offset in the plain text precheck checked) as a LanguageTool match."""
    field = annotated.field
    start, end = field.to_source(f.offset, f.offset + f.length)
    rule = registry.all_rules().get(f.rule)
    cat_id, cat_name = category_of(f.check)
    message = f.message + (f"（依据 {f.clause}）" if f.clause else "")
    return {
        "message": message,
        "shortMessage": SEVERITY_LABELS.get(f.severity, ""),
        "replacements": [{"value": s} for s in f.suggestions],
        "offset": u16(start),
        "length": u16(end) - u16(start),
        "context": _context(annotated.original, start, end, u16),
        "sentence": _sentence(field, f.offset),
        "type": {"typeName": "UnknownWord" if f.check == "typo"
                 else "Hint" if f.severity == "info" else "Other"},
        "rule": {"id": f.rule, "description": rule.description if rule else f.message,
                 "issueType": ISSUE_TYPES.get(f.check, "uncategorized"),
                 "category": {"id": cat_id, "name": cat_name}},
        "ignoreForIncompleteSentence": False,
        "contextForSureMatch": 0,
    }


def language_block(code: str, plain: str) -> dict[str, Any]:
    """precheck checks Chinese; for ``auto`` it says how much of the text is Chinese."""
    han = sum(1 for ch in plain if is_han(ch))
    letters = han + sum(1 for ch in plain if ch.isalpha() and ch.isascii())
    confidence = round(han / letters, 4) if letters else 0.0
    return {"name": "Chinese", "code": "zh-CN",
            "detectedLanguage": {"name": "Chinese", "code": "zh-CN", "confidence": confidence,
                                 "source": "precheck" if code == "auto" else "request"}}


def render(report: Report, annotated: AnnotatedText, findings: list[Finding], code: str) -> dict[str, Any]:
    """``findings``: the report's findings the request selected (rules, categories, level)."""
    u16 = Utf16Index(annotated.original)
    incomplete = any(c.status in ("failed", "degraded") for c in report.checks)
    return {
        "software": {"name": "precheck", "version": __version__, "buildDate": "", "apiVersion": 1,
                     "premium": False, "premiumHint": "", "status": ""},
        "warnings": {"incompleteResults": incomplete},
        "language": language_block(code, annotated.plain),
        "matches": [match(f, annotated, u16) for f in findings if f.field == "body"],
    }


LANGUAGES = [{"name": "Chinese", "code": "zh", "longCode": "zh-CN"}]
