"""Human-readable terminal output: one line per finding, then verdict and approval tier."""

from __future__ import annotations

from ..edits import labels
from ..models import Finding, Report

_STYLE = {"block": "bold red", "error": "red", "warning": "yellow", "info": "cyan"}
_VERDICT = {"pass": "[green]通过 pass[/]", "revise": "[yellow]需修改 revise[/]", "block": "[bold red]禁止发布 block[/]"}


def _esc(s: str) -> str:
    return s.replace("[", "\\[")


def _line(path: str, f: Finding, mark: str = "") -> str:
    where = f"{path}:{f.line}:{f.column}" if f.field == "body" else f"{path}:{f.field}"
    sugg = f" → {'、'.join(_esc(s) for s in labels(f)[:3])}" if f.suggestions else ""
    clause = f" ({f.clause})" if f.clause else ""
    return (f"{_esc(where)}: {mark}[{_STYLE[f.severity]}]{f.severity}[/] {_esc(f.message)}"
            f" [dim]\\[{f.rule}]{_esc(clause)}[/]{sugg}")


def render(results: list[tuple[str, Report]]) -> str:
    """Rich markup; the CLI prints it with colours on a terminal and plain otherwise."""
    out: list[str] = []
    for path, report in results:
        for f in report.findings:
            out.append(_line(path, f))
        out += [_line(path, f, "[dim]silenced[/] ") for f in report.suppressed]  # only with --show-suppressed
        s = report.summary
        chain = " → ".join(a.title for a in report.tier.approvers)
        silenced = f" · silenced {s.suppressed}" if s.suppressed else ""
        out.append(f"{_esc(path)}: {_VERDICT[report.verdict]}  block {s.block} · error {s.error} · "
                   f"warning {s.warning} · info {s.info}{silenced}  审批: {report.tier.level} ({chain})")
    return "\n".join(out)
