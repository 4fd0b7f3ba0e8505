"""Typo and grammar evaluation: SIGHAN-15 quality, false alarms on clean text, throughput.

    python bench/typo_eval.py [--limit N] [--show-errors] [--hostile]

Prints sentence-level detection precision/recall/F1 and correction precision/recall/F1 on
pycorrector's bundled ``sighan2015_test.tsv`` (pycorrector's definition: a sentence with errors is a
true positive when it is flagged — for correction, when the corrected sentence equals the truth; a
clean sentence that is flagged or changed is a false positive), the findings on the clean corpus in
``tests/data/clean_corpus/`` and on ``policy.md``, and the characters per second of the typo and
grammar checks together on one core. ``--hostile`` adds the time taken by 100,000-character drafts
of garbled text (random characters, one clause without punctuation, rare characters).
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import resources  # noqa: E402
from app.config import load_config  # noqa: E402
from app.settings import get_settings  # noqa: E402
from app.checks.base import RunOptions  # noqa: E402
from app.document import parse  # noqa: E402
from app.models import Draft  # noqa: E402
from app.pipeline import run  # noqa: E402
from app.typo.charsets import sighan_path  # noqa: E402

CLEAN = ROOT / "tests" / "data" / "clean_corpus"
POLICY_CANDIDATES = (ROOT / "tests" / "data" / "policy.md", ROOT.parent / "shared" / "policy.md")


def load_sighan(limit: int | None) -> list[tuple[str, str]]:
    path = sighan_path()
    if path is None:
        sys.exit("sighan2015_test.tsv not found: is pycorrector installed?")
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) == 2 and not line.startswith("#"):
            pairs.append((parts[0], parts[1]))
    return pairs[:limit] if limit else pairs


def corrected(text: str, hits) -> str:
    chars = list(text)
    for h in sorted(hits, key=lambda h: -h.start):
        if h.suggestions:
            chars[h.start:h.end] = list(h.suggestions[0])
    return "".join(chars)


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def sighan(checks, pairs, show: bool, label: str) -> None:
    d_tp = d_fp = d_fn = c_tp = c_fp = c_fn = 0
    t0, c0 = time.perf_counter(), time.process_time()
    chars = 0
    for src, tgt in pairs:
        chars += len(src)
        doc = parse(Draft(body=src))
        # Grammar contributes its 的/地/得 repairs only: SIGHAN's truth repairs characters, not style.
        hits = [h for c in checks for h in c.run(doc, RunOptions())
                if h.rule.startswith("typo.") or h.rule == "grammar.de_di_de"]
        pred = corrected(src, hits)
        flagged = bool(hits)
        if src == tgt:
            d_fp += flagged
            c_fp += pred != src
            if show and flagged:
                print(f"FP  {src}\n    -> {pred}")
        else:
            d_tp += flagged
            d_fn += not flagged
            c_tp += pred == tgt
            c_fn += pred != tgt
            if show and pred != tgt:
                print(f"{'MISS' if not flagged else 'BAD '} {src}\n    truth {tgt}\n    pred  {pred}")
    dt, cpu = time.perf_counter() - t0, time.process_time() - c0
    p, r, f = prf(d_tp, d_fp, d_fn)
    print(f"[{label}] SIGHAN-15 ({len(pairs)} sentences) detection:  P {p:.3f}  R {r:.3f}  F1 {f:.3f}"
          f"  (tp {d_tp}, fp {d_fp}, fn {d_fn})")
    p, r, f = prf(c_tp, c_fp, c_fn)
    print(f"[{label}] SIGHAN-15 ({len(pairs)} sentences) correction: P {p:.3f}  R {r:.3f}  F1 {f:.3f}"
          f"  (tp {c_tp}, fp {c_fp}, fn {c_fn})")
    print(f"[{label}] SIGHAN-15 throughput: {chars / cpu:,.0f} chars/s of CPU, {chars / dt:,.0f} wall")


def clean_texts() -> list[tuple[str, str, str]]:
    texts = [(p.name, p.read_text(encoding="utf-8"), "markdown" if p.suffix == ".md" else "text")
             for p in sorted(CLEAN.glob("*")) if p.is_file()]
    for p in POLICY_CANDIDATES:
        if p.is_file():
            texts.append(("policy.md", p.read_text(encoding="utf-8"), "markdown"))
            break
    return texts


def false_alarms(res, texts) -> None:
    for name, text, fmt in texts:
        report = run(Draft(body=text, format=fmt, checks=["typo", "grammar"]), res)
        errors = [f for f in report.findings if f.severity in ("error", "block")]
        warnings = [f for f in report.findings if f.severity not in ("error", "block")]
        if name == "policy.md" or errors or warnings:
            print(f"{name}: {len(text)} chars, {len(errors)} errors, {len(warnings)} warnings")
        for f in errors + warnings:
            print(f"    {f.severity:7} {f.rule:28} {f.text!r} -> {list(f.suggestions)[:3]}  line {f.line}")
    corpus = [t for t in texts if t[0] != "policy.md"]
    errs = sum(1 for name, text, fmt in corpus for f in run(Draft(body=text, format=fmt, checks=["typo", "grammar"]),
                                                               res).findings if f.severity in ("error", "block"))
    paragraphs = sum(len([p for p in t[1].split("\n\n") if p.strip()]) for t in corpus)
    print(f"clean corpus: {len(corpus)} files, {paragraphs} paragraphs, "
          f"{sum(len(t[1]) for t in corpus)} chars, {errs} error-severity findings")


def throughput(res, texts, warmup: list[str]) -> None:
    """Cold figures: the caches are warmed on other text (SIGHAN), as a running service's would be,
    so the measured text is new to every cache."""
    checks = [res.checks[n] for n in ("typo", "grammar") if n in res.checks]
    for s in warmup:
        doc = parse(Draft(body=s))
        for c in checks:
            list(c.run(doc, RunOptions()))
    docs = [parse(Draft(body=text, format="text")) for _n, text, _f in texts]
    total = sum(len(d.body.text) for d in docs)
    t0, c0 = time.perf_counter(), time.process_time()
    for doc in docs:
        for c in checks:
            list(c.run(doc, RunOptions()))
    dt, cpu = time.perf_counter() - t0, time.process_time() - c0
    # CPU time is the one-core figure even when other processes share the machine.
    print(f"typo+grammar throughput on clean corpus + policy (cold caches): {total / cpu:,.0f} chars/s of CPU, "
          f"{total / dt:,.0f} chars/s wall ({total} chars, {'+'.join(c.name for c in checks)})")


def hostile(res) -> None:
    """Garbled drafts at the size limit: the finding limit and the clause pieces keep them bounded."""
    import random
    from app.typo import charsets

    rnd = random.Random(1)
    common = sorted(charsets.load().common)
    drafts = {
        "random common characters": "".join(rnd.choice(common) for _ in range(100_000)),
        "random characters, a comma every 8": "，".join("".join(rnd.choice(common) for _ in range(8))
                                                      for _ in range(11_111))[:100_000],
        "one sentence repeated without punctuation": ("我跟我朋唷打算去法国玩儿李台生清林小安帮一个忙" * 5000)[:100_000],
        "random rare characters": "".join(chr(rnd.randint(0x4E00, 0x9FA5)) for _ in range(100_000)),
    }
    for name, body in drafts.items():
        c0 = time.process_time()
        report = run(Draft(body=body, checks=["typo", "grammar"]), res)
        print(f"hostile: {name}: {time.process_time() - c0:.2f} s of CPU, {len(report.findings)} findings")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--limit", type=int, default=None, help="first N SIGHAN sentences only")
    ap.add_argument("--show-errors", action="store_true", help="print every wrong SIGHAN sentence")
    ap.add_argument("--skip-sighan", action="store_true")
    ap.add_argument("--hostile", action="store_true", help="time garbled 100,000-character drafts too")
    args = ap.parse_args()
    t0 = time.perf_counter()
    # The clause cache would turn the repeated passes below into look-ups: every figure here is for
    # text the engine has not seen.
    cfg = load_config()
    cfg = dataclasses.replace(cfg, options={**cfg.options, "typo": {**cfg.section("typo"), "clause_cache": 0}})
    res = resources.load(get_settings(), config=cfg, only={"typo", "grammar"})
    print(f"loaded in {time.perf_counter() - t0:.2f} s; "
          + ", ".join(f"{n}: {c.status} ({c.engine}{'; ' + c.detail if c.detail else ''})"
                      for n, c in res.checks.items()))
    if not args.skip_sighan:
        pairs = load_sighan(args.limit)
        # Margins were tuned on the first half only; the second half is the held-out figure.
        half = len(pairs) // 2
        for part, rows in (("", pairs), (" first half", pairs[:half]), (" second half", pairs[half:])):
            if part and (args.limit or len(pairs) < 100):
                continue
            sighan([res.checks["typo"]], rows, args.show_errors and not part, "typo" + part)
            sighan([res.checks["typo"], res.checks["grammar"]], rows, False, "typo + grammar.de_di_de" + part)
    texts = clean_texts()
    # Throughput first: the false-alarm pass would fill the model-score caches with these very texts.
    throughput(res, texts, [s for s, _t in load_sighan(200)])
    false_alarms(res, texts)
    if args.hostile:
        hostile(res)


if __name__ == "__main__":
    main()
