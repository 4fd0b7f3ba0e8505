"""Reading lexicon files: plain UTF-8 a person can review in a diff; ``#`` starts a comment.

The bundled ``lexicons/`` folder comes first; folders in ``PRECHECK_LEXICON_DIRS`` and the company
overlay (``<data_dir>/lexicons``, written by the admin endpoints) have the same layout and extend it.
"""

from __future__ import annotations

import hashlib
import tomllib
from pathlib import Path
from typing import Iterable, Iterator


def strip_comment(line: str) -> str:
    # "#" inside a term is rare; "\#" keeps one.
    if "#" in line:
        i = 0
        while (i := line.find("#", i)) >= 0:
            if i == 0 or line[i - 1] != "\\":
                line = line[:i]
                break
            i += 1
        line = line.replace("\\#", "#")
    return line.strip()


def read_lines(dirs: Iterable[Path], relpath: str) -> Iterator[str]:
    """Every non-empty, non-comment line of ``relpath`` in each folder, in folder order."""
    for d in dirs:
        p = Path(d) / relpath
        if p.is_file():
            for raw in p.read_text(encoding="utf-8-sig").splitlines():
                line = strip_comment(raw)
                if line:
                    yield line


def company_words(dirs: Iterable[Path]) -> list[str]:
    """Words the company uses (product and code names, people's names): ``protected.txt`` and each
    lexicon folder's ``words.txt`` (``precheck words add``, the admin API). Never typos; the style
    check leaves their spacing and characters alone."""
    return [*read_lines(dirs, "protected.txt"), *read_lines(dirs, WORDS_FILE)]


WORDS_FILE = "words.txt"


def read_toml(dirs: Iterable[Path], relpath: str) -> dict:
    """``relpath`` parsed in each folder and merged, later folders overriding earlier keys."""
    merged: dict = {}
    for d in dirs:
        p = Path(d) / relpath
        if p.is_file():
            merged = _deep_merge(merged, tomllib.loads(p.read_text(encoding="utf-8")))
    return merged


def _deep_merge(a: dict, b: dict) -> dict:
    out = dict(a)
    for k, v in b.items():
        out[k] = _deep_merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def files(dirs: Iterable[Path], pattern: str) -> list[Path]:
    return [p for d in dirs for p in sorted(Path(d).glob(pattern)) if p.is_file()]


def version(dirs: Iterable[Path]) -> str:
    """A short content hash of every lexicon file: changes whenever any term does."""
    h = hashlib.sha256()
    for d in dirs:
        d = Path(d)
        if d.is_dir():
            for p in sorted(d.rglob("*")):
                if p.is_file():
                    h.update(str(p.relative_to(d)).encode())
                    h.update(p.read_bytes())
    return h.hexdigest()[:12]
