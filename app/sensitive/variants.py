"""The written forms of a term the automaton looks for, and where noise may sit inside each.

A form is its compact string plus one code per gap between adjacent characters:
``FREE`` (noise allowed: between Chinese characters, words, pinyin syllables), ``NEVER`` (inside a
pinyin syllable or a run of initials, so ``s b`` in "it's b" is not ``sb``), or a group number ``>= 2``
for the letters of one Latin word or number, which may be spelled out (``f.u.c.k``) only if every gap
of that word is noisy and the word has at least four characters.
"""

from __future__ import annotations

from typing import NamedTuple
from functools import lru_cache
from itertools import product

from pypinyin import Style, lazy_pinyin

from ..text import is_bmp_han_run, is_han
from .lexicon import Term
from .normalize import fold_char, normalize_term

NEVER, FREE = 0, 1
MAX_MIXED = 4  # mixed hanzi/pinyin forms are generated for terms of at most this many characters


is_cjk = is_han


def is_latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


class Form(NamedTuple):
    key: str
    gaps: bytes  # len(key) - 1 codes
    units: int  # characters, words, syllables: the prose-punctuation rule needs three
    kind: str  # "term" | "pinyin" | "initials"
    latin_start: bool
    latin_end: bool


def _form(pieces: list[tuple[str, str]], kind: str) -> Form:
    """``pieces``: (text, what) with what in "han" | "word" | "syllable" | "initial"."""
    key, gaps, group = "", [], 2
    prev_what = None
    for text, what in pieces:
        if key:
            gaps.append(NEVER if what == "initial" and prev_what == "initial" else FREE)
        if what == "word" and len(text) >= 4:
            gaps.extend([group] * (len(text) - 1))
            group += 1
        else:
            gaps.extend([NEVER] * (len(text) - 1))
        key += text
        prev_what = what
    return Form(key=key, gaps=bytes(g if g < 256 else 255 for g in gaps), units=len(pieces), kind=kind,
                latin_start=is_latin(key[0]), latin_end=is_latin(key[-1]))


def _pieces(term: str) -> list[tuple[str, str]]:
    """Split a term as written into Chinese characters and (folded) words."""
    pieces: list[tuple[str, str]] = []
    for token in term.split():
        word = ""
        for ch in normalize_term(token):
            if is_cjk(ch):
                if word:
                    pieces.append((word, "word"))
                    word = ""
                pieces.append((ch, "han"))
            else:
                word += ch
        if word:
            pieces.append((word, "word"))
    return pieces


@lru_cache(maxsize=128)
def han_form(n: int) -> Form:
    """The one form of every plain Chinese term of ``n`` characters (its key is the term's own key)."""
    return Form("", bytes([FREE] * (n - 1)), n, "term", False, False)


def is_plain_han(term: Term) -> bool:
    key = term.key
    return not term.flags and is_bmp_han_run(key)


def forms(term: Term) -> list[Form]:
    if is_plain_han(term):
        return [han_form(len(term.key))._replace(key=term.key)]
    pieces = _pieces(term.text)
    if not pieces:
        return []
    out = [_form(pieces, "term")]
    want = [f for f in ("pinyin", "initials") if f in term.flags]
    han = [i for i, (_, what) in enumerate(pieces) if what == "han"]
    if not want or not han:
        return out
    syllables = lazy_pinyin("".join(pieces[i][0] for i in han), style=Style.NORMAL, errors="ignore")
    if len(syllables) != len(han):
        return out
    spoken = {i: "".join(fold_char(c) for c in s) for i, s in zip(han, syllables)}
    seen = {out[0].key}
    for flag in want:
        what = "syllable" if flag == "pinyin" else "initial"
        alt = {i: (s if flag == "pinyin" else s[0]) for i, s in spoken.items()}
        # Every Chinese character either kept or replaced; mixed forms only for short terms.
        choices = product((False, True), repeat=len(han)) if len(han) <= MAX_MIXED else [(True,) * len(han)]
        for pick in choices:
            if not any(pick):
                continue
            replaced = dict(zip(han, pick))
            ps = [((alt[i], what) if replaced.get(i) else p) for i, p in enumerate(pieces)]
            f = _form(ps, flag if all(pick) else "mixed")
            if f.key not in seen:
                seen.add(f.key)
                out.append(f)
    return out
