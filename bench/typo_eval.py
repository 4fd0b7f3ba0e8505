"""Typo and grammar evaluation on the spelling-check dev sets, SIGHAN-15 and the clean corpus.

    python bench/typo_eval.py [--limit N] [--sets a,b] [--show-errors SET] [--plot PNG] [--hostile]

For each set: the report part of every dev set in ``csc_data.SETS`` (sentences the decision model was
neither fitted nor calibrated on), pycorrector's bundled ``sighan2015_test.tsv`` (whole), and the clean
corpus (``tests/data/clean_corpus/`` and ``policy.md``, cut into sentences), it prints
- the share of clean sentences with any typo/grammar finding, and with a finding of severity error;
- sentence detection and correction precision/recall/F1 by the papers' exact metric (detection: the
  edited positions equal the gold positions; correction: the corrected sentence equals the truth;
  precision over every sentence with an edit, recall over every sentence with an error) and by the
  current one (pycorrector's: a sentence with errors is a detection hit when it is flagged at all, a
  correction hit when the corrected sentence equals the truth; a clean sentence flagged or changed is
  a false positive);
then the reliability table of every typo/的地得 finding on the dev report parts (bands of confidence
against the measured share of findings whose suggestion is the truth) with a PNG diagram (matplotlib,
``pip install .[bench]``), the characters per CPU-second of the typo and grammar checks on clean
text, and the load time. The engine reads typo.* findings and grammar.de_di_de as repairs; every
grammar rule counts as a finding for the false-alarm share.
"""

from __future__ import annotations

import argparse
import collections
import dataclasses
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import csc_data  # noqa: E402
from app import resources  # noqa: E402
from app.checks import grammar as grammar_check, typo as typo_check  # noqa: E402
from app.settings import get_settings  # noqa: E402
from app.checks.base import RunOptions  # noqa: E402
from app.config import load_config  # noqa: E402
from app.document import parse  # noqa: E402
from app.models import Draft  # noqa: E402
from app.pipeline import run  # noqa: E402
from app.typo.charsets import sighan_path  # noqa: E402

CLEAN = ROOT / "tests" / "data" / "clean_corpus"
POLICY_CANDIDATES = (ROOT / "tests" / "data" / "policy.md", ROOT.parent / "shared" / "policy.md")
DEFAULT_SEVERITY = {r.id: r.severity for r in (*typo_check.RULES, *grammar_check.RULES)}
BANDS = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0001)


def is_repair(h) -> bool:
    return h.rule.startswith("typo.") or h.rule == "grammar.de_di_de"


def load_sighan(limit: int | None = None) -> list[tuple[str, str]]:
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
        if h.suggestions and len(h.suggestions[0]) == h.end - h.start:
            chars[h.start:h.end] = list(h.suggestions[0])
    return "".join(chars)


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


@dataclasses.dataclass
class Tally:
    sentences: int = 0
    clean: int = 0
    clean_any: int = 0
    clean_error: int = 0
    gold: int = 0  # sentences with an error
    edited: int = 0  # sentences the engine changed
    exact_det: int = 0
    exact_cor: int = 0
    flagged_err: int = 0  # current metric: error sentences flagged
    flagged_clean: int = 0  # clean sentences flagged by a repair
    changed_clean: int = 0
    chars: int = 0
    clean_rules: collections.Counter = dataclasses.field(default_factory=collections.Counter)

    def add(self, src: str, tgt: str, hits) -> bool:
        """One sentence; returns whether the corrected sentence equals the truth."""
        self.sentences += 1
        self.chars += len(src)
        repairs = [h for h in hits if is_repair(h)]
        pred = corrected(src, repairs)
        edits = {k for k, (a, b) in enumerate(zip(src, pred)) if a != b}
        gold = {k for k, (a, b) in enumerate(zip(src, tgt)) if a != b}
        if len(src) != len(tgt):
            gold.add(-1)  # a truth that inserts or deletes (10 SIGHAN-15 sentences): never an exact detection
        self.edited += bool(edits)
        if not gold:
            self.clean += 1
            self.clean_any += bool(hits)
            self.clean_error += any((h.severity or DEFAULT_SEVERITY.get(h.rule)) in ("error", "block") for h in hits)
            self.clean_rules.update({f"{h.rule}:{h.severity or DEFAULT_SEVERITY.get(h.rule)}" for h in hits})
            self.flagged_clean += bool(repairs)
            self.changed_clean += pred != src
        else:
            self.gold += 1
            self.exact_det += edits == gold
            self.exact_cor += pred == tgt
            self.flagged_err += bool(repairs)
        return pred == tgt

    def lines(self, name: str) -> list[str]:
        out = [f"{name}: {self.sentences} sentences ({self.clean} clean, {self.gold} with errors)"]
        if self.clean:
            out.append(f"  clean sentences with any typo/grammar finding: {self.clean_any / self.clean:.1%} "
                       f"({self.clean_any}); with an error-severity finding: {self.clean_error / self.clean:.2%} "
                       f"({self.clean_error})")
            if self.clean_rules:
                out.append("  clean sentences by rule:severity: " + ", ".join(f"{k} {v}" for k, v in
                                                                      self.clean_rules.most_common()))
        if self.gold:
            for label, tp in (("detection", self.exact_det), ("correction", self.exact_cor)):
                p, r, f = prf(tp, self.edited, self.gold)
                out.append(f"  exact   {label:10}: P {p:.3f}  R {r:.3f}  F1 {f:.3f}  (tp {tp}, edited {self.edited})")
            cur = (("detection", self.flagged_err, self.flagged_clean),
                   ("correction", self.exact_cor, self.changed_clean))
            for label, tp, fp in cur:
                fn = self.gold - tp
                p, r, f = prf(tp, tp + fp, tp + fn)
                out.append(f"  current {label:10}: P {p:.3f}  R {r:.3f}  F1 {f:.3f}  (tp {tp}, fp {fp}, fn {fn})")
        return out


def evaluate(checks, pairs, reliability: list | None, show: bool = False, keep: list | None = None) -> Tally:
    t = Tally()
    for src, tgt in pairs:
        doc = parse(Draft(body=src, format="text"))
        hits = [h for c in checks for h in c.run(doc, RunOptions())]
        if keep is not None:
            keep.append((src, tgt, hits))
        ok = t.add(src, tgt, hits)
        if reliability is not None:
            for h in hits:
                if is_repair(h) and h.confidence is not None and h.suggestions:
                    reliability.append((h.confidence, tgt[h.start:h.end] == h.suggestions[0] and src != tgt))
        if show and not ok:
            print(f"    src   {src}\n    truth {tgt}\n    pred  {corrected(src, [h for h in hits if is_repair(h)])}")
    return t


def sweep(kept: dict[str, list], floors=(0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)) -> None:
    """What each floor (``confidence_min``) would give, from one run at a low floor: repairs below
    the floor are dropped after the fact (the detector would also stop applying them to the context
    of later repairs, which this ignores)."""
    print("floor sweep (clean sentences with any finding / exact correction F1):")
    for floor in floors:
        cells = []
        for name, rows in kept.items():
            t = Tally()
            for src, tgt, hits in rows:
                t.add(src, tgt, [h for h in hits if not is_repair(h) or (h.confidence or 0) >= floor])
            f = prf(t.exact_cor, t.edited, t.gold)[2]
            cells.append(f"{name} {t.clean_any / max(1, t.clean):.1%}/{f:.3f}")
        print(f"  {floor:.2f}: " + "  ".join(cells))


def clean_texts() -> list[tuple[str, str, str]]:
    texts = [(p.name, p.read_text(encoding="utf-8"), "markdown" if p.suffix == ".md" else "text")
             for p in sorted(CLEAN.glob("*")) if p.is_file()]
    for p in POLICY_CANDIDATES:
        if p.is_file():
            texts.append(("policy.md", p.read_text(encoding="utf-8"), "markdown"))
            break
    return texts


def clean_corpus(checks, texts, show: bool) -> Tally:
    """Whole documents through the checks; each finding is charged to the sentence it falls in."""
    t = Tally()
    for name, text, fmt in texts:
        doc = parse(Draft(body=text, format=fmt))
        body = doc.fields[0]
        sentences = [(s, e) for s, e in body.sentences if body.text[s:e].strip()]
        hit_at: dict[int, list] = {}
        for h in (h for c in checks for h in c.run(doc, RunOptions()) if h.field == "body"):
            k = next((j for j, (s, e) in enumerate(sentences) if s <= h.start < e), None)
            if k is not None:
                hit_at.setdefault(k, []).append(h)
            if show:
                print(f"    {name}: {h.severity or DEFAULT_SEVERITY[h.rule]:7} {h.rule:24} "
                      f"{body.text[h.start:h.end]!r} -> {list(h.suggestions)[:3]}  conf {h.confidence}"
                      f"  in {body.text[max(0, h.start - 12):h.end + 12]!r}")
        for k, (s, e) in enumerate(sentences):
            t.sentences += 1
            t.clean += 1
            t.chars += e - s
            hs = hit_at.get(k, [])
            t.clean_any += bool(hs)
            t.clean_error += any((h.severity or DEFAULT_SEVERITY[h.rule]) in ("error", "block") for h in hs)
    return t


def reliability_table(rows: list[tuple[float, bool]], plot: Path | None) -> None:
    print(f"reliability of typo/的地得 findings on the dev report parts ({len(rows)} findings):")
    print("  band        findings  mean confidence  measured precision  gap")
    centres, precs, counts = [], [], []
    for lo, hi in zip(BANDS, BANDS[1:]):
        band = [(c, r) for c, r in rows if lo <= c < hi]
        if not band:
            continue
        mean = sum(c for c, _r in band) / len(band)
        prec = sum(r for _c, r in band) / len(band)
        centres.append(mean)
        precs.append(prec)
        counts.append(len(band))
        print(f"  [{lo:.1f}, {min(hi, 1.0):.1f})  {len(band):8}  {mean:15.3f}  {prec:18.3f}  {abs(prec - mean):.3f}")
    high = [r for c, r in rows if c >= 0.8]
    if high:
        print(f"  confidence >= 0.8: {sum(high) / len(high):.1%} right ({len(high)} findings)")
    if plot is None:
        return
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("  (no diagram: matplotlib is not installed; pip install '.[bench]')")
        return
    fig, ax = plt.subplots(figsize=(4.5, 4.5), dpi=100)
    ax.plot([0, 1], [0, 1], "--", color="grey", label="perfect calibration")
    ax.plot(centres, precs, "o-", label="typo findings")
    for x, y, n in zip(centres, precs, counts):
        ax.annotate(str(n), (x, y), textcoords="offset points", xytext=(4, -10), fontsize=8)
    ax.set_xlabel("confidence (band mean)")
    ax.set_ylabel("measured precision")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_title("Reliability on the dev report parts")
    ax.legend(loc="upper left")
    fig.tight_layout()
    fig.savefig(plot)
    print(f"  diagram: {plot}")


def throughput(res, texts, warmup: list[str]) -> None:
    """Cold figures: the caches are warmed on other text (SIGHAN), as a running service's would be,
    so the measured text is new to every cache. Repeated three times on fresh caches; best CPU time."""
    checks = [res.checks[n] for n in ("typo", "grammar") if n in res.checks]
    for s in warmup:
        doc = parse(Draft(body=s))
        for c in checks:
            list(c.run(doc, RunOptions()))
    best = None
    for _ in range(3):
        docs = [parse(Draft(body=text, format="text")) for _n, text, _f in texts]
        total = sum(len(d.body.text) for d in docs)
        c0 = time.process_time()
        for doc in docs:
            for c in checks:
                list(c.run(doc, RunOptions()))
        cpu = time.process_time() - c0
        best = cpu if best is None else min(best, cpu)
        lm = getattr(res.checks.get("typo"), "detector", None)
        if lm is not None:
            lm.lm.score.cache_clear()
    # CPU time is the one-core figure even when other processes share the machine.
    print(f"typo+grammar throughput on clean corpus + policy (cold caches): {total / best:,.0f} chars per CPU-second "
          f"({total} chars, best of 3)")


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
    ap.add_argument("--limit", type=int, default=None, help="first N sentences of each set")
    ap.add_argument("--sets", default=None, help="comma-separated dev sets (default: all), 'none' for none")
    ap.add_argument("--part", default="report", choices=("fit", "calibrate", "report"),
                    help="which part of the dev sets (report unless tuning thresholds on calibrate)")
    ap.add_argument("--show-errors", default=None, metavar="SET", help="print every wrong sentence of SET")
    ap.add_argument("--plot", type=Path, default=ROOT / "docs" / "typo_reliability.png")
    ap.add_argument("--skip-sighan", action="store_true")
    ap.add_argument("--skip-speed", action="store_true")
    ap.add_argument("--hostile", action="store_true", help="time garbled 100,000-character drafts too")
    ap.add_argument("--sweep", action="store_true",
                    help="run at confidence_min 0.3 and print what each higher floor would give (for tuning)")
    args = ap.parse_args()
    c0, t0 = time.process_time(), time.perf_counter()
    # The clause cache would turn repeated text into look-ups: every figure here is for new text.
    cfg = load_config()
    typo_opts = {**cfg.section("typo"), "clause_cache": 0}
    if args.sweep:
        typo_opts["confidence_min"] = 0.3
    cfg = dataclasses.replace(cfg, options={**cfg.options, "typo": typo_opts})
    res = resources.load(get_settings(), config=cfg, only={"typo", "grammar"})
    print(f"loaded typo+grammar in {time.perf_counter() - t0:.2f} s ({time.process_time() - c0:.2f} s of CPU); "
          + ", ".join(f"{n}: {c.status} ({c.engine}{'; ' + c.detail if c.detail else ''})"
                      for n, c in res.checks.items()))
    checks = [res.checks["typo"], res.checks["grammar"]]
    rel: list[tuple[float, bool]] = []
    names = list(csc_data.SETS) if args.sets is None else [s for s in args.sets.split(",") if s and s != "none"]
    if names and not csc_data.available():
        print(f"dev sets not found in {csc_data.DATA} (PRECHECK_CSC_DATA): skipped")
        names = []
    kept: dict[str, list] = {}
    for name in names:
        pairs = csc_data.split(name, args.part)[: args.limit]
        t = evaluate(checks, pairs, rel, args.show_errors == name, kept.setdefault(name, []) if args.sweep else None)
        print("\n".join(t.lines(f"{name} ({args.part} part)")))
    if args.sweep:
        sweep(kept)
    if not args.skip_sighan:
        t = evaluate(checks, load_sighan(args.limit), None, args.show_errors == "sighan15")
        print("\n".join(t.lines("SIGHAN-15 (pycorrector's sighan2015_test.tsv, whole)")))
    texts = clean_texts()
    if not args.skip_speed:
        # Throughput first: the clean-corpus pass would fill the model-score caches with these very texts.
        throughput(res, texts, [s for s, _t in load_sighan(200)])
    print("\n".join(clean_corpus(checks, texts, args.show_errors == "clean").lines("clean corpus + policy")))
    if rel:
        reliability_table(rel, args.plot)
    if args.hostile:
        hostile(res)


if __name__ == "__main__":
    main()
