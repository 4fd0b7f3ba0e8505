"""The pipeline in process: resources loaded once per test run, drafts given as a body or a dict."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=None)
def resources_for(*checks: str):
    """Resources with only the named checks loaded (all when none are named), built once per test run."""
    from app import resources
    return resources.load(only=set(checks) if checks else None)


def run_draft(draft: dict | str, *checks: str):
    """Run the pipeline in process on a draft (a body string or a dict of Draft fields)."""
    from app import pipeline
    from app.models import Draft
    d = Draft(**({"body": draft} if isinstance(draft, str) else draft))
    return pipeline.run(d, resources_for(*checks))
