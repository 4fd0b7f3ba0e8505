"""Normalisation for the sensitive-word matcher, with an exact map back to the text as written.

Two steps, both cheap on ordinary prose:

1. ``fold``: length-preserving, one character for one character. ``str.lower()`` (C speed) handles
   case, then only the characters whose folded form can appear in some term are rewritten
   (traditional -> simplified by OpenCC, full-width and other compatibility forms by NFKC). Plain
   simplified Chinese contains none of them, so the rewrite is a single regex scan that finds nothing.
2. ``compact``: removes what may hide inside a term (invisible characters, spaces, symbols, emoji,
   punctuation) and records where each kept run came from, so a match in the compact text maps back
   to the exact original characters. Sentence ends and line breaks are never removed: no term
   contains one, so no match can cross one. The matcher then judges each candidate's gaps: prose
   punctuation (，、：“” …) counts as noise only when every character of a term of three or more is
   separated (``内，部，资，料``), because in prose it separates words that happen to spell a term.
"""

from __future__ import annotations

import bisect
import re
import sys
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate

# Sentence ends and line breaks: a match never crosses them. "." counts only before whitespace or the
# end of the text (``内.部`` is evasion, ``end. Next`` is a sentence end).
BARRIER = frozenset("\n\r\v\f\x85\u2028\u2029。！？!?；;…｡︒﹒﹖﹗！？；")
# Punctuation that separates words in ordinary prose; treated as noise only in single-character chains.
PROSE = frozenset("，,、：:“”‘’\"'（）()《》〈〉【】「」『』〔〕［］[]｛｝{}—–")
# Stands in for a prose mark inside a chain while compacting; a Unicode noncharacter, never in text.
CHAIN_MARK = "\ufdd0"
CHAIN_GAP = 2  # marks between two characters of a chain (the matcher's default max_noise)
_EXTRA_INVISIBLE = "\u034f\u115f\u1160\u3164\uffa0\u2800\u180e"


def _is_invisible(ch: str) -> bool:
    cat = unicodedata.category(ch)
    return cat in ("Cf", "Mn", "Me") or ch in _EXTRA_INVISIBLE or 0xFE00 <= ord(ch) <= 0xFE0F


def _is_noise(ch: str) -> bool:
    cat = unicodedata.category(ch)
    return cat[0] in "ZPS" or ch in "\t_"


def _codepoints():
    # The BMP, mathematical alphanumerics, enclosed alphanumerics, emoji, tags and variation selectors.
    for lo, hi in ((0, 0xD7FF), (0xE000, 0xFFFF), (0x1D400, 0x1D7FF), (0x1F000, 0x1FAFF),
                   (0xE0000, 0xE007F), (0xE0100, 0xE01EF)):
        yield from range(lo, hi + 1)


@dataclass(frozen=True)
class CharTables:
    """Per-process Unicode tables, independent of any lexicon (built once, about 0.1 s)."""

    fold: dict[str, str]  # lower-cased char -> folded char, only where it differs
    invisible: frozenset[str]
    noise: frozenset[str]  # removable between term characters (spaces, symbols, punctuation, emoji)


@lru_cache(maxsize=1)
def char_tables() -> CharTables:
    import opencc

    chars = [chr(i) for i in _codepoints()]
    nfkc = {}
    for ch in chars:
        if ch != ch.lower():
            continue  # text is lower-cased before folding
        n = unicodedata.normalize("NFKC", ch).lower()
        if len(n) == 1:
            nfkc[ch] = n
    # Convert every CJK-ish character on its own line so OpenCC never treats neighbours as a phrase.
    cjk = [ch for ch, n in nfkc.items() if "\u2e80" <= n <= "\u9fff" or "\uf900" <= n <= "\ufaff"]
    t2s = opencc.OpenCC("t2s").convert("\n".join(nfkc[c] for c in cjk)).split("\n")
    simplified = dict(zip(cjk, t2s)) if len(t2s) == len(cjk) else {}
    fold = {}
    for ch, n in nfkc.items():
        s = simplified.get(ch, n)
        out = s if len(s) == 1 else n
        if out != ch:
            fold[ch] = out
    invisible = frozenset(ch for ch in chars if _is_invisible(ch))
    noise = frozenset(ch for ch in chars if ch not in invisible and ch not in BARRIER and ch != "."
                      and _is_noise(ch))
    return CharTables(fold=fold, invisible=invisible, noise=noise)


def fold_char(ch: str) -> str:
    ch = ch.lower() if ch != "\u0130" else "i"
    return char_tables().fold.get(ch, ch)


@lru_cache(maxsize=1)
def _term_table() -> dict[int, str | None]:
    t = char_tables()
    table: dict[int, str | None] = {ord(k): v for k, v in t.fold.items()}
    for ch in t.invisible:
        table[ord(ch)] = None
    for i in range(0x3001):
        if chr(i).isspace():
            table[i] = None
    return table


@lru_cache(maxsize=1)
def _lines_table() -> dict[int, str | None]:
    table = dict(_term_table())
    del table[ord("\n")]
    return table


def normalize_lines(text: str) -> str:
    """``normalize_term`` of every line of ``text`` at once; the line breaks stay."""
    return text.replace("\u0130", "i").lower().translate(_lines_table())


def normalize_term(term: str) -> str:
    """A lexicon term as the matcher stores it: folded, without spaces or invisible characters."""
    return term.replace("\u0130", "i").lower().translate(_term_table())


# Astral characters that may be skipped or folded, as whole blocks: a class with any astral member
# is matched range by range instead of through a bitmap, three times slower on every character.
ASTRAL_NOISE = "[\U0001F000-\U0001F0FF\U0001F200-\U0001FAFF\U000E0000-\U000E01EF]"
ASTRAL_FOLD = "[\U0001D400-\U0001D7FF\U0001F100-\U0001F1FF]"


def _charclass(chars, astral: str | None = None) -> str:
    """A regex for one character of ``chars``: BMP members as a class (compiled to a bitmap), astral
    members replaced by the block class ``astral``."""
    codes = sorted(ord(c) for c in chars if ord(c) < 0x10000)
    bmp = _ranges(codes) if codes else None
    if astral and any(ord(c) >= 0x10000 for c in chars):
        return f"(?:{bmp}|{astral})" if bmp else astral
    return bmp or "[^\\s\\S]"


def _ranges(codes: list[int]) -> str:
    parts, i = [], 0
    while i < len(codes):
        j = i
        while j + 1 < len(codes) and codes[j + 1] == codes[j] + 1:
            j += 1
        lo, hi = chr(codes[i]), chr(codes[j])
        parts.append(re.escape(lo) if i == j else f"{re.escape(lo)}-{re.escape(hi)}")
        i = j + 1
    return "[" + "".join(parts) + "]"


@dataclass(frozen=True, slots=True)
class Compacted:
    """The compact text and, for each kept run, where it starts in the compact and the original text."""

    text: str
    runs_compact: list[int]
    runs_orig: list[int]

    def to_orig(self, i: int) -> int:
        if not self.runs_compact:
            return i
        k = bisect.bisect_right(self.runs_compact, i) - 1
        return self.runs_orig[k] + (i - self.runs_compact[k])


class Normalizer:
    """Folding and compaction specialised to one lexicon's alphabet (the characters of its terms)."""

    def __init__(self, alphabet: set[str]):
        tables = char_tables()
        self.invisible = tables.invisible
        self.fold_table = {k: v for k, v in tables.fold.items() if v in alphabet and k not in alphabet}
        self._fold_re = re.compile(_charclass(self.fold_table, ASTRAL_FOLD) + "+") if self.fold_table else None
        self._fold_trans = str.maketrans(self.fold_table)
        # A character that appears in a term (e.g. "%" of "100%") is matched literally, not skipped.
        # One character class, so the regex engine scans with a bitmap; which removed characters were
        # allowed where (prose punctuation, "." before a space) is judged only for candidate matches.
        self.prose = PROSE - alphabet
        removable = (tables.noise | tables.invisible | {".", CHAIN_MARK}) - alphabet - BARRIER - PROSE
        self._removable_re = re.compile("(" + _charclass(removable, ASTRAL_NOISE) + "+)")
        # Prose punctuation is removed only inside a chain of single characters (内，部，资，料): such a
        # mark is replaced by CHAIN_MARK before splitting, so ordinary prose keeps its commas, compacts
        # cheaply, and never joins two words into a term.
        # A chain is three or more single characters, each gap one or two marks (云、、杉__方..案).
        w = r"[^\s\W_]"
        sep = _charclass((self.prose | removable) - {CHAIN_MARK}, ASTRAL_NOISE)
        self._chain_re = re.compile(f"{w}(?:{sep}{{1,{CHAIN_GAP}}}{w}){{2,}}") if self.prose else None
        self._prose_trans = str.maketrans({c: CHAIN_MARK for c in self.prose})
        self._prose_re = re.compile(_charclass(self.prose)) if self.prose else None

    def fold(self, text: str) -> str:
        if "\u0130" in text:
            text = text.replace("\u0130", "i")  # the one character whose lower() is two characters
        text = text.lower()
        if self._fold_re is not None and self._fold_re.search(text):
            trans = self._fold_trans
            text = self._fold_re.sub(lambda m: m.group().translate(trans), text)
        return text

    def compact(self, folded: str) -> Compacted:
        marked = folded
        if self._chain_re is not None and self._prose_re.search(folded):
            trans = self._prose_trans
            # One for one: offsets do not move.
            marked = self._chain_re.sub(lambda m: m.group().translate(trans), folded)
        parts = self._removable_re.split(marked)
        if len(parts) == 1:
            return Compacted(folded, [], [])
        kept = parts[0::2]  # split() with one group alternates kept, removed, kept ...
        kept_lens = list(map(len, kept))
        runs_compact = [0, *accumulate(kept_lens)][:-1]
        runs_orig = [0, *accumulate(map(len, parts))][0::2]
        return Compacted("".join(kept), runs_compact, runs_orig)

    def gap(self, gap: str) -> tuple[int, bool, bool]:
        """For characters removed between two term characters: (visible ones, any prose punctuation,
        a sentence end: "." followed by a space)."""
        n, prose = 0, False
        for ch in gap:
            if ch in self.invisible:
                continue
            n += 1
            if ch in self.prose:
                prose = True
        return n, prose, ". " in gap or ".\t" in gap or ".\u3000" in gap


def utf16(text: str) -> bytes:
    """UTF-16-LE with one code unit per character: astral characters become U+FFFD (no term has one)."""
    data = text.encode("utf-16-le", "surrogatepass")
    if len(data) != 2 * len(text):
        data = re.sub("[\U00010000-\U0010ffff]", "\ufffd", text).encode("utf-16-le", "surrogatepass")
    return data


if sys.maxunicode < 0x10FFFF:  # pragma: no cover - every CPython 3 is a wide build
    raise RuntimeError("a wide Unicode build is required")
