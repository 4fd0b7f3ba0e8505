"""The sensitive-word automaton: every written form of every term and every allowed phrase in one
Aho-Corasick automaton over the compact text, then each candidate verified against the original.

The automaton runs in bytes mode over UTF-16-LE (one code unit per character, so a byte offset
halved is a character offset); that is about twice as fast as its str mode on Chinese text. It is
immutable and thread-safe: a Matcher is built once per lexicon version and shared by all requests.
"""

from __future__ import annotations

import re
import time
from bisect import bisect_right
from dataclasses import dataclass

import ahocorasick_rs

from .lexicon import AllowPhrase, SensitiveLexicon, Term
from .normalize import BARRIER, Compacted, Normalizer, utf16
from .variants import FREE, NEVER, Form, forms

# Where a clause begins, for mention cues and anchored allowed phrases.
CLAUSE_BREAK = frozenset(BARRIER | set("，,：:"))
MAX_CLAUSE_LOOKBACK = 40


@dataclass(frozen=True, slots=True)
class Match:
    start: int  # span in the text as given, including any noise inside the term
    end: int
    term: Term
    form: str  # "term" | "pinyin" | "initials" | "mixed"
    cue: str | None = None  # set when the term is only mentioned ("严禁……")


@dataclass(frozen=True, slots=True)
class _Entry:
    term: Term | None  # None for an allowed phrase
    form: Form | None
    allow: AllowPhrase | None


class Matcher:
    def __init__(self, lex: SensitiveLexicon, max_noise: int = 2):
        t0 = time.perf_counter()
        self.max_noise = max_noise
        self.lexicon = lex
        patterns: dict[str, list[_Entry]] = {}
        for term in lex.terms:
            for f in forms(term):
                patterns.setdefault(f.key, []).append(_Entry(term, f, None))
        for a in lex.allow:
            patterns.setdefault(a.key, []).append(_Entry(None, None, a))
        alphabet = {c for key in patterns for c in key}
        self.normalizer = Normalizer(alphabet)
        keys = list(patterns)
        self._entries = [patterns[k] for k in keys]
        self._ac = ahocorasick_rs.BytesAhoCorasick([utf16(k) for k in keys]) if keys else None
        cue_alts = [re.escape(c) for c in sorted(lex.not_cues, key=len, reverse=True)]
        cue_main = "|".join(re.escape(c) for c in sorted(lex.cues, key=len, reverse=True))
        self._cue_re = re.compile("|".join(cue_alts + [f"({cue_main})"])) if lex.cues else None
        self.patterns = len(keys)
        self.build_ms = (time.perf_counter() - t0) * 1000

    # -- scanning ---------------------------------------------------------------------------------

    def raw(self, compact: str) -> list[tuple[int, int, int]]:
        """Every (pattern, start, end) in a compact text, in characters, overlapping included."""
        if self._ac is None or not compact:
            return []
        return [(p, s >> 1, e >> 1) for p, s, e in self._ac.find_matches_as_indexes(utf16(compact), overlapping=True)
                if not s & 1]

    def scan(self, text: str) -> list[Match]:
        """Every verified, not-allowed match in ``text``, overlaps resolved (longest first)."""
        if self._ac is None or not text:
            return []
        folded = self.normalizer.fold(text)
        comp = self.normalizer.compact(folded)
        found = self.raw(comp.text)
        if not found:
            return []
        allowed: list[tuple[int, int]] = []
        candidates: list[tuple[int, int, _Entry]] = []
        for pid, s, e in found:
            for entry in self._entries[pid]:
                if entry.allow is not None:
                    o0, o1 = comp.to_orig(s), comp.to_orig(e - 1) + 1
                    if self._anchors_hold(folded, o0, o1, entry.allow):
                        allowed.append((s, e))
                else:
                    candidates.append((s, e, entry))
        matches = []
        for s, e, entry in candidates:
            if any(a <= s and e <= b for a, b in allowed):
                continue
            span = self._verify(folded, comp, s, e, entry.form)
            if span is not None:
                matches.append(Match(span[0], span[1], entry.term, entry.form.kind, self._cue(folded, span[0])))
        return _select(matches, self.lexicon)

    # -- verification -----------------------------------------------------------------------------

    def _verify(self, folded: str, comp: Compacted, s: int, e: int, form: Form) -> tuple[int, int] | None:
        runs = comp.runs_compact
        if runs:
            k0 = bisect_right(runs, s) - 1
            contiguous = k0 == len(runs) - 1 or runs[k0 + 1] >= e
        else:
            contiguous = True
        if contiguous:
            o0 = comp.to_orig(s)
            o1 = o0 + (e - s)
        else:
            pos = [comp.to_orig(i) for i in range(s, e)]
            o0, o1 = pos[0], pos[-1] + 1
            noisy_free, quiet_free, prose = 0, 0, False
            groups: dict[int, list[bool]] = {}
            for i in range(len(pos) - 1):
                code = form.gaps[i]
                width = pos[i + 1] - pos[i] - 1
                n, has_prose = self.normalizer.is_noise_gap(folded[pos[i] + 1:pos[i + 1]]) if width else (0, False)
                if n > self.max_noise or (code == NEVER and n):
                    return None
                prose = prose or has_prose
                if code == FREE:
                    if n:
                        noisy_free += 1
                    else:
                        quiet_free += 1
                elif code != NEVER:
                    groups.setdefault(code, []).append(bool(n))
            for flags in groups.values():
                if any(flags) and not all(flags):
                    return None  # a word is either written whole or spelled out letter by letter
            if prose and (form.units < 3 or quiet_free):
                return None  # prose punctuation counts as noise only in a fully spelled-out term
        if form.latin_start and o0 > 0 and _latin(folded[o0 - 1]):
            return None
        if form.latin_end and o1 < len(folded) and _latin(folded[o1]):
            return None
        return o0, o1

    def _anchors_hold(self, folded: str, o0: int, o1: int, a: AllowPhrase) -> bool:
        if a.clause_start and o0 > 0 and not _breaks_clause(folded[o0 - 1]):
            return False
        if a.clause_end and o1 < len(folded) and not _breaks_clause(folded[o1]):
            return False
        return True

    def _cue(self, folded: str, start: int) -> str | None:
        if self._cue_re is None:
            return None
        lo = start
        while lo > 0 and start - lo < MAX_CLAUSE_LOOKBACK and folded[lo - 1] not in CLAUSE_BREAK:
            lo -= 1
        for m in self._cue_re.finditer(folded, lo, start):
            if m.group(1):
                return m.group(1)
        return None


def _latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _breaks_clause(ch: str) -> bool:
    return ch in CLAUSE_BREAK or ch.isspace() or not ch.isalnum()


_SEVERITY_RANK = {"block": 3, "error": 2, "warning": 1, "info": 0}


def _select(matches: list[Match], lex: SensitiveLexicon) -> list[Match]:
    """Longest match wins an overlap; the same span may be reported once per category."""
    def rank(m: Match):
        cat = lex.categories.get(m.term.category)
        return (m.start, -(m.end - m.start), -_SEVERITY_RANK.get(cat.severity if cat else "error", 2),
                m.form != "term")

    kept: list[Match] = []
    spans: dict[tuple[int, int], set[str]] = {}
    last_end = -1
    for m in sorted(matches, key=rank):
        same = spans.get((m.start, m.end))
        if same is not None:
            if m.term.category not in same:
                same.add(m.term.category)
                kept.append(m)
            continue
        if m.start < last_end:
            continue
        kept.append(m)
        spans[(m.start, m.end)] = {m.term.category}
        last_end = m.end
    return kept
