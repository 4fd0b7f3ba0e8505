"""The rule catalogue as Markdown tables: ``precheck rules --format markdown`` writes docs/rules.md."""

from __future__ import annotations

from ..catalog import Catalog

HEADER = ("# Rules\n\n"
          "Every rule of every check, as the catalogue declares it (`app/catalog.py`). This file is written by\n"
          "`precheck rules --format markdown > docs/rules.md`; a test fails when it and the catalogue differ.\n"
          "Severity is the default (`[rules]` in `precheck.toml` may change it); scope says where a rule looks\n"
          "(`text` skips inline code and code blocks); a field carries at most `max` findings of one rule\n"
          "(— : no cap).\n")


def _cell(text: str | None) -> str:
    return (text or "").replace("|", "\\|").replace("\n", " ")


def render(cat: Catalog) -> str:
    out = [HEADER]
    for spec in cat.specs:
        rules = [r for r in cat.rules.values() if r.check == spec.name]
        out.append(f"\n## {spec.name} — {spec.label}\n\n| rule | severity | clause | scope | max | description |\n"
                   "|---|---|---|---|---|---|\n")
        out += [f"| `{r.id}` | {r.severity} | {_cell(r.clause)} | {r.scope} | {r.max_per_field or '—'} | "
                f"{_cell(r.description)} |\n" for r in rules]
    return "".join(out)
