"""Baselines: accept the findings a project already has, report only new ones.

A finding is recognised by a fingerprint that survives edits elsewhere in the file: its rule, its
text and the line it stands on, each with white space removed, hashed. Offsets and line numbers are
left out, so adding a paragraph above a known finding does not make it new. When the same
fingerprint occurs several times, the baseline keeps how many: a further copy is new. ``block``
findings are never baselined (a leak stays a leak). SARIF carries the same value in
``partialFingerprints``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections import Counter
from pathlib import Path

from .models import Finding, Report, summary_of, verdict_of

KEY = "precheck/v1"  # the partialFingerprints key
VERSION = 1
_SPACE = re.compile(r"\s+")


class BaselineError(ValueError):
    pass


def _norm(s: str) -> str:
    return _SPACE.sub("", s)


def _line_of(source: str, offset: int) -> str:
    start = source.rfind("\n", 0, offset) + 1
    end = source.find("\n", offset)
    return source[start:end if end >= 0 else len(source)]


def fingerprint(f: Finding, source: str) -> str:
    context = _line_of(source, f.offset) if f.field == "body" else f.field
    raw = "\x1f".join((f.rule, _norm(f.text), _norm(context)))
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32]


def fingerprints(report: Report, source: str) -> list[str]:
    return [fingerprint(f, source) for f in report.findings]


def key(path: str) -> str:
    """How a file is named in a baseline: as given, relative to where precheck runs (the repository)."""
    return Path(os.path.normpath(path)).as_posix()


def write(path: Path, results: list[tuple[str, Report, list[str]]]) -> int:
    """Write the baseline of ``results`` (path, report, fingerprints); the number of findings in it."""
    files: dict[str, list[dict]] = {}
    n = 0
    for p, report, fps in results:
        entries = [{"rule": f.rule, "fingerprint": fp, "line": f.line, "text": f.text}
                   for f, fp in zip(report.findings, fps) if f.severity != "block"]
        if entries:
            files[key(p)] = entries
            n += len(entries)
    data = {"tool": "precheck", "version": VERSION, "files": files}
    try:
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    except OSError as e:
        raise BaselineError(f"--write-baseline {path}: {e.strerror or e}") from None
    return n


def load(path: Path) -> dict[str, Counter]:
    """Fingerprint counts by file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BaselineError(f"--baseline {path}: no such file (write one with --write-baseline)") from None
    except (OSError, UnicodeDecodeError) as e:
        raise BaselineError(f"--baseline {path}: {getattr(e, 'strerror', None) or e}") from None
    except json.JSONDecodeError as e:
        raise BaselineError(f"--baseline {path}: not valid JSON (line {e.lineno}): {e.msg}") from None
    if not isinstance(data, dict) or data.get("tool") != "precheck" or not isinstance(data.get("files"), dict):
        raise BaselineError(f"--baseline {path}: not a precheck baseline (write one with --write-baseline)")
    out: dict[str, Counter] = {}
    for p, entries in data["files"].items():
        if not isinstance(entries, list):
            raise BaselineError(f"--baseline {path}: files[{p!r}] must be a list")
        out[p] = Counter(e.get("fingerprint") for e in entries if isinstance(e, dict))
    return out


def new_only(report: Report, fps: list[str], known: Counter | None) -> tuple[Report, list[str], int]:
    """The report with findings in the baseline taken out (summary and verdict recomputed), the
    fingerprints of what is left, and how many were taken out."""
    if not known:
        return report, fps, 0
    left = Counter(known)
    kept, kept_fps = [], []
    for f, fp in zip(report.findings, fps):
        if f.severity != "block" and left[fp] > 0:
            left[fp] -= 1
            continue
        kept.append(f)
        kept_fps.append(fp)
    dropped = len(fps) - len(kept)
    if not dropped:
        return report, fps, 0
    report = report.model_copy(update={"findings": kept, "verdict": verdict_of(kept),
                                       "summary": summary_of(kept, report.summary.suppressed)})
    return report, kept_fps, dropped
