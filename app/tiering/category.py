"""Content category of clause 三(二), and whether the content is unrelated to work (三(一)4, 一(三)3).

Cue words of each category add the category's weight per occurrence (the title counts
``title_factor`` times); the best category wins if it reaches ``category_min``, else ``other``.
Content whose unrelated-to-work cues reach ``unrelated_min`` and outweigh every work category is
``other`` and flagged unrelated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..document import Document
from ..wordbounds import WordBounds
from .rules import CategoryCues, TierRules

CATEGORIES = ("work_update", "business_knowledge", "corporate_culture", "other")


@dataclass(frozen=True)
class Cue:
    field: str
    start: int  # plain-text span
    end: int
    text: str


@dataclass(frozen=True)
class Category:
    name: str
    scores: dict[str, float]
    unrelated: bool
    unrelated_cue: Cue | None


@lru_cache(maxsize=64)
def _regex(terms: tuple[str, ...]) -> re.Pattern | None:
    if not terms:
        return None
    return re.compile("|".join(re.escape(t) for t in sorted(set(terms), key=len, reverse=True)))


def _score(doc: Document, cues: CategoryCues, title_factor: float,
           bounds: WordBounds | None) -> tuple[float, Cue | None]:
    rx = _regex(cues.terms)
    if rx is None:
        return 0.0, None
    total, first = 0.0, None
    for f in doc.fields:
        factor = title_factor if f.name == "title" else 1.0
        for m in rx.finditer(f.text):
            if f.name == "body" and doc.code_spans and doc.in_code(m.start(), m.end()):
                continue
            if bounds is not None and bounds.splits(f.text, m.start(), m.end()):
                continue
            total += cues.weight * factor
            first = first or Cue(f.name, m.start(), m.end(), m.group())
    return total, first


def categorize(doc: Document, rules: TierRules, work_bonus: float = 0.0) -> Category:
    """``work_bonus``: added to work_update for asserted major matters (a post announcing them is news)."""
    scores: dict[str, float] = {}
    unrelated_score, unrelated_cue = 0.0, None
    for cues in rules.categories:
        score, first = _score(doc, cues, rules.title_factor, rules.bounds)
        if cues.name == "unrelated":
            unrelated_score, unrelated_cue = score, first
        else:
            scores[cues.name] = score
    scores["work_update"] = scores.get("work_update", 0.0) + work_bonus
    best = max(("work_update", "business_knowledge", "corporate_culture"), key=lambda n: scores.get(n, 0.0))
    if unrelated_score >= rules.unrelated_min and unrelated_score > scores.get(best, 0.0):
        return Category("other", {**scores, "unrelated": unrelated_score}, True, unrelated_cue)
    name = best if scores.get(best, 0.0) >= rules.category_min else "other"
    return Category(name, {**scores, "unrelated": unrelated_score}, False, None)
