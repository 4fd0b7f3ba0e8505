"""Reading the sensitive-word lexicons: categories, terms with their flags, allowed phrases, cues.

Layout of every lexicon folder (bundled ``lexicons/``, ``PRECHECK_LEXICON_DIRS``, the company overlay):

- ``sensitive/<category>.txt``: one term a line, optionally ``| pinyin initials`` to also match the
  term written in pinyin (``shabi``, ``sha逼``) or pinyin initials (``sb``).
- ``sensitive/removed/<category>.txt``: terms of earlier folders that this folder withdraws.
- ``sensitive/categories.toml``: per category its title, severity, clause (merged over folders).
- ``allow.txt``: phrases inside which a match is not reported; ``^`` at the start means the phrase
  must begin a clause, ``$`` at the end that it must end one (``^第一$`` is an enumeration).
- ``mention_cues.txt``: words that make a term a mention rather than a use (``严禁``); lines starting
  with ``-`` are look-alikes that are not cues (``不得不``).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, NamedTuple

from .. import lexicon as files
from .normalize import BARRIER, normalize_lines, normalize_term

log = logging.getLogger("precheck")

FLAGS = ("pinyin", "initials")
_KNOWN_FLAGS = frozenset(FLAGS)
_NO_FLAGS: frozenset[str] = frozenset()
DEFAULT_SEVERITY = "error"
DEFAULT_CLAUSE = "三(一)3"


@dataclass(frozen=True)
class Category:
    name: str
    title: str
    severity: str
    clause: str
    channel_severity: dict[str, str] = field(default_factory=dict)
    description: str = ""

    def severity_for(self, channel: str) -> str:
        return self.channel_severity.get(channel, self.severity)


class Term(NamedTuple):  # a tuple: 50,000 of them are made on every reload
    text: str  # as written in the lexicon
    key: str  # normalised form (what is matched, what duplicates are judged by)
    category: str
    flags: frozenset[str] = frozenset()
    folder: str = ""  # the lexicon folder it comes from

    def line(self) -> str:
        return self.text + (" | " + " ".join(sorted(self.flags)) if self.flags else "")


@dataclass(frozen=True)
class AllowPhrase:
    key: str
    clause_start: bool = False
    clause_end: bool = False


@dataclass(frozen=True)
class SensitiveLexicon:
    categories: dict[str, Category]
    terms: tuple[Term, ...]
    allow: tuple[AllowPhrase, ...]
    cues: tuple[str, ...]
    not_cues: tuple[str, ...]
    problems: tuple[str, ...] = ()

    def by_category(self, name: str) -> list[Term]:
        return [t for t in self.terms if t.category == name]


class TermError(ValueError):
    pass


_FORBIDDEN = re.compile("[#" + "".join(sorted(BARRIER)) + "]")


def parse_line(line: str, max_length: int = 32) -> tuple[str, frozenset[str], str]:
    """``term | flag flag`` -> (term, flags, normalised key); raises TermError saying what is wrong."""
    term, bar, flag_text = line.partition("|")
    term = term.strip()
    flags = frozenset(flag_text.split()) if bar else _NO_FLAGS
    if not term:
        raise TermError("the term is empty")
    if len(term) > max_length:
        raise TermError(f"the term has {len(term)} characters; the limit is {max_length}")
    if flags and not flags <= _KNOWN_FLAGS:
        raise TermError(f"unknown flag(s) {sorted(flags - _KNOWN_FLAGS)}; known: {list(FLAGS)}")
    if _FORBIDDEN.search(term):
        bad = "".join(sorted(set(_FORBIDDEN.findall(term))))
        raise TermError(f"the term contains {bad!r}: a sentence end, line break or # cannot be part of a term")
    key = normalize_term(term)
    if not key:
        raise TermError("the term has no visible characters")
    return term, flags, key


def category_names(dirs: Iterable[Path]) -> list[str]:
    names: list[str] = []
    for p in files.files(dirs, "sensitive/*.txt"):
        if p.stem not in names:
            names.append(p.stem)
    for name in files.read_toml(dirs, "sensitive/categories.toml"):
        if name not in names:
            names.append(name)
    return names


def load_categories(dirs: Iterable[Path]) -> dict[str, Category]:
    dirs = list(dirs)
    data = files.read_toml(dirs, "sensitive/categories.toml")
    out: dict[str, Category] = {}
    for name in category_names(dirs):
        c = data.get(name, {})
        out[name] = Category(name=name, title=c.get("title", name), severity=c.get("severity", DEFAULT_SEVERITY),
                             clause=c.get("clause", DEFAULT_CLAUSE), channel_severity=dict(c.get("channel_severity", {})),
                             description=c.get("description", ""))
    return out


def _lines(path: Path) -> list[str]:
    return [ln for raw in path.read_text(encoding="utf-8-sig").splitlines() if (ln := files.strip_comment(raw))]


def load(dirs: Iterable[Path], max_length: int = 32) -> SensitiveLexicon:
    dirs = [Path(d) for d in dirs]
    categories = load_categories(dirs)
    problems: list[str] = []
    terms: dict[tuple[str, str], Term] = {}  # (category, key) -> term; later folders replace earlier
    for d in dirs:
        folder = str(d)
        for name in categories:
            removed = d / "sensitive" / "removed" / f"{name}.txt"
            if removed.is_file():
                for line in _lines(removed):
                    terms.pop((name, normalize_term(line.partition("|")[0])), None)
            path = d / "sensitive" / f"{name}.txt"
            if not path.is_file():
                continue
            raw_text = path.read_text(encoding="utf-8-sig")
            # Keys of all lines in one translate() call; lines with a comment, flags or a forbidden
            # character take the careful path.
            for i, (raw, key) in enumerate(zip(raw_text.split("\n"), normalize_lines(raw_text).split("\n")), 1):
                if "#" in raw or "|" in raw or _FORBIDDEN.search(raw.strip()):
                    line = files.strip_comment(raw)
                    if not line:
                        continue
                    try:
                        text, flags, key = parse_line(line, max_length=10_000)
                    except TermError as e:
                        problems.append(f"{path}:{i}: {e}")
                        continue
                else:
                    text = raw.strip()
                    if not text:
                        continue
                    if not key:
                        problems.append(f"{path}:{i}: the term has no visible characters")
                        continue
                    flags = _NO_FLAGS
                terms[(name, key)] = Term(text, key, name, flags, folder)
    allow = []
    for line in files.read_lines(dirs, "allow.txt"):
        start, end = line.startswith("^"), line.endswith("$") and not line.endswith("\\$")
        key = normalize_term(line[1 if start else 0:len(line) - 1 if end else len(line)])
        if key:
            allow.append(AllowPhrase(key, start, end))
    cues, not_cues = [], []
    for line in files.read_lines(dirs, "mention_cues.txt"):
        (not_cues if line.startswith("-") else cues).append(normalize_term(line.lstrip("-")))
    for p in problems:
        log.warning("sensitive lexicon: %s", p)
    return SensitiveLexicon(categories=categories, terms=tuple(terms.values()), allow=tuple(allow),
                            cues=tuple(c for c in cues if c), not_cues=tuple(c for c in not_cues if c),
                            problems=tuple(problems))
