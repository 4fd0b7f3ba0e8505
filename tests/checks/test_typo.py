"""The typo check: confusion pairs, the language-model detector, protected words, degraded mode."""

from __future__ import annotations

from pathlib import Path

import pytest

from app import resources
from app.settings import Settings
from app.typo import charsets, lm, macbert
from app.typo.confusion import ConfusionError, ConfusionMatcher, parse_pairs
from app.typo.segment import segmenter
from support import DATA, ROOT, resources_for, run_draft

POLICY = ROOT / "tests" / "data" / "policy.md"  # a copy of ../shared/policy.md
needs_lm = pytest.mark.skipif(lm.default_path() is None or charsets.load() is None,
                              reason="libime-data-language-model or pycorrector data not installed")


def typo_findings(body, fmt="text"):
    report = run_draft({"body": body, "format": fmt}, "typo")
    return [f for f in report.findings if f.check == "typo"]


def detector(floor):
    """The check's detector with another reporting floor and no clause cache."""
    import copy
    import dataclasses
    det = copy.copy(resources_for("typo").checks["typo"].detector)
    det.opt = dataclasses.replace(det.opt, floor=floor, clause_cache=0)
    det._cached_clause = None
    return det


def scored(text):
    """Every repair the detector's candidates and the decision model rank first, however unsure: the
    candidates and their ranking, apart from whether the confidence reaches the reporting floor."""
    return [(c.wrong, c.suggestions[0]) for c in detector(0.1).detect(text)]


def test_pairs_parse_modes_and_reject_bad_lines():
    pairs = parse_pairs(["以经\t已经", "再接再励\t再接再厉", "公众好\t公众号\tword", "登陆\t登录|登入\tany"])
    assert pairs["以经"].whole_word and not pairs["再接再励"].whole_word
    assert pairs["公众好"].whole_word and not pairs["登陆"].whole_word
    assert pairs["登陆"].right == ("登录", "登入")
    for bad in ("按装", "按装\t按装", "按装\t安装\tsometimes"):
        with pytest.raises(ConfusionError):
            parse_pairs([bad])


def test_whole_word_pairs_respect_segmentation():
    m = ConfusionMatcher(parse_pairs(["以经\t已经", "截止目前\t截至目前"]), segmenter(frozenset()))
    assert [(x.start, x.end) for x in m.find("他以经走了")] == [(1, 3)]
    assert m.find("坚持以经济建设为中心") == []
    assert [x.pair.right for x in m.find("截止目前，一切顺利")] == [("截至目前",)]


def test_bundled_confusion_lexicon_is_large_and_consistent():
    from app import lexicon
    from app.settings import bundled_lexicon_dir
    pairs = parse_pairs(lexicon.read_lines([bundled_lexicon_dir()], "confusion.tsv"))
    assert len(pairs) >= 300
    seg = segmenter(frozenset())
    for p in pairs.values():
        assert all(r and r != p.wrong for r in p.right)
        # A long wrong form matched anywhere must not be a common string (不能自己 is fine in 不能自己做主).
        assert p.whole_word or seg.freq.get(p.wrong, 0) < 50, p.wrong


def test_confusion_finding_offsets_and_suggestion_in_markdown():
    body = "## 通知\n\n请**按装**最新版本，截止目前已有 *三百* 人报名。"
    found = typo_findings(body, "markdown")
    texts = {f.text: f for f in found if f.rule == "typo.confusion"}
    assert set(texts) == {"按装", "截止目前"}
    f = texts["按装"]
    assert body[f.offset:f.offset + f.length] == "按装" and f.suggestions == ("安装",)
    # A listed misspelling is an error wherever it stands; its confidence is the list's measured precision.
    from app.typo import decision
    assert f.confidence == decision.load().rule_confidence("typo.confusion")
    assert f.severity == "error" and 0 < f.confidence <= 1 and f.clause == "三(一)2"


def test_code_spans_are_not_checked():
    assert typo_findings("调用 `按装()` 完成。\n\n```\n截止目前\n```\n", "markdown") == []


@needs_lm
def test_lm_detects_and_suggests_the_right_character():
    found = typo_findings("请你邦我问问火车站在哪？")
    assert [(f.rule, f.text, f.suggestions[0]) for f in found] == [("typo.lm", "邦", "帮")]
    assert 0.5 <= found[0].confidence <= 1.0


@needs_lm
def test_protected_names_never_flagged():
    body = "欢迎关注公司微信公众号，也可以通过企业微信、视频号和小程序联系我们。微信群里请勿转发未公开信息。"
    assert typo_findings(body) == []


@needs_lm
def test_clean_corpus_and_policy_have_no_error_findings():
    texts = [(p.name, p.read_text(encoding="utf-8"), "text") for p in sorted((DATA / "clean_corpus").glob("*.txt"))]
    assert len(texts) >= 10
    if POLICY.is_file():
        texts.append(("policy.md", POLICY.read_text(encoding="utf-8"), "markdown"))
    paragraphs = sum(len([p for p in t.split("\n\n") if p.strip()]) for _n, t, _f in texts)
    assert paragraphs >= 40
    for name, text, fmt in texts:
        report = run_draft({"body": text, "format": fmt}, "typo", "grammar")
        errors = [(f.rule, f.text) for f in report.findings if f.severity in ("error", "block")]
        assert errors == [], f"{name}: {errors}"


@needs_lm
def test_sighan_sample_floor():
    """50 SIGHAN-15 sentences: a floor, not the figure (bench/typo_eval.py measures all 707)."""
    path = charsets.sighan_path()
    assert path is not None
    check = resources_for("typo").checks["typo"]
    from app.checks.base import RunOptions
    from app.document import parse
    from app.models import Draft
    tp = fp = fn = 0
    for line in path.read_text(encoding="utf-8").splitlines()[:50]:
        src, tgt = line.split("\t")
        flagged = any(True for _ in check.run(parse(Draft(body=src)), RunOptions()))
        if src == tgt:
            fp += flagged
        else:
            tp += flagged
            fn += not flagged
    precision, recall = tp / max(1, tp + fp), tp / max(1, tp + fn)
    assert precision >= 0.75 and recall >= 0.35, (tp, fp, fn)


def test_missing_model_degrades_and_confusion_still_runs(tmp_path):
    settings = Settings(lm_path=tmp_path / "missing.lm", data_dir=tmp_path)
    res = resources.load(settings=settings, only={"typo"})
    check = res.checks["typo"]
    assert check.status == "degraded" and "missing.lm" in check.detail
    assert check.engine == "confusion"
    from app import pipeline
    from app.models import Draft
    report = pipeline.run(Draft(body="请按装客户端。对不气，我来晚了。"), res)
    assert [f.rule for f in report.findings if f.check == "typo"] == ["typo.confusion"]
    status = next(c for c in report.checks if c.name == "typo")
    assert status.status == "degraded" and "missing.lm" in status.detail


def test_service_reports_degraded_typo_check(server_factory, tmp_path):
    server = server_factory(env={"PRECHECK_LM_PATH": str(tmp_path / "nope.lm")})
    with server.client() as c:
        r = c.post("/v1/check", json={"body": "请按装最新版本。", "checks": ["typo"]})
    assert r.status_code == 200
    data = r.json()
    typo = next(s for s in data["checks"] if s["name"] == "typo")
    assert typo["status"] == "degraded" and "nope.lm" in typo["detail"]
    assert [(f["rule"], f["text"], f["suggestions"]) for f in data["findings"]] == [
        ("typo.confusion", "按装", ["安装"])]


def test_lm_loader_reports_reasons(tmp_path):
    model, why = lm.load(tmp_path / "absent.lm")
    assert model is None and "absent.lm" in why
    broken = tmp_path / "broken.lm"
    broken.write_bytes(b"not a language model")
    model, why = lm.load(broken)
    assert model is None and "broken.lm" in why


def test_macbert_off_unless_asked(tmp_path):
    assert macbert.load(None) == (None, None)
    engine, why = macbert.load(tmp_path / "absent")
    assert engine is None and "absent" in why


def test_macbert_without_torch_says_how_to_install(tmp_path):
    try:
        import torch  # noqa: F401
        import transformers  # noqa: F401
        pytest.skip("torch and transformers are installed")
    except ImportError:
        pass
    engine, why = macbert.load(tmp_path)
    assert engine is None and "precheck[deep]" in why


def test_macbert_loads_a_tiny_model_built_here(tmp_path):
    transformers = pytest.importorskip("transformers")
    pytest.importorskip("torch")
    chars = list("今天天气很好我们去公园玩")
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + list(dict.fromkeys(chars))
    (tmp_path / "vocab.txt").write_text("\n".join(vocab), encoding="utf-8")
    try:  # transformers 5 takes the vocabulary itself; 4 reads the file
        tokenizer = transformers.BertTokenizerFast(vocab={w: i for i, w in enumerate(vocab)})
    except TypeError:
        tokenizer = transformers.BertTokenizerFast(vocab_file=str(tmp_path / "vocab.txt"))
    assert len(tokenizer) == len(vocab)
    tokenizer.save_pretrained(str(tmp_path))
    config = transformers.BertConfig(vocab_size=len(vocab), hidden_size=16, num_hidden_layers=1,
                                     num_attention_heads=2, intermediate_size=32, max_position_embeddings=160)
    import torch
    model = transformers.BertForMaskedLM(config)
    # Make the model predict 玩 everywhere: every other Chinese character must then be reported at
    # its own position, and punctuation never.
    with torch.no_grad():
        model.get_output_embeddings().bias[vocab.index("玩")] = 100.0
    model.save_pretrained(str(tmp_path))
    engine, why = macbert.load(tmp_path)
    assert why is None and engine is not None
    text = "今天天气很好，我们去公园玩。"
    found = engine.detect(text)
    expected = [(i, i + 1, ch, "玩") for i, ch in enumerate(text) if ch not in "玩，。"]
    assert found == expected


def test_confusable_sets_are_symmetric_groups():
    from app.checks.typo import confusable_sets
    sets = confusable_sets(["在再", "做作坐座"])
    assert sets["在"] == {"再"} and sets["再"] == {"在"}
    assert sets["坐"] == {"做", "作", "座"}


@needs_lm
def test_margins_by_kind_of_repair():
    res = resources_for("typo")
    det = res.checks["typo"].detector
    o = det.opt
    # A confusion-set member arbitrates at the lower margin; an arbitrary real-word swap does not.
    assert det._need("座", "坐", o.real_word_margin, "real_char") == o.confusable_margin
    assert det._need("是", "十", o.real_word_margin, "real_char") == o.real_word_margin
    # An uncommon content character gets the middle margin; a function word (特) keeps the full one.
    assert det._need("船", "床", o.real_word_margin, "real_char") == o.uncommon_margin
    assert det._need("特", "等", o.real_word_margin, "real_char") == o.real_word_margin


@needs_lm
def test_repair_does_not_cut_through_a_segmented_word():
    # 伪→为 makes 是因为 across 可是 and 因为 on its own: the detector must find the latter.
    found = typo_findings("可是因伪这是他第一次来台湾。")
    assert [(f.text, f.suggestions[0]) for f in found] == [("伪", "为")]


@needs_lm
@pytest.mark.parametrize("text, wrong, right", [
    ("今天走路太远，真的很麻坊。", "坊", "烦"),  # not 麻→磨 (磨坊)
    ("我们开会要迟刀了。", "刀", "到"),  # not 迟→刺 (刺刀)
    ("他们一家住在乡虾。", "虾", "下"),  # not 乡→鲜 (鲜虾)
    ("会造成空气污然。", "然", "染"),  # not 污→于, a one-character repair that makes no word
])
def test_the_rarer_neighbour_is_repaired_when_its_repair_ranks_higher(text, wrong, right):
    # Repairing either character of a two-character slip makes a word; the better repair wins.
    found = typo_findings(text)
    assert [(f.text, f.suggestions[0]) for f in found] == [(wrong, right)]


@needs_lm
def test_a_character_alike_in_sound_and_shape_ranks_first_in_its_confusion_set():
    sim = charsets.load().similar("座")
    assert sim["坐"] > sim["做"] == sim["作"]
    assert scored("车上人很多，没有位子可以座。") == [("座", "坐")]


@needs_lm
def test_characters_outside_the_tables_get_candidates_by_reading():
    # pycorrector's tables cover about 3,400 common characters; a rare or variant character (埤, 馀)
    # is usually an input-method slip for a common one with the same reading.
    sets = charsets.load()
    assert sets.same_tone.get("埤") is None
    assert sets.similar("埤")["啤"] == 1.0
    assert sets.similar("馀")["余"] == 1.0
    assert sets.similar("塶")["绿"] == 1.0  # lù and lǜ are apart only in pypinyin's spelling, not in typing
    found = typo_findings("大明很高兴，他喝了很多埤酒。")
    assert [(f.text, f.suggestions[0]) for f in found] == [("埤", "啤")]


@needs_lm
def test_a_modal_particle_closing_a_clause_is_not_a_fragment_to_repair():
    assert typo_findings("就下个月十号去喔，你觉得怎么样？") == []
    # The same character inside a clause is still a candidate for repair.
    assert [f.suggestions[0] for f in typo_findings("这所学校有很好的教噢资源。")] == ["育"]


@needs_lm
def test_listed_confusable_words_put_to_the_model():
    # 受到/收到 are both words; only the listed pair makes the detector ask about a frequent word.
    assert scored("很高兴受到你的信，谢谢你来庆祝我的生日。") == [("受", "收")]
    assert ("师", "室") in scored("老师就进教师来了。")


@needs_lm
def test_correct_uses_of_the_listed_confusable_words_are_not_reported():
    lines = [ln for ln in (DATA / "confusable_words_clean.txt").read_text(encoding="utf-8").splitlines()
             if ln and not ln.startswith("#")]
    listed = {w for ln in (ROOT / "lexicons" / "confusable_words.txt").read_text(encoding="utf-8").splitlines()
              if ln and not ln.startswith("#") for w in ln.split()}
    assert all(any(w in ln for ln in lines) for w in listed), "every listed word needs a correct use"
    reported = [(ln, f.text, f.suggestions[0], f.severity) for ln in lines for f in typo_findings(ln)]
    # One is shown as info (其间 → 期间, confidence 0.58): nothing is a warning or an error.
    assert [r for r in reported if r[3] != "info"] == [] and len(reported) <= 1, reported


@needs_lm
def test_a_persons_name_is_not_a_typo():
    det = resources_for("typo").checks["typo"].detector
    assert "张" in det.surnames and "欧阳" in det.surnames
    assert det.seg.name_spans("来到那里，李台生觉得很高兴。", det.surnames) == [(5, 8)]
    assert typo_findings("你好！我是张爱文。") == []
    assert typo_findings("来到那里，李台生觉得很高兴。") == []
    # A name-shaped span that starts with no surname is still a candidate (福物生, a slip for 服务生);
    # the name tagger of the draft's context leaves it alone, as it does every name it finds.
    assert "物" in [w for w, _s in scored("这家餐厅的福物生很热情。")]


def test_a_suffix_shared_by_enumerated_items_is_written_on_purpose():
    from app.typo.detector import _shared_suffix
    text = "主动使用问候语、感谢语、道歉语等。"
    assert _shared_suffix(text, text.index("感谢语") + 2) and _shared_suffix(text, text.index("道歉语") + 2)
    assert not _shared_suffix("请准备身份证、户口本。", 4)  # 证 ends one item only
    assert not _shared_suffix("他在家汪了。", 3)  # no enumeration


@needs_lm
def test_the_policy_text_draws_no_typo_finding():
    assert typo_findings(POLICY.read_text(encoding="utf-8"), "markdown") == []


@needs_lm
def test_garbled_text_stops_at_the_finding_limit_and_says_where():
    body = "请你邦我问问。" * 205
    found = typo_findings(body)
    limit = [f for f in found if f.rule == "typo.lm_limit"]
    # The detector stops after 200 repairs; the 201st position is where checking stopped.
    assert len(limit) == 1 and limit[0].severity == "info" and limit[0].offset == 200 * 7 + 2
    # The same slip 205 times is the draft's own word (its vocabulary is a feature of the model):
    # none of the 200 is shown, while one alone is.
    assert [f for f in found if f.rule == "typo.lm"] == []
    assert [f.text for f in typo_findings("请你邦我问问。")] == ["邦"]


@needs_lm
def test_a_clause_without_punctuation_is_checked_in_pieces_with_the_same_findings():
    # 100,000 characters without a stop once took minutes: every repair re-read the whole clause.
    # The detector itself: in the check, a slip recurring thirty times is the draft's own word.
    sentence = "请你邦我问问火车站在哪儿"
    assert [(f.offset, f.text) for f in typo_findings(sentence + "。")] == [(2, "邦")]
    found = [(c.start, c.wrong) for c in detector(0.5).detect(sentence * 30)]  # 360 characters, one clause
    assert found == [(2 + k * len(sentence), "邦") for k in range(30)]


def test_finding_limit_must_be_positive(tmp_path):
    from app.config import load_config
    cfg = tmp_path / "precheck.toml"
    cfg.write_text("[typo]\nlm_max_findings = 0\n", encoding="utf-8")
    with pytest.raises(ValueError, match="lm_max_findings"):
        resources.load(settings=Settings(data_dir=tmp_path), config=load_config(cfg), only={"typo"})
