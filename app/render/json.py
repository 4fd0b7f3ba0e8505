"""JSON output: ``{"files": [{"path", "report"}], "errors": [...]}`` for the CLI; the report as the API returns it."""

from __future__ import annotations

import json

from ..models import Report


def render(results: list[tuple[str, Report]], errors: list[tuple[str, str]] = ()) -> str:
    """``errors``: files that could not be checked, listed as ``"errors": [{"path", "message"}]``."""
    files = [{"path": path, "report": report.model_dump(mode="json")} for path, report in results]
    out: dict = {"files": files}
    if errors:
        out["errors"] = [{"path": path, "message": why} for path, why in errors]
    return json.dumps(out, ensure_ascii=False, indent=2)
