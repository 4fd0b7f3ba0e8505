"""Evaluate the approval tier classifier on the labelled drafts in tests/data/tiers/.

    python bench/tier_eval.py                 # dev and holdout sets, classifier alone
    python bench/tier_eval.py --set holdout   # one set
    python bench/tier_eval.py --pipeline      # run every enabled check first, as the service does
    python bench/tier_eval.py -v              # list every miss with its evidence
    python bench/tier_eval.py --substrings    # triggers as plain substrings, as before word bounds

Each draft is a JSON line: id, level, category, optional unrelated, and Draft fields (title, body,
format, author). ``findings`` (rule, severity, text) stand for what other checks report, so the
classifier's use of findings is measured without depending on those checks.
Prints accuracy and the confusion matrix of levels and of categories, and the count of leadership
drafts routed to department (the governance failure the target forbids).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.document import parse  # noqa: E402
from app.models import Draft, Finding  # noqa: E402
from app.settings import get_settings  # noqa: E402

DATA = ROOT / "tests" / "data" / "tiers"
# dev: tuned on; holdout: never tuned on; real: drafts written as users write them (word-boundary
# traps such as 新增发明专利, awards, launches, recruitment, personnel news, incidents, external authors).
SETS = ("dev", "holdout", "real")
LEVELS = ("department", "external", "leadership")
CATEGORIES = ("work_update", "business_knowledge", "corporate_culture", "other")
DRAFT_KEYS = ("title", "body", "format", "author", "media", "channel")


def load_set(name: str) -> list[dict]:
    rows = []
    for line in (DATA / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            rows.append(json.loads(line))
    return rows


def findings_of(row: dict, draft: Draft) -> list[Finding]:
    out = []
    for spec in row.get("findings", []):
        field = spec.get("field", "body")
        src = getattr(draft, field) or ""
        at = src.find(spec["text"])
        if at < 0:
            raise ValueError(f"{row['id']}: finding text {spec['text']!r} is not in the {field}")
        out.append(Finding(check=spec["rule"].split(".")[0], rule=spec["rule"], severity=spec["severity"],
                           message=spec["rule"], field=field, offset=at, length=len(spec["text"]),
                           text=spec["text"]))
    return out


def classify_row(row: dict, rules, resources=None):
    from app import pipeline, tiers
    draft = Draft(**{k: row[k] for k in DRAFT_KEYS if k in row})
    if resources is not None:
        report = pipeline.run(draft, resources)
        findings = list(report.findings) + findings_of(row, draft)
        return tiers.classify(parse(draft), findings, resources.tier_rules)
    return tiers.classify(parse(draft), findings_of(row, draft), rules)


def evaluate(rows: list[dict], rules, resources=None) -> dict:
    level_cm: Counter = Counter()
    cat_cm: Counter = Counter()
    unrelated = Counter()
    misses = []
    t0 = time.perf_counter()
    for row in rows:
        tier = classify_row(row, rules, resources)
        level_cm[(row["level"], tier.level)] += 1
        cat_cm[(row["category"], tier.content_category)] += 1
        flagged = any(r.code == "content.unrelated" for r in tier.reasons)
        unrelated[(bool(row.get("unrelated")), flagged)] += 1
        if tier.level != row["level"] or tier.content_category != row["category"] or flagged != bool(
                row.get("unrelated")):
            misses.append((row, tier))
    elapsed = time.perf_counter() - t0
    n = len(rows)
    return {
        "n": n,
        "level_accuracy": sum(v for (a, b), v in level_cm.items() if a == b) / n if n else 0.0,
        "category_accuracy": sum(v for (a, b), v in cat_cm.items() if a == b) / n if n else 0.0,
        "leadership_as_department": level_cm[("leadership", "department")],
        "department_as_leadership": level_cm[("department", "leadership")],
        "unrelated": unrelated,
        "level_cm": level_cm,
        "category_cm": cat_cm,
        "misses": misses,
        "ms_per_draft": elapsed * 1000 / n if n else 0.0,
    }


def _matrix(cm: Counter, labels: tuple[str, ...]) -> str:
    w = max(len(x) for x in labels) + 2
    lines = ["expected \\ got".ljust(w) + "".join(x[:12].rjust(14) for x in labels)]
    for a in labels:
        lines.append(a.ljust(w) + "".join(str(cm[(a, b)]).rjust(14) for b in labels))
    return "\n".join(lines)


def report(name: str, r: dict, verbose: bool) -> None:
    u = r["unrelated"]
    print(f"== {name}: {r['n']} drafts, {r['ms_per_draft']:.2f} ms/draft")
    print(f"level accuracy     {r['level_accuracy']:.1%}")
    print(f"category accuracy  {r['category_accuracy']:.1%}")
    print(f"leadership drafts classified department: {r['leadership_as_department']}")
    print(f"department drafts classified leadership: {r['department_as_leadership']}")
    print(f"unrelated-to-work warning: {u[(True, True)]} right, {u[(True, False)]} missed, "
          f"{u[(False, True)]} false")
    print("levels:\n" + _matrix(r["level_cm"], LEVELS))
    print("categories:\n" + _matrix(r["category_cm"], CATEGORIES))
    if verbose:
        for row, tier in r["misses"]:
            print(f"- {row['id']}: expected {row['level']}/{row['category']}"
                  f"{'/unrelated' if row.get('unrelated') else ''}, got {tier.level}/{tier.content_category}")
            for reason in tier.reasons:
                print(f"    {reason.code} {reason.clause} {reason.field}@{reason.offset} {reason.text!r}")
    print()


def cpu(rows: list[dict], rules) -> None:
    from app import tiers
    docs = [parse(Draft(**{k: row[k] for k in DRAFT_KEYS if k in row})) for row in rows]
    for label, r in (("with word bounds", rules), ("substrings", dataclasses.replace(rules, bounds=None))):
        best = float("inf")
        for _ in range(5):
            t0 = time.process_time()
            for d in docs:
                tiers.classify(d, [], r)
            best = min(best, time.process_time() - t0)
        print(f"{label:<17} {best * 1000 / len(docs):.3f} ms CPU per draft ({len(docs)} drafts, best of 5)")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", choices=(*SETS, "all"), default="all")
    ap.add_argument("--pipeline", action="store_true", help="run the enabled checks and use their findings too")
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("--cpu", action="store_true",
                    help="CPU time of the classifier per draft, with and without word bounds (best of 5)")
    ap.add_argument("--substrings", action="store_true",
                    help="match triggers as plain substrings (no word bounds), to measure what the bounds change")
    args = ap.parse_args()
    from app import resources as resources_mod
    settings = get_settings()
    res = resources_mod.load(settings) if args.pipeline else resources_mod.load(settings, only=set())
    if args.substrings:
        res = dataclasses.replace(res, tier_rules=dataclasses.replace(res.tier_rules, bounds=None))
    names = SETS if args.set == "all" else (args.set,)
    if args.cpu:
        cpu([row for n in names for row in load_set(n)], res.tier_rules)
        return 0
    for name in names:
        report(name, evaluate(load_set(name), res.tier_rules, res if args.pipeline else None), args.verbose)
    if len(names) > 1:
        rows = [row for n in names for row in load_set(n)]
        report("all", evaluate(rows, res.tier_rules, res if args.pipeline else None), args.verbose)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
