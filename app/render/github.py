"""GitHub Actions workflow commands: annotations on the lines of the checked files."""

from __future__ import annotations

from ..edits import labels
from ..models import Report

_LEVEL = {"block": "error", "error": "error", "warning": "warning", "info": "notice"}


def _escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_prop(s: str) -> str:
    return _escape_data(s).replace(":", "%3A").replace(",", "%2C")


def render(results: list[tuple[str, Report]], errors: list[tuple[str, str]] = ()) -> str:
    """``errors``: files that could not be checked, each annotated on the file."""
    lines = [f"::error file={_escape_prop(path)},title=precheck::{_escape_data(why)}" for path, why in errors]
    for path, report in results:
        for f in report.findings:
            props = [f"file={_escape_prop(path)}", f"title={_escape_prop(f.rule)}"]
            if f.field == "body":
                props += [f"line={f.line}", f"col={f.column}"]
            msg = f.message + (f"（建议：{'、'.join(labels(f)[:3])}）" if f.suggestions else "")
            lines.append(f"::{_LEVEL[f.severity]} {','.join(props)}::{_escape_data(msg)}")
    return "\n".join(lines)
