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
from itertools import accumulate
from typing import NamedTuple

import ahocorasick_rs

from ..text import is_bmp_han_run
from .lexicon import AllowPhrase, SensitiveLexicon, Term
from .normalize import BARRIER, Compacted, Normalizer, utf16
from .variants import FREE, NEVER, Form, forms, han_form

# Where a clause begins, for mention cues and anchored allowed phrases.
CLAUSE_BREAK = frozenset(BARRIER | set("，,：:"))
MAX_CLAUSE_LOOKBACK = 40
_CLAUSE_BREAK_RE = re.compile("[" + re.escape("".join(sorted(CLAUSE_BREAK))) + "]")


class Match(NamedTuple):
    start: int  # span in the text as given, including any noise inside the term
    end: int
    term: Term
    form: str  # "term" | "pinyin" | "initials" | "mixed"
    cue: str | None = None  # set when the term is only mentioned ("严禁……")


class _Entry(NamedTuple):
    term: Term | None  # a term's form, or else
    form: Form | None
    allow: AllowPhrase | None = None  # an allowed phrase, or else
    cue: str | None = None  # a mention cue, or (negative) a look-alike of one
    negative: bool = False


class Matcher:
    def __init__(self, lex: SensitiveLexicon, max_noise: int = 2):
        t0 = time.perf_counter()
        self.max_noise = max_noise
        self.lexicon = lex
        patterns: dict[str, list[_Entry]] = {}
        for term in lex.terms:
            key = term.key
            if not term.flags and is_bmp_han_run(key):
                # The common case, a plain Chinese term, is stored as itself: no Form, no entry object.
                same = patterns.get(key)
                if same is None:
                    patterns[key] = [term]
                else:
                    same.append(term)
                continue
            for f in forms(term):
                patterns.setdefault(f.key, []).append(_Entry(term, f))
        for a in lex.allow:
            patterns.setdefault(a.key, []).append(_Entry(None, None, allow=a))
        # Mention cues ride in the same automaton: found in the same pass, checked only near a match.
        for c in lex.cues:
            patterns.setdefault(c, []).append(_Entry(None, None, cue=c))
        for c in lex.not_cues:
            patterns.setdefault(c, []).append(_Entry(None, None, cue=c, negative=True))
        keys = list(patterns)
        self.normalizer = Normalizer(set("".join(keys)))
        self._entries = [patterns[k] for k in keys]  # each a Term (plain Chinese) or an _Entry
        self._ac = ahocorasick_rs.BytesAhoCorasick([utf16(k) for k in keys]) if keys else None
        self.patterns = len(keys)
        self._longest_allow = max((len(a.key) for a in lex.allow), default=0)
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
        found = self._ac.find_matches_as_indexes(utf16(comp.text), overlapping=True) if comp.text else ()
        if not found:
            return []
        allowed: dict[int, int] = {}  # compact start -> furthest end of an allowed phrase there
        candidates: list[tuple[int, int, Term, Form]] = []
        cues: list[tuple[int, int, str]] = []
        not_cues: list[tuple[int, int]] = []
        entries = self._entries
        for pid, s, e in found:
            if s & 1:
                continue  # not on a character boundary of the UTF-16 text
            s >>= 1
            e >>= 1
            for entry in entries[pid]:
                if entry.__class__ is Term:
                    candidates.append((s, e, entry, han_form(e - s)))
                elif entry.term is not None:
                    candidates.append((s, e, entry.term, entry.form))
                elif entry.allow is not None:
                    if e > allowed.get(s, -1) and self._allow_holds(folded, comp, s, e, entry.allow):
                        allowed[s] = e
                elif entry.negative:
                    not_cues.append((s, e))
                else:
                    cues.append((s, e, entry.cue))
        if not_cues:
            cues = _outside(cues, not_cues)
        cues.sort(key=lambda c: c[1])
        cue_ends = [c[1] for c in cues]
        longest = self._longest_allow
        allow_starts = sorted(allowed)
        matches = []
        for s, e, term, form in candidates:
            if allow_starts:
                i = bisect_right(allow_starts, s)
                if i and allow_starts[i - 1] >= s - longest and any(
                        allowed[a] >= e for a in allow_starts[max(0, i - longest - 1):i] if a <= s):
                    continue
            span = self._verify(folded, comp, s, e, form)
            if span is None:
                continue
            cue = None
            if cue_ends:
                j = bisect_right(cue_ends, s)
                if j and cue_ends[j - 1] >= s - MAX_CLAUSE_LOOKBACK:
                    cue = self._cue(folded, comp, cues, j, s, span[0])
            matches.append(Match(span[0], span[1], term, form.kind, cue))
        return _select(matches, self.lexicon)

    # -- verification -----------------------------------------------------------------------------

    def _verify(self, folded: str, comp: Compacted, s: int, e: int, form: Form) -> tuple[int, int] | None:
        runs = comp.runs_compact
        if runs:
            k0 = bisect_right(runs, s) - 1
            contiguous = k0 == len(runs) - 1 or runs[k0 + 1] >= e
        else:
            k0, contiguous = -1, True
        if contiguous:
            o0 = s if k0 < 0 else comp.runs_orig[k0] + (s - runs[k0])
            o1 = o0 + (e - s)
        else:
            pos = [comp.to_orig(i) for i in range(s, e)]
            o0, o1 = pos[0], pos[-1] + 1
            noisy_free, quiet_free, prose = 0, 0, False
            groups: dict[int, list[bool]] = {}
            for i in range(len(pos) - 1):
                code = form.gaps[i]
                if pos[i + 1] - pos[i] > 1:
                    n, has_prose, sentence_end = self.normalizer.gap(folded[pos[i] + 1:pos[i + 1]])
                    if sentence_end or n > self.max_noise or (code == NEVER and n):
                        return None
                else:
                    n, has_prose = 0, False
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

    def _allow_holds(self, folded: str, comp: Compacted, s: int, e: int, a: AllowPhrase) -> bool:
        o0, o1 = comp.to_orig(s), comp.to_orig(e - 1) + 1
        if o1 - o0 != e - s:
            # Written apart: still the phrase across noise, but not across prose punctuation
            # ("行业第一，季度" is not "第一季度").
            n, prose, sentence_end = self.normalizer.gap(folded[o0:o1])
            if prose or sentence_end:
                return False
        return self._anchors_hold(folded, o0, o1, a)

    def _anchors_hold(self, folded: str, o0: int, o1: int, a: AllowPhrase) -> bool:
        if a.clause_start and o0 > 0 and not _breaks_clause(folded[o0 - 1]):
            return False
        if a.clause_end and o1 < len(folded) and not _breaks_clause(folded[o1]):
            return False
        return True

    def _cue(self, folded: str, comp: Compacted, cues: list, j: int, s: int, o0: int) -> str | None:
        """The nearest cue ending before the match (compact ``s``, original ``o0``) in its clause."""
        while j > 0:
            j -= 1
            c_start, c_end, word = cues[j]
            if c_end < s - MAX_CLAUSE_LOOKBACK:
                break
            if c_end > s:
                continue
            if not _CLAUSE_BREAK_RE.search(folded, comp.to_orig(c_end - 1) + 1, o0):
                return word
        return None


def _outside(cues: list[tuple[int, int, str]], spans: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """The cues that lie inside none of ``spans`` (which may overlap one another).

    Of the spans starting at or before a cue, the one reaching furthest decides; with the spans sorted
    and their ends as a running maximum, a draft of 不得不 repeated is not quadratic in its cues."""
    spans = sorted(spans)
    starts = [a for a, _ in spans]
    reach = list(accumulate((b for _, b in spans), max))
    return [c for c in cues if not ((k := bisect_right(starts, c[0])) and reach[k - 1] >= c[1])]


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
