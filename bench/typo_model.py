"""Rebuild the typo decision model (``app/typo/decision.json``) from the spelling-check dev sets.

    python bench/typo_model.py            # collect, fit, calibrate, write app/typo/decision.json
    python bench/typo_model.py --verify   # rebuild and compare with the shipped file (exit 1 if it differs)
    python bench/typo_model.py --rows /tmp/rows.npz   # keep the collected rows (a refit then skips collecting)

1. Sentences: the ``fit`` and ``calibrate`` parts of every set in ``csc_data.SETS`` (the ``report``
   part is left to ``typo_eval.py``), plus errors injected into half of their correct sentences: one
   character replaced by a same-sound (70%) or same-shape (25%) or near-sound (5%) character from the
   candidate tables, the mix of real typing slips in the dev sets.
2. Rows: the detector runs on each source with a model that accepts nothing, so every candidate is
   scored in the writer's own context; each candidate the trigram prefers is a row of features
   (``features.vector``), labelled right when the truth has that character at that position.
3. Fit: L2-regularised logistic regression by Newton's method on the ``fit`` rows (standardised
   features; deterministic, no random start).
4. Calibrate: on the ``calibrate`` sentences, the best-scored candidate of each position (what the
   detector would report) against whether it is right; isotonic regression (pool adjacent violators)
   maps the score to the probability. The precision of ``typo.confusion``, ``typo.real_word`` and
   ``grammar.de_di_de`` is measured on the fit and calibrate sentences (Laplace-smoothed): the lists
   on every set but the SIGHAN essays (their truth keeps Taiwan standard forms such as 部份, 精采),
   的/地/得 on the SIGHAN essays only (no other set's truth changes them).
The file holds weights and a calibration table only: no sentence of the data is in it.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import random
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import csc_data  # noqa: E402
from app import resources  # noqa: E402
from app.checks.base import RunOptions  # noqa: E402
from app.config import load_config  # noqa: E402
from app.document import parse  # noqa: E402
from app.models import Draft  # noqa: E402
from app.settings import get_settings  # noqa: E402
from app.typo import decision, real_word  # noqa: E402

OUT = decision.MODEL_PATH
L2 = 1.0  # ridge penalty on the standardised weights
CAL_BINS = 40  # calibration breakpoints kept (the isotonic steps, thinned)
INJECT_SHARE = 50  # percent of correct sentences that get one injected error
CHECK_LIMIT = 8  # sentences per set and part of the small rebuild whose fingerprint the model records


def inject(text: str, similar) -> str | None:
    """The sentence with one character swapped for a similar one, or None (the hash decides)."""
    seed = csc_data.bucket("inject:" + text)
    if seed >= INJECT_SHARE:
        return None
    rnd = random.Random(hashlib.sha256(text.encode("utf-8")).digest())
    positions = [i for i, ch in enumerate(text) if "\u4e00" <= ch <= "\u9fff"]
    rnd.shuffle(positions)
    for i in positions[:5]:
        sim = similar(text[i])
        r = rnd.random()
        band = (lambda s: s >= 0.7) if r < 0.70 else (lambda s: 0.5 <= s < 0.7) if r < 0.95 else (lambda s: s < 0.5)
        pool = sorted(c for c, s in sim.items() if band(s))
        if pool:
            return text[:i] + rnd.choice(pool) + text[i + 1:]
    return None


def sentences(limit: int | None) -> dict[str, list[tuple[str, str, str]]]:
    """(set, source, target) of the fit and calibrate parts, injected errors as set ``injected``."""
    from app.typo import charsets

    chars = charsets.load()
    out: dict[str, list] = {"fit": [], "calibrate": []}
    for name in csc_data.SETS:
        for which in out:
            rows = csc_data.split(name, which)[:limit]
            out[which] += [(name, s, t) for s, t in rows]
            seen = set()
            for _s, t in rows:
                if t in seen:
                    continue
                seen.add(t)
                bad = inject(t, chars.similar)
                if bad is not None:
                    out[which].append(("injected", bad, t))
    return out


def bootstrap_model() -> decision.DecisionModel:
    n = len(decision.FEATURES)
    return decision.DecisionModel({"features": list(decision.FEATURES), "mean": [0.0] * n, "scale": [1.0] * n,
                                   "weights": [0.0] * n, "bias": 0.0, "calibration": {"x": [0.0, 1.0], "y": [0.0, 0.0]}})


_checks = []


def checks():
    """The typo and grammar checks, set to report every candidate and every 的/地/得 shape whatever
    the shipped model says, so the rebuild does not depend on the file it rebuilds."""
    if not _checks:
        cfg = load_config()
        cfg = dataclasses.replace(cfg, options={**cfg.options, "typo": {**cfg.section("typo"), "clause_cache": 0}})
        res = resources.load(get_settings(), config=cfg, only={"typo", "grammar"})
        typo, grammar = res.checks["typo"], res.checks["grammar"]
        typo.detector.model = bootstrap_model()
        # Accept nothing: every candidate is scored in the writer's own context.
        typo.detector.opt = dataclasses.replace(typo.detector.opt, floor=2.0)
        grammar.thresholds = decision.Thresholds(0.0, 0.0, 0.0)
        _checks.extend((typo, grammar))
    return _checks


def collect(rows: list[tuple[str, str, str]]):
    """Feature rows, labels and position groups of every candidate."""
    typo, _grammar = checks()
    det = typo.detector
    xs, ys, groups = [], [], []
    state = {}

    def trace(text, i, c, kind, gain, x, z):
        src, tgt, sid = state["src"], state["tgt"], state["sid"]
        at = src.find(text) + i
        xs.append(x)
        ys.append(1 if tgt[at] == c.char else 0)
        groups.append(sid * 1000 + at)

    det.trace = trace
    for sid, (_name, src, tgt) in enumerate(rows):
        state.update(src=src, tgt=tgt, sid=sid)
        det.detect(src)
    return np.array(xs, dtype=np.float64).reshape(-1, len(decision.FEATURES)), np.array(ys), np.array(groups)


def rule_counts(rows: list[tuple[str, str, str]]) -> dict[str, list[int]]:
    """[right, reported] of typo.confusion and grammar.de_di_de."""
    typo, grammar = checks()
    out: dict[str, list[int]] = {}
    for name, src, tgt in rows:
        hits = []
        if name.startswith("sighan"):
            # Only the learners' essays annotate 的/地/得 at all (the other sets' truth leaves 及时的用
            # and 慢慢的好转 alone); but they are converted from traditional characters and keep Taiwan
            # standard forms (部份, 精采) that the curated lists rightly repair.
            doc = parse(Draft(body=src, format="text"))
            hits += [(h.start, h.end, h.suggestions[0], h.rule) for h in grammar.run(doc, RunOptions())
                     if h.rule == "grammar.de_di_de"]
        else:
            hits += [(m.start, m.end, m.pair.right[0], "typo.confusion") for m in typo.confusion.find(src)]
            hits += [(m.start, m.end, m.right, "typo.real_word") for m in real_word.find(src, typo.real_word)]
        for s, e, right, rule in hits:
            counts = out.setdefault(rule, [0, 0])
            counts[0] += tgt[s:e] == right and src != tgt
            counts[1] += 1
    return out


def add_context(x: np.ndarray, groups: np.ndarray, rows: list[tuple[str, str, str]]) -> None:
    """Fill the ``ctx_*`` columns from the draft's context signals (``app/typo/context.py``) at each
    row's position: the detector leaves them 0, the typo check adds their term after the fact."""
    from app.typo import context
    typo, _grammar = checks()
    cols = [decision.FEATURES.index(f) for f in decision.CONTEXT]
    cache: dict[int, object] = {}
    for k, g in enumerate(groups.tolist()):
        sid, at = divmod(int(g), 1000)
        ctx = cache.get(sid)
        if ctx is None:
            ctx = cache[sid] = context.FieldContext.build(rows[sid][1], typo.signals)
        x[k, cols] = decision.context_vector(ctx, at, rows[sid][1])


def fit_logistic(x: np.ndarray, y: np.ndarray):
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    z = (x - mean) / scale
    a = np.hstack([z, np.ones((len(z), 1))])
    w = np.zeros(a.shape[1])
    reg = np.full(a.shape[1], L2)
    reg[-1] = 0.0
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-np.clip(a @ w, -30, 30)))
        grad = a.T @ (p - y) + reg * w
        hess = (a * (p * (1 - p))[:, None]).T @ a + np.diag(reg + 1e-9)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-10:
            break
    return mean, scale, w[:-1], float(w[-1])


def top_per_position(scores: np.ndarray, y: np.ndarray, groups: np.ndarray):
    """The best-scored candidate of each position (what the detector reports) and whether it is right."""
    order = np.lexsort((-scores, groups))
    first = np.ones(len(order), dtype=bool)
    first[1:] = groups[order][1:] != groups[order][:-1]
    idx = order[first]
    return scores[idx], y[idx]


def isotonic(x: np.ndarray, y: np.ndarray):
    """Pool adjacent violators: a non-decreasing step function of x, thinned to CAL_BINS breakpoints."""
    order = np.argsort(x, kind="stable")
    xs, ys = x[order], y[order].astype(float)
    blocks = []  # [sum, count, x_min, x_max]
    for xv, yv in zip(xs, ys):
        blocks.append([yv, 1.0, xv, xv])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] >= blocks[-1][0] / blocks[-1][1]:
            s, n, lo, hi = blocks.pop()
            blocks[-1][0] += s
            blocks[-1][1] += n
            blocks[-1][3] = hi
    # Block centres as breakpoints; the first and last block extend to the ends.
    px = [(b[2] + b[3]) / 2 for b in blocks]
    py = [b[0] / b[1] for b in blocks]
    if len(px) > CAL_BINS:
        keep = sorted(set(np.linspace(0, len(px) - 1, CAL_BINS).round().astype(int).tolist()))
        px, py = [px[k] for k in keep], [py[k] for k in keep]
    return [round(v, 4) for v in px], [round(v, 4) for v in py]


def build(rows_path: Path | None, limit: int | None, log=print) -> dict:
    t0 = time.process_time()
    sents = sentences(limit)
    if rows_path is not None and rows_path.is_file():
        data = np.load(rows_path, allow_pickle=False)
        parts = {k: (data[f"{k}_x"], data[f"{k}_y"], data[f"{k}_g"]) for k in ("fit", "calibrate")}
    else:
        parts = {}
        for which, rows in sents.items():
            parts[which] = collect(rows)
            log(f"{which}: {len(rows)} sentences, {len(parts[which][1])} candidate rows, "
                f"{int(parts[which][1].sum())} right ({time.process_time() - t0:.0f} s of CPU)")
        if rows_path is not None:
            np.savez_compressed(rows_path, **{f"{k}_{n}": v for k, (x, y, g) in parts.items()
                                              for n, v in (("x", x), ("y", y), ("g", g))})
    for which, rows in sents.items():
        add_context(parts[which][0], parts[which][2], rows)
    rules: dict[str, list[int]] = {}
    for which, rows in sents.items():
        for k, (right, n) in rule_counts(rows).items():
            rules.setdefault(k, [0, 0])
            rules[k][0] += right
            rules[k][1] += n
    fx, fy, _fg = parts["fit"]
    mean, scale, w, b = fit_logistic(fx, fy)
    model = {
        "features": list(decision.FEATURES),
        "mean": [round(float(v), 6) for v in mean],
        "scale": [round(float(v), 6) for v in scale],
        "weights": [round(float(v), 6) for v in w],
        "bias": round(b, 6),
    }
    m = decision.DecisionModel({**model, "calibration": {"x": [0.0, 1.0], "y": [0.0, 1.0]}})
    cx, cy, cg = parts["calibrate"]
    scores = np.array([m.raw(list(r)) for r in cx])
    tx, ty = top_per_position(scores, cy, cg)
    px, py = isotonic(tx, ty)
    model["calibration"] = {"x": px, "y": py}
    model["rules"] = {rule: round((right + 1) / (n + 2), 3) for rule, (right, n) in sorted(rules.items())}
    model["fit"] = {"fit_rows": int(len(fy)), "fit_right": int(fy.sum()), "calibrate_positions": int(len(ty)),
                    "calibrate_right": int(ty.sum()), "rule_counts": {k: v for k, v in sorted(rules.items())},
                    "inputs_sha256": hashlib.sha256(np.round(fx, 6).tobytes() + fy.astype(np.int8).tobytes()).hexdigest()}
    log(f"fitted on {len(fy)} rows, calibrated on {len(ty)} positions in {time.process_time() - t0:.0f} s of CPU")
    return model


def fingerprint(model: dict) -> str:
    return hashlib.sha256(dump(model).encode("utf-8")).hexdigest()


def dump(model: dict) -> str:
    return json.dumps(model, ensure_ascii=False, indent=1) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--verify", action="store_true", help="rebuild and compare with the shipped model")
    ap.add_argument("--rows", type=Path, default=None, help="save (or reuse) the collected rows here")
    ap.add_argument("--limit", type=int, default=None, help="first N sentences of each set and part")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    if not csc_data.available():
        sys.exit(f"the dev sets are not in {csc_data.DATA} (set PRECHECK_CSC_DATA)")
    model = build(args.rows, args.limit)
    if args.limit is None:
        # A fingerprint of the same pipeline on a few sentences: the test suite rebuilds it in seconds.
        model["check"] = {"limit": CHECK_LIMIT, "sha256": fingerprint(build(None, CHECK_LIMIT, log=lambda *_a: None))}
    text = dump(model)
    if args.verify:
        same = args.out.is_file() and args.out.read_text(encoding="utf-8") == text
        print("the rebuilt model is identical to the shipped one" if same else "the rebuilt model DIFFERS")
        sys.exit(0 if same else 1)
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out} ({len(text.encode())} bytes)")


if __name__ == "__main__":
    main()
