"""The typo decision model: the probability that a candidate repair is right.

A logistic regression over features the detector already has (model gain and its kind, sound/shape
similarity, word and character frequencies, the n-gram order the model had, position, digits nearby,
the draft's context signals), followed by an isotonic map fitted on sentences the regression never
saw, so the probability is calibrated: of the findings shown at 0.8, about eight in ten are right.
Weights, the calibration table and the measured precision of the rule-based engines (typo.confusion,
grammar.de_di_de) ship in ``decision.json``, rebuilt by ``bench/typo_model.py``; evaluating them is
a few dozen multiplications, with no numerical library at run time.
"""

from __future__ import annotations

import bisect
import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

MODEL_PATH = Path(__file__).with_name("decision.json")

KINDS = ("rare", "common", "swallow", "real_word", "real_char")

# The draft's context signals at the position (``context.FieldContext``): the typo check adds their
# term to the detector's score, so the detector's clause cache stays valid across drafts.
CONTEXT = ("ctx_entity", "ctx_official", "ctx_numeric", "ctx_enumeration", "ctx_title", "ctx_vocab")

# The order of the feature vector; the model file names them and must list the same ones.
FEATURES = (
    "gain", "gain_capped", "clears_margin", "over_margin", "margin",
    *(f"kind_{k}" for k in KINDS),
    "similarity", "same_sound_tone", "same_sound", "shape_only", "near_sound", "sound_and_shape",
    "confusable",
    "freq_wrong", "freq_right", "freq_word", "freq_original", "word_len", "function_word",
    "order", "logprob", "n_cands", "lead", "clause_edge", "short_clause", "numeric_near", "surname_near",
    *CONTEXT,
)

Severity = str


@dataclass(frozen=True)
class Thresholds:
    """Confidence at or above which a finding is an error, a warning, an info; below ``report``,
    nothing is reported."""
    error: float = 0.95
    warning: float = 0.7
    report: float = 0.5

    def severity(self, p: float, keep: bool = False) -> Severity | None:
        """``keep``: a finding of a curated list (typo.confusion, the 的/地/得 shapes) is shown as info
        rather than dropped: its measured precision rests on a few dozen cases, not on the finding."""
        if p < self.report and not keep:
            return None
        return "error" if p >= self.error else "warning" if p >= self.warning else "info"

    @classmethod
    def from_options(cls, opts: dict) -> "Thresholds":
        d = cls()
        try:
            t = cls(float(opts.get("confidence_error", d.error)), float(opts.get("confidence_warning", d.warning)),
                    float(opts.get("confidence_min", d.report)))
        except (TypeError, ValueError):
            raise ValueError("[typo] confidence_error, confidence_warning and confidence_min must be numbers") from None
        if not 0.0 <= t.report <= t.warning <= t.error <= 1.0:
            raise ValueError("[typo] expected 0 <= confidence_min <= confidence_warning <= confidence_error <= 1")
        return t


class DecisionModel:
    def __init__(self, data: dict):
        if tuple(data["features"]) != FEATURES:
            raise ValueError("decision model: its features differ from the detector's; rebuild it")
        scale = data["scale"]
        # Standardisation folded into the weights: one multiply-add per feature at run time.
        self.weights = [w / s for w, s in zip(data["weights"], scale)]
        self.bias = data["bias"] - sum(w * m / s for w, m, s in zip(data["weights"], data["mean"], scale))
        self.cal_x = list(data["calibration"]["x"])
        self.cal_y = list(data["calibration"]["y"])
        self.rules: dict = data.get("rules", {})
        self.context_weights = [self.weights[FEATURES.index(f)] for f in CONTEXT]
        self.meta = {k: v for k, v in data.items() if k not in ("weights", "mean", "scale", "calibration", "rules")}

    def raw(self, x: list[float]) -> float:
        """The regression's score (log-odds): it ranks the candidates of one position."""
        return self.bias + sum(w * v for w, v in zip(self.weights, x))

    def calibrated(self, z: float) -> float:
        """The probability that a repair with score ``z`` is right (isotonic, linearly interpolated)."""
        xs, ys = self.cal_x, self.cal_y
        if z <= xs[0]:
            return ys[0]
        if z >= xs[-1]:
            return ys[-1]
        k = bisect.bisect_right(xs, z)
        x0, x1, y0, y1 = xs[k - 1], xs[k], ys[k - 1], ys[k]
        return y0 + (y1 - y0) * (z - x0) / (x1 - x0) if x1 > x0 else y1

    def with_context(self, score: float, ctx: list[float]) -> float:
        """The calibrated probability of a repair whose detector score was ``score`` (context columns
        0), once the draft's context signals at its position are known."""
        return round(self.calibrated(score + sum(w * v for w, v in zip(self.context_weights, ctx))), 3)

    def rule_confidence(self, rule: str, default: float = 0.5) -> float:
        """Measured precision of a rule-based engine (typo.confusion, grammar.de_di_de)."""
        return self.rules.get(rule, default)


def context_vector(ctx, i: int, text: str) -> list[float]:
    """The ``CONTEXT`` columns at position ``i`` of ``text`` from a ``context.FieldContext``."""
    # The draft's own vocabulary: the two-character spans through i, counted beyond this occurrence.
    seen = max((ctx.vocab_count(text[a:a + 2]) for a in (i - 1, i) if a >= 0 and a + 2 <= len(text)), default=1)
    return [float(ctx.entity_at(i) is not None), float(ctx.official_at(i)), float(ctx.numeric_at(i)),
            float(ctx.enumeration_at(i)), float(ctx.title_at(i)), math.log2(max(1, seen))]


@lru_cache(maxsize=4)
def load(path: Path = MODEL_PATH) -> DecisionModel:
    return DecisionModel(json.loads(path.read_text(encoding="utf-8")))


def sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
