"""precheck.toml: which checks and rules run, at which severity, and per-check options.

The bundled ``app/precheck.toml`` documents every setting; a file given with ``--config`` or
``PRECHECK_CONFIG``, or found beside the checked file (app/project_config.py), is merged over it, so a
project's file only lists what it changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .models import SEVERITIES

DEFAULT_CONFIG = Path(__file__).with_name("precheck.toml")


class ConfigError(ValueError):
    pass


def _merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for k, v in over.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


@dataclass(frozen=True)
class Config:
    checks: dict[str, bool] = field(default_factory=dict)
    rules: dict[str, Any] = field(default_factory=dict)  # rule id -> False | severity
    options: dict[str, dict] = field(default_factory=dict)
    path: str | None = None

    def check_enabled(self, name: str) -> bool:
        return self.checks.get(name, True)

    def rule_enabled(self, rule_id: str) -> bool:
        return self.rules.get(rule_id, True) is not False

    def severity(self, rule_id: str) -> str | None:
        v = self.rules.get(rule_id)
        return v if isinstance(v, str) else None

    def section(self, name: str) -> dict:
        return self.options.get(name, {})


def load_config(path: Path | str | None = None) -> Config:
    from .project_config import load  # the file's own layer: a precheck.toml or a pyproject.toml

    return load(Path(path) if path else None).config


merge = _merge


def from_data(data: dict, path: str | None = None) -> Config:
    """A Config from merged settings (the bundled file with a project's file over it)."""
    data = dict(data)
    checks = data.pop("checks", {})
    rules = data.pop("rules", {})
    for rule_id, v in rules.items():
        if not (v is False or v is True or v in SEVERITIES):
            raise ConfigError(f"[rules] {rule_id} = {v!r}: use false, true or one of {list(SEVERITIES)}")
    return Config(checks={k: bool(v) for k, v in checks.items()}, rules=rules, options=data, path=path)
