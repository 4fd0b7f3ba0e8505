"""Words the company uses (product names, code names), accepted in one place for typo and style.

They live in ``words.txt`` of a lexicon folder, one a line: the company overlay (``<data_dir>/lexicons``,
written by ``precheck words add`` and ``POST /v1/admin/words``), or any folder of
``PRECHECK_LEXICON_DIRS`` kept in a repository. The typo check reads them as it reads
``protected.txt`` (segmentation and matching never break them up), the style check leaves their
spacing and characters alone. A request can add its own with ``ignore_words``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from .lexicon import WORDS_FILE, read_lines
from .sensitive.overlay import _atomic_write, lock  # the same atomic, serialised writes as the sensitive lexicon

MAX_LENGTH = 64
HEADER = "# Words the company uses: never reported as typos, their spacing and characters are kept.\n"

__all__ = ["WordError", "add", "listing", "lock", "remove"]


class WordError(ValueError):
    pass


def _check(word: str) -> str:
    w = word.strip()
    if not w:
        raise WordError("a word cannot be empty")
    if len(w) > MAX_LENGTH:
        raise WordError(f"a word has at most {MAX_LENGTH} characters")
    if any(c.isspace() for c in w) or "#" in w:
        raise WordError("a word has no spaces, line breaks or '#'")
    return w


def listing(dirs: Iterable[Path]) -> list[tuple[str, str]]:
    """(word, folder) for every word now accepted, in folder order."""
    out, seen = [], set()
    for d in dirs:
        for w in read_lines([d], WORDS_FILE):
            if w not in seen:
                seen.add(w)
                out.append((w, str(d)))
    return out


def add(folder: Path, words: Iterable[str]) -> list[str]:
    """Add ``words`` to ``folder``/words.txt; the ones that were not there yet."""
    wanted = [_check(w) for w in words]
    path = folder / WORDS_FILE
    have = list(read_lines([folder], WORDS_FILE))
    new = [w for w in dict.fromkeys(wanted) if w not in have]
    if new:
        _atomic_write(path, [*have, *new], HEADER)
    return new


def remove(folder: Path, word: str) -> None:
    """Take ``word`` out of ``folder``/words.txt; LookupError when it is not there."""
    w = word.strip()
    have = list(read_lines([folder], WORDS_FILE))
    if w not in have:
        raise LookupError(f"{w!r} is not in {folder / WORDS_FILE}")
    _atomic_write(folder / WORDS_FILE, [x for x in have if x != w], HEADER)
