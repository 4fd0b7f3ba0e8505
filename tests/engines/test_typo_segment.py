"""Segmentation shared by the typo and grammar checks: our word graph must cut exactly as jieba does."""

from __future__ import annotations

import random
import re

import pytest

from app.checks.base import RunOptions
from app.document import parse
from app.models import Draft
from app.typo.segment import Lattice, segmenter
from support import DATA, ROOT, resources_for

CLEAN = sorted((DATA / "clean_corpus").glob("*"))
POLICY = ROOT / "tests" / "data" / "policy.md"
RUN = re.compile(r"[\u4e00-\u9fd5]{2,}")


@pytest.fixture(scope="module")
def seg():
    return segmenter(frozenset({"企业微信", "公众号"}))


def texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in CLEAN + [POLICY] if p.is_file()] + [
        "为帮助新入职员工尽快了解公司情况，特组织本次培训。", "对不气，最近我很忙，请你邦我问问火车站在哪？",
        "2024年Q3财报：营收同比增长12.5%，详见 https://example.com/a-b_c。", "结婚的和尚未结婚的都来了。",
        "研究生命起源", "我们中出了一个叛徒", "请登录企业微信公众号查看",
    ]


def test_cut_equals_jieba_on_whole_texts(seg):
    for text in texts():
        assert seg.cut(text) == list(seg.tk.cut(text, HMM=False))


def test_every_window_of_the_word_graph_equals_jieba_on_that_window(seg):
    rnd = random.Random(7)
    checked = 0
    for text in texts():
        for m in RUN.finditer(text):
            run = m.group()
            graph = Lattice(seg, run)
            spans = {(0, len(run))} | {tuple(sorted(rnd.sample(range(len(run) + 1), 2))) for _ in range(15)}
            for p, q in spans:
                assert graph.cut(p, q) == tuple(seg.tk.cut(run[p:q], HMM=False)), (run, p, q)
                checked += 1
    assert checked > 1000
    assert Lattice(seg, "公众号").cut(1, 1) == ()


def test_rare_code_points_fall_back_to_jieba(seg):
    text = "这是\u9fe0字测试"  # beyond jieba's Chinese range: jieba splits there
    assert seg.cut(text) == list(seg.tk.cut(text, HMM=False))
    assert seg.lattice(text).cut(0, len(text)) == tuple(seg.tk.cut(text, HMM=False))


def test_memo_is_filled_once_and_reused(seg):
    memo: dict = {}
    text = "请大家认真学习，按时完成任务。abc 请大家认真学习"
    first = seg.cut(text, memo)
    assert first == list(seg.tk.cut(text, HMM=False))
    assert set(memo) == {"请大家认真学习", "按时完成任务", "abc"}
    memo["请大家认真学习"] = ("请大家", "认真", "学习")  # a memo entry is trusted, not recomputed
    assert seg.cut(text, memo)[-3:] == ["请大家", "认真", "学习"]


def test_typo_and_grammar_share_one_segmentation_per_field():
    res = resources_for("typo", "grammar")
    typo, grammar = res.checks["typo"], res.checks["grammar"]
    body = "我们认真地完成了任务，工作工作很忙。"
    doc = parse(Draft(body=body, format="text"))
    list(typo.run(doc, RunOptions()))
    memo = doc.body.segmentation[typo.seg]
    assert memo["我们认真地完成了任务"] == tuple(typo.seg.tk.cut("我们认真地完成了任务", HMM=False))
    shared = list(grammar.run(doc, RunOptions()))
    alone = list(grammar.run(parse(Draft(body=body, format="text")), RunOptions()))
    assert shared == alone and [h.rule for h in shared] == ["grammar.duplicate"]
