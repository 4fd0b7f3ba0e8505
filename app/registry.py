"""The one place that lists the checks. Order here is the order they run and are reported in."""

from __future__ import annotations

import importlib
from functools import lru_cache
from types import ModuleType

from .rules import Rule

# check name -> module under app.checks; each module defines NAME, RULES and build(ctx) -> Check.
CHECK_MODULES: dict[str, str] = {
    "placeholder": "app.checks.placeholder",
    "privacy": "app.checks.privacy",
    "style": "app.checks.style",
    "claims": "app.checks.claims",
    "typo": "app.checks.typo",
    "grammar": "app.checks.grammar",
    "media": "app.checks.media",
    "link": "app.checks.link",
    "sensitive": "app.checks.sensitive",
}


@lru_cache(maxsize=None)
def module(name: str) -> ModuleType:
    return importlib.import_module(CHECK_MODULES[name])


def check_names() -> list[str]:
    return list(CHECK_MODULES)


@lru_cache(maxsize=1)
def all_rules() -> dict[str, Rule]:
    rules: dict[str, Rule] = {}
    for name in CHECK_MODULES:
        for rule in module(name).RULES:
            if rule.check != name:
                raise RuntimeError(f"rule {rule.id} is declared by check {name}")
            if rule.id in rules:
                raise RuntimeError(f"rule {rule.id} declared twice")
            rules[rule.id] = rule
    from . import suppress  # inline.block_silenced: reported by the pipeline, not by a check
    from .tiering import relevance  # rules whose findings the tier classifier derives
    for rule in relevance.RULES + suppress.RULES:
        if rule.id in rules:
            raise RuntimeError(f"rule {rule.id} declared twice")
        rules[rule.id] = rule
    return rules
