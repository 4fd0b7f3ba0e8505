"""The examples of every trigger group and content category of tiers.toml are their tests."""

from __future__ import annotations

import pytest

from app.document import parse
from app.models import Draft
from app.settings import bundled_lexicon_dir
from app.tiering.category import categorize
from app.tiering.classifier import analyse
from app.tiering.rules import load_dirs

RULES = load_dirs([bundled_lexicon_dir()])
GROUPS = {g.name: g for g in RULES.groups}
CATEGORIES = {c.name: c for c in RULES.categories}


def _counted(body: str, group: str) -> list[str]:
    a = analyse(parse(Draft(body=body)), RULES)
    return [o.text for o in a.occurrences if o.group.name == group and o.counts]


def test_every_group_and_category_has_examples_with_words_inside_other_words():
    for g in RULES.groups:
        assert g.hit and g.nohit, g.name
        assert any(g.regex.search(ex) for ex in g.nohit), f"{g.name}: no nohit example holds one of its words"
    for c in RULES.categories:
        assert c.hit and c.nohit, c.name
        assert any(t in ex for ex in c.nohit for t in c.terms), c.name


@pytest.mark.parametrize("group,example", [(g.name, ex) for g in RULES.groups for ex in g.hit])
def test_group_hit(group, example):
    assert _counted(example, group), f"{example!r} should count for {group}"


@pytest.mark.parametrize("group,example", [(g.name, ex) for g in RULES.groups for ex in g.nohit])
def test_group_nohit(group, example):
    assert not _counted(example, group), f"{example!r} must not count for {group}"


def _score(text: str, name: str) -> float:
    return categorize(parse(Draft(body=text)), RULES).scores[name]


@pytest.mark.parametrize("name,example", [(c.name, ex) for c in RULES.categories for ex in c.hit])
def test_category_hit(name, example):
    assert _score(example, name) > 0


@pytest.mark.parametrize("name,example", [(c.name, ex) for c in RULES.categories for ex in c.nohit])
def test_category_nohit(name, example):
    assert _score(example, name) == 0


def test_a_word_split_by_the_match_is_no_trigger_but_the_same_word_standing_alone_is():
    assert not _counted("研发中心今年新增发明专利12项。", "capital")
    assert _counted("公司拟增发新股。", "capital") == ["增发"]
    # A loose compound of jieba's (出现异常 | 登录) does not hide the trigger 异常登录.
    assert "异常登录" in _counted("系统出现异常登录。", "incident_weak")


def test_rules_built_without_bounds_match_substrings():
    from app.tiering.rules import build, read
    plain = build(read([bundled_lexicon_dir()]))
    a = analyse(parse(Draft(body="研发中心今年新增发明专利12项。")), plain)
    assert [o.text for o in a.occurrences if o.group.name == "capital"] == ["增发"]
