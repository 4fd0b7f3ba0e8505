"""A re-scan's findings for people (a table), programs (JSON) and spreadsheets (CSV)."""

from __future__ import annotations

import csv
import io
import json

from ..store.records import iso


def _rules(r: dict) -> str:
    return ", ".join(sorted({f["rule"] for f in r["new_findings"]}))


def as_json(run, rows: list[dict]) -> str:
    return json.dumps({"run": run_json(run),
                       "worse": [{**r, "checked_at": iso(r["checked_at"])} for r in rows]},
                      ensure_ascii=False, indent=2)


def as_csv(run, rows: list[dict]) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["check_id", "checked_at", "old_verdict", "new_verdict", "old_tier", "new_tier", "new_rules",
                "new_texts"])
    for r in rows:
        w.writerow([r["check_id"], iso(r["checked_at"]), r["old_verdict"], r["new_verdict"], r["old_tier"],
                    r["new_tier"], _rules(r), " | ".join(f.get("text") or "" for f in r["new_findings"])])
    return out.getvalue()


def as_table(run, rows: list[dict]):
    from rich.table import Table

    table = Table(title=f"re-scan {run.id}: {run.worse} of {run.checked} draft(s) got worse"
                        + (f", {run.skipped} without stored text" if run.skipped else ""))
    for col in ("check", "checked at", "verdict", "tier", "new findings"):
        table.add_column(col)
    for r in rows:
        table.add_row(r["check_id"], iso(r["checked_at"]), f"{r['old_verdict']} → {r['new_verdict']}",
                      f"{r['old_tier']} → {r['new_tier']}", _rules(r) or "—")
    return table


def run_json(run) -> dict:
    return {"id": run.id, "status": run.status, "params": run.params, "lexicon_version": run.lexicon_version,
            "started_at": iso(run.started_at), "finished_at": iso(run.finished_at),
            "checked": run.checked, "skipped": run.skipped, "worse": run.worse}
