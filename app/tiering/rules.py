"""The tier rules as data: trigger groups, context cues, category cues, roles and chains.

Read from ``tiers.toml`` in every lexicon folder, bundled first. A later folder ADDS terms,
patterns and exclusions to a group that exists (and ``remove`` drops terms), so a company file
lists only its own words; scalar values and tables of settings replace the earlier ones.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Iterable

from .. import wordbounds
from ..models import Approver
from ..wordbounds import WordBounds

_LISTS = ("terms", "patterns", "exclude", "hit", "nohit")


class TierRulesError(ValueError):
    pass


@dataclass(frozen=True)
class TriggerGroup:
    name: str
    clause: str
    weight: float
    message: str
    terms: tuple[str, ...]
    patterns: tuple[str, ...]
    exclude: tuple[str, ...]
    regex: re.Pattern | None  # terms (longest first) and patterns in one alternation
    hit: tuple[str, ...] = ()  # examples in which the group counts (they run as tests)
    nohit: tuple[str, ...] = ()  # examples in which it does not, its words inside other words among them


@dataclass(frozen=True)
class ContextCues:
    negation: tuple[str, ...] = ()
    not_negation: tuple[str, ...] = ()
    negation_window: int = 8
    denial: tuple[str, ...] = ()
    hypothetical: tuple[str, ...] = ()
    not_hypothetical: tuple[str, ...] = ()
    simulation: tuple[str, ...] = ()
    history: tuple[str, ...] = ()
    ongoing: tuple[str, ...] = ()
    present: tuple[str, ...] = ()
    topic: tuple[str, ...] = ()
    generic: tuple[str, ...] = ()
    self: tuple[str, ...] = ()
    self_company_after: str = ""
    interrogative: tuple[str, ...] = ()
    specific: tuple[str, ...] = ()


@dataclass(frozen=True)
class CategoryCues:
    name: str
    weight: float
    terms: tuple[str, ...]
    hit: tuple[str, ...] = ()
    nohit: tuple[str, ...] = ()


@dataclass(frozen=True)
class TierRules:
    groups: tuple[TriggerGroup, ...]
    context: ContextCues
    categories: tuple[CategoryCues, ...]  # work_update, business_knowledge, corporate_culture, unrelated
    threshold: float = 1.0
    repeat_factor: float = 0.5
    history_years: int = 2
    current_year: int = field(default_factory=lambda: date.today().year)
    category_min: float = 1.0
    title_factor: float = 2.0
    unrelated_min: float = 3.0
    roles: dict[str, str] = field(default_factory=dict)
    chains: dict[str, tuple[str, ...]] = field(default_factory=dict)
    departments: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)
    finding_rules: tuple[str, ...] = ()
    finding_severities: tuple[str, ...] = ()
    # Word bounds of the text (增发 is not a word of 新增发明): set by ``load_dirs``; None matches substrings.
    bounds: WordBounds | None = field(default=None, compare=False, repr=False)

    def approvers(self, roles: Iterable[str]) -> list[Approver]:
        return [Approver(role=r, title=self.roles.get(r, r)) for r in roles]


def _merge(into: dict, layer: dict) -> dict:
    out = dict(into)
    for key, value in layer.items():
        if key == "groups" and isinstance(value, dict):
            groups = dict(out.get("groups", {}))
            for name, g in value.items():
                if not isinstance(g, dict):
                    raise TierRulesError(f"tiers.toml: [groups.{name}] must be a table")
                groups[name] = _merge_group(groups.get(name, {}), g)
            out["groups"] = groups
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _merge_group(base: dict, layer: dict) -> dict:
    g = dict(base)
    for key, value in layer.items():
        if key in _LISTS or key == "remove":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise TierRulesError(f"tiers.toml: {key} of a group must be a list of strings, not {value!r}")
        if key in _LISTS:
            g[key] = list(g.get(key, [])) + [v for v in value if v not in g.get(key, [])]
        elif key == "remove":
            g["terms"] = [t for t in g.get("terms", []) if t not in set(value)]
        else:
            g[key] = value
    return g


def read(dirs: Iterable[Path]) -> dict:
    merged: dict = {}
    for d in dirs:
        p = Path(d) / "tiers.toml"
        if p.is_file():
            try:
                merged = _merge(merged, tomllib.loads(p.read_text(encoding="utf-8")))
            except tomllib.TOMLDecodeError as e:
                raise TierRulesError(f"{p} is not valid TOML: {e}") from None
    return merged


def _alternation(terms: Iterable[str], patterns: Iterable[str], where: str) -> re.Pattern | None:
    parts = [re.escape(t) for t in sorted(set(terms), key=len, reverse=True)]
    for p in patterns:
        try:
            re.compile(p)
        except re.error as e:
            raise TierRulesError(f"{where}: bad pattern {p!r}: {e}") from None
        parts.append(f"(?:{p})")
    return re.compile("|".join(parts)) if parts else None


def _strs(v, where: str) -> tuple[str, ...]:
    if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
        raise TierRulesError(f"{where} must be a list of strings")
    return tuple(x for x in v if x)


def build(data: dict) -> TierRules:
    groups = []
    for name, g in data.get("groups", {}).items():
        where = f"tiers.toml [groups.{name}]"
        terms, patterns = _strs(g.get("terms", []), where + " terms"), _strs(g.get("patterns", []), where + " patterns")
        try:
            weight = float(g.get("weight", 1.0))
        except (TypeError, ValueError):
            raise TierRulesError(f"{where} weight must be a number") from None
        groups.append(TriggerGroup(
            name=name, clause=str(g.get("clause", "三(三)2")), weight=weight, message=str(g.get("message", name)),
            terms=terms, patterns=patterns, exclude=_strs(g.get("exclude", []), where + " exclude"),
            regex=_alternation(terms, patterns, where), hit=_strs(g.get("hit", []), where + " hit"),
            nohit=_strs(g.get("nohit", []), where + " nohit")))

    ctx_data = data.get("context", {})
    ctx_kw = {}
    for f in ContextCues.__dataclass_fields__:
        if f in ctx_data:
            if f == "negation_window":
                ctx_kw[f] = int(ctx_data[f])
            elif f == "self_company_after":
                ctx_kw[f] = str(ctx_data[f])
            else:
                ctx_kw[f] = _strs(ctx_data[f], f"[context] {f}")
    cats = data.get("categories", {})
    categories = tuple(
        CategoryCues(name=n, weight=float(cats[n].get("weight", 1.0)), terms=_strs(cats[n].get("terms", []), n),
                     hit=_strs(cats[n].get("hit", []), n + " hit"), nohit=_strs(cats[n].get("nohit", []), n + " nohit"))
        for n in ("work_update", "business_knowledge", "corporate_culture", "unrelated") if n in cats)

    scoring = data.get("scoring", {})
    roles = {str(k): str(v) for k, v in data.get("roles", {}).items()}
    chains = {k: _strs(v, f"[chains] {k}") for k, v in data.get("chains", {}).items()}
    for level in ("department", "external", "leadership"):
        chains.setdefault(level, ())
    departments = {}
    for dept, spec in data.get("departments", {}).items():
        if not isinstance(spec, dict):
            raise TierRulesError(f'tiers.toml: [departments."{dept}"] must be a table')
        entry = {k: _strs(spec[k], f'[departments."{dept}"] {k}') for k in ("approvers", "external") if k in spec}
        departments[dept.strip()] = entry
    for where, chain in [(f"[chains] {k}", v) for k, v in chains.items()] + [
            (f'[departments."{d}"] {k}', v) for d, e in departments.items() for k, v in e.items()]:
        unknown = [r for r in chain if r not in roles]
        if unknown:
            raise TierRulesError(f"tiers.toml {where}: roles {unknown} have no title in [roles]")
    findings = data.get("findings", {})
    kw = {}
    if "current_year" in scoring:
        kw["current_year"] = int(scoring["current_year"])
    return TierRules(
        groups=tuple(groups), context=ContextCues(**ctx_kw), categories=categories,
        threshold=float(scoring.get("threshold", 1.0)), repeat_factor=float(scoring.get("repeat_factor", 0.5)),
        history_years=int(scoring.get("history_years", 2)), category_min=float(cats.get("min_score", 1.0)),
        title_factor=float(cats.get("title_factor", 2.0)), unrelated_min=float(cats.get("unrelated_min", 3.0)),
        roles=roles, chains=chains, departments=departments,
        finding_rules=_strs(findings.get("rules", []), "[findings] rules"),
        finding_severities=_strs(findings.get("severities", []), "[findings] severities"), **kw)


def load_dirs(dirs: Iterable[Path]) -> TierRules:
    dirs = tuple(dirs)
    return replace(build(read(dirs)), bounds=wordbounds.load(dirs))
