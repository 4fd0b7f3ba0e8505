"""JSON output: ``{"files": [{"path", "report"}]}`` for the CLI; the report as the API returns it."""

from __future__ import annotations

import json

from ..models import Report


def render(results: list[tuple[str, Report]]) -> str:
    files = [{"path": path, "report": report.model_dump(mode="json")} for path, report in results]
    return json.dumps({"files": files}, ensure_ascii=False, indent=2)
