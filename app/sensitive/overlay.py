"""Company edits to the sensitive lexicons, written to the overlay folder so they survive a restart.

An added term goes to ``<overlay>/sensitive/<category>.txt``; removing a term that an earlier folder
(the bundled one, ``PRECHECK_LEXICON_DIRS``) provides adds it to ``<overlay>/sensitive/removed/
<category>.txt``. Files are replaced atomically and edits are serialised, so a reload (from the API,
SIGHUP or the file watcher) never reads a half-written file.
"""

from __future__ import annotations

import os
import tempfile
import threading
from pathlib import Path
from typing import Iterable

from .lexicon import Term, TermError, load, parse_line
from .normalize import normalize_term

_lock = threading.Lock()


class NotFound(LookupError):
    pass


def lock() -> threading.Lock:
    """Held across an edit and the reload that follows it, so concurrent edits apply in order."""
    return _lock


def _atomic_write(path: Path, lines: Iterable[str], header: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    body = header + "".join(line + "\n" for line in lines)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(body)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _read(path: Path) -> list[str]:
    if not path.is_file():
        return []
    return [ln.rstrip("\n") for ln in path.read_text(encoding="utf-8-sig").splitlines()]


def _key_of(line: str) -> str | None:
    content = line.split("#", 1)[0].strip()
    return normalize_term(content.partition("|")[0]) if content else None


_ADDED = "# Terms added through the admin API (PRECHECK_ADMIN_KEYS). One term a line.\n"
_REMOVED = "# Terms of earlier lexicon folders withdrawn through the admin API.\n"


def terms_file(overlay: Path, category: str) -> Path:
    return overlay / "sensitive" / f"{category}.txt"


def removed_file(overlay: Path, category: str) -> Path:
    return overlay / "sensitive" / "removed" / f"{category}.txt"


def add(dirs: list[Path], overlay: Path, category: str, term: str, flags: Iterable[str],
        max_length: int) -> Term:
    """Add ``term`` to ``category``; raises TermError (invalid or duplicate)."""
    line = term.strip() + (" | " + " ".join(sorted(set(flags))) if flags else "")
    if "|" in term or "\n" in term or "\r" in term:
        raise TermError("the term may not contain '|' or a line break")
    text, flag_set, key = parse_line(line, max_length=max_length)
    current = load(dirs)
    for t in current.by_category(category):
        if t.key == key:
            raise TermError(f"duplicate: {category} already has {t.text!r}" +
                            (f" (written as {term!r})" if t.text != term.strip() else ""))
    rfile = removed_file(overlay, category)
    withdrawn = _read(rfile)
    kept = [ln for ln in withdrawn if _key_of(ln) != key]
    if len(kept) != len(withdrawn):
        _atomic_write(rfile, [ln for ln in kept if not ln.startswith("#")], _REMOVED)
        restored = next((t for t in load(dirs).by_category(category) if t.key == key), None)
        if restored is not None and restored.flags == flag_set:
            return restored
    tfile = terms_file(overlay, category)
    lines = [ln for ln in _read(tfile) if not ln.startswith("#") and _key_of(ln) != key]
    _atomic_write(tfile, lines + [line], _ADDED)
    return Term(text=text, key=key, category=category, flags=flag_set, folder=str(overlay))


def remove(dirs: list[Path], overlay: Path, category: str, term: str) -> Term:
    """Withdraw ``term`` (matched by its normalised form) from ``category``; NotFound if absent."""
    key = normalize_term(term.partition("|")[0].strip())
    current = next((t for t in load(dirs).by_category(category) if t.key == key), None) if key else None
    if current is None:
        raise NotFound(f"{category} has no term {term!r}")
    tfile = terms_file(overlay, category)
    lines = _read(tfile)
    kept = [ln for ln in lines if ln.startswith("#") or _key_of(ln) != key]
    if len(kept) != len(lines):
        _atomic_write(tfile, [ln for ln in kept if not ln.startswith("#")], _ADDED)
    earlier = [d for d in dirs if Path(d) != Path(overlay)]
    if any(t.key == key for t in load(earlier).by_category(category)):
        rfile = removed_file(overlay, category)
        withdrawn = [ln for ln in _read(rfile) if not ln.startswith("#")]
        _atomic_write(rfile, withdrawn + [current.text], _REMOVED)
    return current

