"""A bound on findings, so a garbage or hostile draft (100,000 unmatched brackets) costs milliseconds,
not seconds, and the author still sees where the problem is."""

from __future__ import annotations

from itertools import islice
from typing import Iterable, Iterator

from .base import Hit

MAX_PER_RULE = 200  # per rule and field; nobody fixes the 201st identical warning by reading it


def first(hits: Iterable[Hit], limit: int = MAX_PER_RULE) -> Iterator[Hit]:
    """The first ``limit`` hits of a generator that yields one rule for one field; stops it early."""
    return islice(hits, limit)


def capped(hits: Iterable[Hit], limit: int = MAX_PER_RULE) -> Iterator[Hit]:
    """At most ``limit`` hits per (rule, field) from a generator mixing several rules."""
    seen: dict[tuple[str, str], int] = {}
    for hit in hits:
        key = (hit.rule, hit.field)
        n = seen.get(key, 0)
        if n < limit:
            seen[key] = n + 1
            yield hit
