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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from .. import lexicon as files
from .normalize import BARRIER, normalize_term

log = logging.getLogger("precheck")

FLAGS = ("pinyin", "initials")
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


@dataclass(frozen=True)
class Term:
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


def parse_line(line: str, max_length: int = 32) -> tuple[str, frozenset[str]]:
    """``term | flag flag`` -> (term, flags); raises TermError saying what is wrong."""
    term, _, flag_text = line.partition("|")
    term = term.strip()
    flags = frozenset(flag_text.split())
    if not term:
        raise TermError("the term is empty")
    if len(term) > max_length:
        raise TermError(f"the term has {len(term)} characters; the limit is {max_length}")
    unknown = flags - set(FLAGS)
    if unknown:
        raise TermError(f"unknown flag(s) {sorted(unknown)}; known: {list(FLAGS)}")
    bad = sorted({c for c in term if c in BARRIER or c == "#"})
    if bad:
        raise TermError(f"the term contains {''.join(bad)!r}: a sentence end, line break or # cannot be part of a term")
    if not normalize_term(term):
        raise TermError("the term has no visible characters")
    return term, flags


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
        for name in categories:
            removed = d / "sensitive" / "removed" / f"{name}.txt"
            if removed.is_file():
                for line in _lines(removed):
                    terms.pop((name, normalize_term(line.partition("|")[0])), None)
            path = d / "sensitive" / f"{name}.txt"
            if not path.is_file():
                continue
            for i, line in enumerate(_lines(path), 1):
                try:
                    text, flags = parse_line(line, max_length=10_000)
                except TermError as e:
                    problems.append(f"{path}:{i}: {e}")
                    continue
                key = normalize_term(text)
                terms[(name, key)] = Term(text=text, key=key, category=name, flags=flags, folder=str(d))
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
