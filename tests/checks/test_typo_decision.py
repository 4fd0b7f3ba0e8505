"""The typo decision model: calibrated confidence on every repair, severity from its thresholds, the
shipped model reproduced by its rebuild script, clean company text left alone."""

from __future__ import annotations

import json
import sys

import pytest

from app import resources
from app.checks import grammar as grammar_check, typo as typo_check
from app.config import load_config
from app.rules import unmark
from app.settings import Settings
from app.typo import charsets, decision, features, lm
from support import DATA, ROOT, run_draft

needs_lm = pytest.mark.skipif(lm.default_path() is None or charsets.load() is None,
                              reason="libime-data-language-model or pycorrector data not installed")

REPAIRS = [unmark(t)[0] for r in (*typo_check.RULES, *grammar_check.RULES)
           if r.id in ("typo.confusion", "typo.lm", "grammar.de_di_de") for t in r.hit]


def repairs(body, *checks, res=None):
    from app import pipeline
    from app.models import Draft
    report = pipeline.run(Draft(body=body, checks=list(checks or ("typo", "grammar"))), res) if res else \
        run_draft(body, *(checks or ("typo", "grammar")))
    return [f for f in report.findings if f.rule.startswith("typo.") or f.rule == "grammar.de_di_de"]


def with_options(tmp_path, toml: str):
    cfg = tmp_path / "precheck.toml"
    cfg.write_text(toml, encoding="utf-8")
    return resources.load(settings=Settings(data_dir=tmp_path), config=load_config(cfg), only={"typo", "grammar"})


@needs_lm
def test_every_repair_has_a_confidence_in_0_1():
    found = [f for body in REPAIRS for f in repairs(body)]
    assert len(found) >= len(REPAIRS) - 2
    assert all(f.confidence is not None and 0.0 <= f.confidence <= 1.0 for f in found), found
    assert {f.rule for f in found} == {"typo.confusion", "typo.lm", "grammar.de_di_de"}


def test_severity_follows_the_thresholds():
    t = decision.Thresholds(error=0.9, warning=0.7, report=0.5)
    assert [t.severity(p) for p in (0.95, 0.9, 0.8, 0.7, 0.6, 0.5, 0.49, 0.0)] == \
        ["error", "error", "warning", "warning", "info", "info", None, None]


def test_thresholds_out_of_order_are_refused(tmp_path):
    with pytest.raises(ValueError, match="confidence_min"):
        with_options(tmp_path, "[typo]\nconfidence_min = 0.8\nconfidence_warning = 0.6\n")
    with pytest.raises(ValueError, match="confidence_error"):
        with_options(tmp_path, "[typo]\nconfidence_error = 'high'\n")


@needs_lm
def test_configured_thresholds_set_severity_and_drop_the_unsure(tmp_path):
    body = "请你邦我问问火车站在哪？也许经济很快会慢慢的好起来。"
    shown = repairs(body)
    assert {f.rule for f in shown} >= {"typo.lm", "grammar.de_di_de"}
    everything_error = with_options(tmp_path, "[typo]\nconfidence_error = 0.0\nconfidence_warning = 0.0\n"
                                              "confidence_min = 0.0\n")
    assert {f.severity for f in repairs(body, res=everything_error)} == {"error"}
    nothing = with_options(tmp_path, "[typo]\nconfidence_min = 1.0\nconfidence_warning = 1.0\n"
                                     "confidence_error = 1.0\n")
    # Only a repair the model is certain of survives a floor of 1.0; the curated 的/地/得 shape is
    # kept, at info.
    kept = repairs(body, res=nothing)
    assert [f for f in kept if f.rule == "typo.lm" and f.confidence < 1.0] == []
    assert [(f.rule, f.severity) for f in kept if f.rule == "grammar.de_di_de"] == [("grammar.de_di_de", "info")]
    defaults = decision.Thresholds.from_options(load_config().section("typo"))
    assert all(f.severity == defaults.severity(f.confidence) for f in shown), shown


def test_the_model_file_is_small_and_holds_no_sentence():
    raw = decision.MODEL_PATH.read_text(encoding="utf-8")
    assert len(raw.encode()) < 300_000
    data = json.loads(raw)
    assert data["features"] == list(decision.FEATURES)
    # Numbers and feature names only: no Chinese text from the data sets.
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in raw.replace("的", "").replace("地", "").replace("得", ""))
    xs, ys = data["calibration"]["x"], data["calibration"]["y"]
    assert xs == sorted(xs) and ys == sorted(ys) and 0.0 <= ys[0] and ys[-1] <= 1.0


def test_calibration_is_monotone_and_interpolates():
    m = decision.DecisionModel({"features": list(decision.FEATURES), "mean": [0.0] * len(decision.FEATURES),
                                "scale": [1.0] * len(decision.FEATURES), "weights": [0.0] * len(decision.FEATURES),
                                "bias": 0.0, "calibration": {"x": [-1.0, 0.0, 2.0], "y": [0.1, 0.3, 0.9]},
                                "rules": {"typo.confusion": 0.95}})
    assert m.calibrated(-5) == 0.1 and m.calibrated(5) == 0.9 and m.calibrated(1.0) == pytest.approx(0.6)
    assert m.rule_confidence("typo.confusion") == 0.95
    assert m.rule_confidence("grammar.de_di_de", 0.4) == 0.4


def test_a_model_for_other_features_is_refused():
    data = json.loads(decision.MODEL_PATH.read_text(encoding="utf-8"))
    data["features"] = data["features"][:-1]
    with pytest.raises(ValueError, match="rebuild"):
        decision.DecisionModel(data)


def test_a_numeral_before_a_character_marks_a_counter():
    assert features.numeric_near("桌客人", 0, ("3", ""))  # 13桌: the digit is outside the clause
    assert features.numeric_near("三十余场活动", 3, ("", ""))  # 30余场
    assert features.numeric_near("是十年前", 0, ("", ""))  # 是 before 十
    assert not features.numeric_near("欢迎大家", 1, ("", ""))


@needs_lm
@pytest.mark.parametrize("body", [
    "今年营收是十年前的5倍。", "共设13桌，每桌10人。", "全年举办30余场活动。", "新建厂房1600亩。",
])
def test_numbers_with_measure_words_are_left_alone(body):
    assert repairs(body, "typo") == []


@needs_lm
def test_clean_company_text_is_not_flagged():
    """The clean corpus (company notices and articles) draws no typo or 的/地/得 finding at warning
    or above, and no error from any typo or grammar rule."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((DATA / "clean_corpus").glob("*.txt"))]
    assert len(texts) >= 10
    for text in texts:
        found = repairs(text)
        assert [(f.rule, f.text, f.confidence) for f in found if f.severity in ("warning", "error", "block")] == []


@needs_lm
def test_rebuild_reproduces_the_shipped_model():
    """The shipped model records the fingerprint of the same rebuild on a few sentences of each set:
    rebuilding those here proves the file comes from this script, these features and this data.
    (``python bench/typo_model.py --verify`` repeats the whole rebuild.)"""
    sys.path.insert(0, str(ROOT / "bench"))
    import csc_data
    import typo_model
    if not csc_data.available():
        pytest.skip(f"the spelling-check dev sets are not in {csc_data.DATA} (PRECHECK_CSC_DATA)")
    shipped = json.loads(decision.MODEL_PATH.read_text(encoding="utf-8"))["check"]
    small = typo_model.build(None, shipped["limit"], log=lambda *_a: None)
    assert typo_model.fingerprint(small) == shipped["sha256"]
