"""The spelling-check dev sets (``PRECHECK_CSC_DATA``, default ``../shared/data/csc``), split for honesty.

Every sentence goes by a hash of its correct text (so an error and its clean version stay together) to one part: ``fit`` (60%: the decision model's
weights), ``calibrate`` (20%: the isotonic map, thresholds, rule precisions) or ``report`` (20%: the
figures of ``typo_eval.py``). The split depends on the sentence only, so it is the same on every
machine and every run, and no reported figure comes from a sentence the model was fitted or
calibrated on. Only the dev and train files are read; the held-out test splits are not there.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("PRECHECK_CSC_DATA", ROOT.parent / "shared" / "data" / "csc"))

# name -> (file, format, keep one sentence in N): the 19,652 medical queries are thinned to a fifth.
SETS = {
    "ecspell-odw": ("ecspell-odw.train.tsv", "n_src_tgt", 1),
    "ecspell-law": ("ecspell-law.train.tsv", "n_src_tgt", 1),
    "ecspell-med": ("ecspell-med.train.tsv", "n_src_tgt", 1),
    "cscd-ns-dev": ("cscd-ns-dev.jsonl", "jsonl", 1),
    "mcsc-valid": ("mcsc-valid.tsv", "src_tgt", 5),
    "sighan-train2013": ("sighan-train2013.tsv", "n_src_tgt", 1),
    "sighan-train2014": ("sighan-train2014.tsv", "n_src_tgt", 1),
    "sighan-train2015": ("sighan-train2015.tsv", "n_src_tgt", 1),
}


def bucket(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:4], "big") % 100


def part(text: str) -> str:
    b = bucket(text) % 10
    return "fit" if b < 6 else "calibrate" if b < 8 else "report"


def read(name: str) -> list[tuple[str, str]]:
    """(source, target) pairs of one set, those whose source and target have the same length only
    (a character-for-character repair, which is what the engine makes)."""
    file, fmt, every = SETS[name]
    path = DATA / file
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        if fmt == "jsonl":
            row = json.loads(line)
            src, tgt = row["source"], row["target"]
        else:
            cols = line.split("\t")
            src, tgt = cols[-2].strip(), cols[-1].strip()
        if len(src) != len(tgt) or not src:
            continue
        if every > 1 and bucket("thin:" + src) % every:
            continue
        pairs.append((src, tgt))
    return pairs


def available() -> bool:
    return all((DATA / f).is_file() for f, _fmt, _n in SETS.values())


def split(name: str, which: str) -> list[tuple[str, str]]:
    return [p for p in read(name) if part(p[1]) == which]
