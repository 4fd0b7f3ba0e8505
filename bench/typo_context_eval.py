"""Context signals of the typo check on the dev sets: which name tagger, and what the signals save.

    python bench/typo_context_eval.py [--limit N] [--data DIR] [--taggers]

For each dev set in ``../shared/data/csc/`` (never a held-out test split) it prints:
- with ``--taggers``, for jieba's HMM tagger and Baidu LAC: how many ``typo.lm`` repairs fall inside
  a name the tagger finds, split into wrong repairs (on clean sentences, or not the gold correction)
  and right ones (the gold correction), and the CPU time the tagger took per 1,000 characters it read;
- the share of clean sentences with any ``typo.*`` / ``grammar.*`` finding, and with one of severity
  error, without the context signals and with them (run from an older checkout, whose typo check has
  no signals, it prints that version's share twice: the "before" figure).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import resources  # noqa: E402
from app.checks.base import RunOptions  # noqa: E402
from app.config import load_config  # noqa: E402
from app.document import parse  # noqa: E402
from app.models import Draft  # noqa: E402
from app.checks import grammar as grammar_check, typo as typo_check  # noqa: E402
from app.typo import context  # noqa: E402
from app.typo.names import jieba_tagger, lac_tagger  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "csc"
DEFAULT_SEVERITY = {r.id: r.severity for r in (*typo_check.RULES, *grammar_check.RULES)}
SETS = ("ecspell-odw.train.tsv", "ecspell-law.train.tsv", "ecspell-med.train.tsv", "cscd-ns-dev.jsonl",
        "sighan-train2015.tsv")


def read_set(path: Path, limit: int | None) -> list[tuple[str, str]]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if path.suffix == ".jsonl":
            row = json.loads(line)
            src, tgt = row["source"], row["target"]
        else:
            parts = line.split("\t")
            if len(parts) < 3:
                continue
            src, tgt = parts[1], parts[2]
        if len(src) == len(tgt):  # the character-for-character sets this engine addresses
            out.append((src, tgt))
    return out[:limit] if limit else out


def compare_taggers(det, pairs, taggers) -> dict[str, list[float]]:
    """tagger name → [wrong repairs in a name, right repairs in a name, CPU s, characters tagged]."""
    stats = {name: [0, 0, 0.0, 0] for name in taggers}
    total = [0, 0]
    for src, tgt in pairs:
        found = det.detect(src)
        if not found:
            continue
        for name, tag in taggers.items():
            ctx = context.FieldContext.build(src, context.Signals((), (), tag))
            c0 = time.process_time()
            inside = [ctx.entity_at(c.start) is not None for c in found]
            stats[name][2] += time.process_time() - c0
            stats[name][3] += sum(e - s for s, e in ctx._runs)
            for c, hit in zip(found, inside):
                right = src != tgt and tgt[c.start] == c.suggestions[0]
                stats[name][1 if right else 0] += hit
        for c in found:
            total[src != tgt and tgt[c.start] == c.suggestions[0]] += 1
    stats["(all repairs)"] = [total[0], total[1], 0.0, 0]
    return stats


def clean_share(checks, pairs) -> tuple[float, float, int]:
    clean = [s for s, t in pairs if s == t]
    anyf = err = 0
    for s in clean:
        doc = parse(Draft(body=s))
        hits = [h for c in checks for h in c.run(doc, RunOptions())]
        anyf += bool(hits)
        err += any((h.severity or DEFAULT_SEVERITY[h.rule]) == "error" for h in hits)
    n = len(clean) or 1
    return anyf / n, err / n, len(clean)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=int, default=None, help="sentences per set")
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--taggers", action="store_true", help="compare jieba's and LAC's names on the repairs")
    args = ap.parse_args()
    res = resources.load(config=load_config(), only={"typo", "grammar"})
    typo = res.checks["typo"]
    if typo.detector is None:
        sys.exit("typo.lm is not available (no language model)")
    checks = [res.checks[n] for n in ("typo", "grammar") if n in res.checks]
    c0 = time.process_time()
    surnames = typo.detector.surnames
    lac = lac_tagger(surnames)
    lac_load = time.process_time() - c0
    taggers = {"jieba": jieba_tagger(typo.seg, surnames)}
    if lac is not None:
        taggers["lac"] = lac
        print(f"LAC load: {lac_load:.2f} s CPU")
    with_signals = getattr(typo, "signals", None)  # None: a version of the check without them
    for name in SETS:
        path = args.data / name
        if not path.is_file():
            continue
        pairs = read_set(path, args.limit)
        print(f"\n## {name}: {len(pairs)} sentences")
        if args.taggers:
            for tname, (wrong, right, cpu, chars) in compare_taggers(typo.detector, pairs, taggers).items():
                per = f"{1000 * cpu / chars * 1000:.1f} ms CPU per 1,000 chars tagged" if chars else ""
                print(f"  {tname:14} repairs in a name: wrong {wrong}, right {right}  {per}")
        if with_signals is None:
            after = before = clean_share(checks, pairs)
        else:
            typo.signals = context.Signals((), (), None)
            before = clean_share(checks, pairs)
            typo.signals = with_signals
            after = clean_share(checks, pairs)
        print(f"  clean sentences ({before[2]}) with a finding: {before[0]:.1%} -> {after[0]:.1%}; "
              f"with an error: {before[1]:.1%} -> {after[1]:.1%}")


if __name__ == "__main__":
    main()
