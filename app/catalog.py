"""The rule catalogue: every check declares a ``CheckSpec``; the catalogue decides.

A check module under ``app/checks/`` that defines ``SPEC`` (and ``build(ctx)``) is a check: the
catalogue finds it, so adding a check touches no other file. ``Catalog.resolve()`` is the one place
that decides whether a rule's finding is reported, at which severity and clause, where the rule
looks (its scope) and how many of its findings a field may carry. The check names, the LanguageTool
tables, the web page's labels and the rules tables of ``docs/`` are all derived from here.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from functools import lru_cache
from types import ModuleType
from typing import TYPE_CHECKING, Callable, Iterable

from pydantic import ValidationError

from .config import Config, ConfigError
from .models import Severity
from .rules import Rule, Scope

if TYPE_CHECKING:
    from .checks.base import CheckOptions, LoadContext


@dataclass(frozen=True)
class CheckSpec:
    """What a check is, for everything around it: its name, its Chinese label, its place in the
    LanguageTool vocabulary, its order in a report, and its rules."""

    name: str
    label: str  # shown on the web page and as the LanguageTool category name
    lt_category: str  # LanguageTool category id (LT's own ids where the meaning is the same)
    issue_type: str  # ITS 2.0 localization-quality issue type, the vocabulary of LT's ``issueType``
    order: int  # checks run and are reported in this order
    rules: tuple[Rule, ...] = ()
    rules_from_data: Callable[["LoadContext"], Iterable[Rule]] | None = None  # rules built from a lexicon
    options: "type[CheckOptions] | None" = None  # its section of precheck.toml

    def all_rules(self, ctx: "LoadContext | None") -> tuple[Rule, ...]:
        built = tuple(self.rules_from_data(ctx)) if self.rules_from_data and ctx is not None else ()
        return built + self.rules


@dataclass(frozen=True, slots=True)
class Resolved:
    """How a finding of one rule is reported."""

    rule: Rule
    severity: Severity
    clause: str | None
    scope: Scope
    max_per_field: int | None


@lru_cache(maxsize=1)
def modules() -> tuple[ModuleType, ...]:
    """The check modules, in their run order."""
    from . import checks
    found = []
    for info in pkgutil.iter_modules(checks.__path__):
        mod = importlib.import_module(f"{checks.__name__}.{info.name}")
        if isinstance(getattr(mod, "SPEC", None), CheckSpec):
            found.append(mod)
    found.sort(key=lambda m: (m.SPEC.order, m.SPEC.name))
    names = [m.SPEC.name for m in found]
    if len(set(names)) != len(names):
        raise RuntimeError(f"two check modules declare the same name: {names}")
    return tuple(found)


def specs() -> tuple[CheckSpec, ...]:
    return tuple(m.SPEC for m in modules())


def check_names() -> tuple[str, ...]:
    return tuple(s.name for s in specs())


def module(name: str) -> ModuleType:
    for m in modules():
        if m.SPEC.name == name:
            return m
    raise KeyError(name)


def spec(name: str) -> CheckSpec | None:
    return next((s for s in specs() if s.name == name), None)


class Catalog:
    """The rules of one loaded configuration: the declared ones and those built from the lexicons."""

    def __init__(self, config: Config, rules: dict[str, Rule]):
        self.config = config
        self.specs = specs()
        self.rules = rules
        where = f" in {config.path}" if config.path else ""
        unknown = sorted(set(config.checks) - set(self.names))
        if unknown:
            raise ConfigError(f"[checks]{where} names unknown checks: {unknown}")
        self.require_known(config.rules, f"[rules]{where}", ConfigError)
        self.options: dict[str, CheckOptions] = {}
        for spec in self.specs:
            if spec.options is not None:
                try:
                    self.options[spec.name] = spec.options.model_validate(config.section(spec.name))
                except ValidationError as e:
                    err = e.errors()[0]
                    key = ".".join(map(str, err["loc"]))
                    raise ConfigError(f"[{spec.name}]{where} {key}: {err['msg']} (got {err.get('input')!r})") from None

    def require_known(self, rule_ids: Iterable[str], where: str, error: type[ValueError]) -> None:
        """A configuration that names a rule nobody declares is refused: a typo must not silence nothing."""
        unknown = sorted(set(rule_ids) - set(self.rules))
        if unknown:
            raise error(f"{where} names unknown rule id(s) {', '.join(unknown)}; `precheck rules` lists them")

    @classmethod
    def load(cls, config: Config, ctx: "LoadContext | None" = None) -> "Catalog":
        """The declared rules and, given the loaded lexicons (``ctx``), those built from them."""
        rules: dict[str, Rule] = {}
        for spec in specs():
            for rule in spec.all_rules(ctx):
                if rule.check != spec.name:
                    raise RuntimeError(f"rule {rule.id} is declared by check {spec.name}")
                if rule.id in rules:
                    raise RuntimeError(f"rule {rule.id} declared twice")
                rules[rule.id] = rule
        from .suppress import RULES as pipeline_rules  # reported by the pipeline itself, not by a check
        for rule in pipeline_rules:
            rules[rule.id] = rule
        return cls(config, rules)

    def with_config(self, config: Config) -> "Catalog":
        """The same rules under another configuration, checked as at load."""
        return Catalog(config, self.rules)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.specs)

    def check_enabled(self, name: str) -> bool:
        return self.config.check_enabled(name)

    def resolve(self, rule_id: str, severity: Severity | None = None, clause: str | None = None) -> Resolved | None:
        """How a finding of ``rule_id`` is reported, or None when the configuration turns the rule off.

        ``severity`` and ``clause`` are what the check said for this one finding (a category's channel
        severity, a link issue's own); the configuration overrides the severity, the rule gives the
        defaults."""
        rule = self.rules.get(rule_id)
        if rule is None:
            raise LookupError(f"rule {rule_id} is not declared by any check")
        if not self.config.rule_enabled(rule_id):
            return None
        return Resolved(rule, self.config.severity(rule_id) or severity or rule.severity, clause or rule.clause,
                        rule.scope, rule.max_per_field)

    def describe(self) -> list[dict]:
        """Every rule as ``/v1/rules`` lists it: its declaration and what this configuration makes of it."""
        items = []
        for rule in self.rules.values():
            item = rule.as_dict()
            item["enabled"] = self.check_enabled(rule.check) and self.config.rule_enabled(rule.id)
            item["severity"] = self.config.severity(rule.id) or rule.severity
            item["default_severity"] = rule.severity
            items.append(item)
        return items

    def labels(self) -> dict[str, str]:
        return {s.name: s.label for s in self.specs}
