"""The rule catalogue: one place decides, everything that names a check or a rule is derived from it."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from app import catalog, pipeline, registry, resources
from app.checks.base import LoadContext
from app.config import ConfigError, load_config
from app.media.qr_links import LinkJudge
from app.models import Draft
from app.render import languagetool, rules_markdown, sarif
from app.settings import Settings
from app.tiers import TierRulesError
from support import ROOT, resources_for


def test_docs_rules_md_is_the_catalogue():
    written = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert written == rules_markdown.render(registry.default_catalog()), \
        "docs/rules.md is stale: run `precheck rules --format markdown > docs/rules.md`"


def test_the_cli_writes_the_same_tables():
    out = subprocess.run([sys.executable, "-m", "app.cli", "rules", "--format", "markdown"], capture_output=True,
                         text=True, cwd=ROOT, env={**os.environ, "NO_COLOR": "1"}, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout == rules_markdown.render(registry.default_catalog())


def test_every_sensitive_category_is_a_rule_with_the_category_facts():
    rules = registry.all_rules()
    political = rules["sensitive.political"]
    assert (political.severity, political.clause) == ("block", "三(一)3")
    assert rules["sensitive.ad_law"].severity == "warning" and rules["sensitive.violence"].severity == "error"


def test_a_company_category_becomes_a_rule_and_sarif_levels_follow_the_category(tmp_path):
    lex = tmp_path / "lex"
    (lex / "sensitive").mkdir(parents=True)
    (lex / "sensitive" / "political.txt").write_text("某某口号\n", encoding="utf-8")
    (lex / "sensitive" / "rumours.txt").write_text("内部消息称\n", encoding="utf-8")
    (lex / "sensitive" / "categories.toml").write_text(
        '[rumours]\ntitle = "谣言"\nseverity = "error"\nclause = "三(一)1"\n', encoding="utf-8")
    res = resources.load(Settings(lexicon_dirs=str(lex), data_dir=tmp_path / "data"), only={"sensitive"})
    assert res.catalog.rules["sensitive.rumours"].clause == "三(一)1"
    report = pipeline.run(Draft(body="喊出某某口号。内部消息称明天放假。", checks=["sensitive"]), res)
    assert [(f.rule, f.severity, f.clause) for f in report.findings] == [
        ("sensitive.political", "block", "三(一)3"), ("sensitive.rumours", "error", "三(一)1")]
    descriptors = json.loads(sarif.render([("a.md", report)]))["runs"][0]["tool"]["driver"]["rules"]
    assert {d["id"]: d["defaultConfiguration"]["level"] for d in descriptors}["sensitive.political"] == "error"


def test_unknown_rule_ids_in_the_configuration_are_refused(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text('[rules]\n"typo.confusoin" = false\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="typo.confusoin"):
        resources.load(Settings(data_dir=tmp_path / "data"), load_config(cfg), only={"placeholder"})
    out = subprocess.run([sys.executable, "-m", "app.cli", "check", "--config", str(cfg), "-"], input="你好",
                         capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert out.returncode == 2 and "typo.confusoin" in out.stderr and "Traceback" not in out.stderr


def test_unknown_checks_in_the_configuration_are_refused(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text("[checks]\nspelling = false\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="spelling"):
        resources.load(Settings(data_dir=tmp_path / "data"), load_config(cfg), only={"placeholder"})


def test_unknown_rule_ids_in_tiers_toml_are_refused(tmp_path):
    lex = tmp_path / "lex"
    lex.mkdir()
    (lex / "tiers.toml").write_text('[findings]\nrules = ["privacy.credentials"]\n', encoding="utf-8")
    with pytest.raises(TierRulesError, match="privacy.credentials"):
        resources.load(Settings(lexicon_dirs=str(lex), data_dir=tmp_path / "data"), only={"placeholder"})


def test_resolve_is_where_configuration_meets_the_rule(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text('[rules]\n"link.deny" = "warning"\n"style.traditional" = false\n', encoding="utf-8")
    cat = resources_for("placeholder").catalog.with_config(load_config(cfg))
    assert cat.resolve("style.traditional") is None
    how = cat.resolve("link.deny", "error")
    assert (how.severity, how.clause) == ("warning", "三(四)4")  # the configuration beats the check's own
    assert cat.resolve("sensitive.ad_law", "error", "X").severity == "error"  # the check's beats the default
    assert cat.resolve("typo.confusion").scope == "text"
    with pytest.raises(LookupError):
        cat.resolve("typo.nonesuch")


def test_scope_text_drops_hits_in_code_and_keeps_them_outside():
    body = "调用 `print(a,b)` 即可,谢谢。"
    report = pipeline.run(Draft(body=body, format="markdown", checks=["style"]), resources_for("style"))
    assert [(f.rule, f.offset, f.text) for f in report.findings] == [
        ("style.halfwidth_punct", body.index("即可,") + 2, ",")]


def test_qr_codes_are_judged_through_the_catalogue(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text('[rules]\n"link.scheme" = false\n"link.shortener" = "block"\n', encoding="utf-8")
    res = resources_for("media")
    on = LinkJudge(LoadContext(res.settings, res.config, res.lexicon_dirs, res.catalog))
    assert [v.rule for v in on.judge("javascript:alert(1)")] == ["link.scheme"]
    config = load_config(cfg)
    off = LinkJudge(LoadContext(res.settings, config, res.lexicon_dirs, res.catalog.with_config(config)))
    assert off.judge("javascript:alert(1)") == []
    assert [(v.rule, v.severity) for v in off.judge("https://t.cn/abc")] == [("link.shortener", "block")]


def test_check_names_labels_and_languagetool_categories_come_from_the_specs():
    names = catalog.check_names()
    assert set(names) == {"typo", "grammar", "style", "sensitive", "link", "media", "privacy", "placeholder",
                          "claims", "format"}
    for spec in catalog.specs():
        assert languagetool.category_of(spec.name) == (spec.lt_category, spec.label)
        assert languagetool.issue_type(spec.name) == spec.issue_type
    from app.api import web
    page = web._page(1000).decode("utf-8")
    assert "__CHECK_LABELS__" not in page and "未完成内容" in page and "错别字" in page


def test_every_option_of_every_check_has_a_key_in_the_bundled_precheck_toml():
    import tomllib

    from app.config import DEFAULT_CONFIG
    data = tomllib.loads(DEFAULT_CONFIG.read_text(encoding="utf-8"))
    typed = [s for s in catalog.specs() if s.options is not None]
    assert {s.name for s in typed} >= {"typo", "grammar", "sensitive", "style", "link", "media"}
    for spec in typed:
        assert set(spec.options.model_fields) == set(data.get(spec.name, {})), spec.name


@pytest.mark.parametrize("toml,named", [("[typo]\nlm_margni = 2.0\n", "lm_margni"),
                                         ("[media]\nmax_images = 0\n", "max_images"),
                                         ('[style]\nspacing_digits = "often"\n', "spacing_digits")])
def test_a_wrong_option_is_refused_naming_it(tmp_path, toml, named):
    cfg = tmp_path / "c.toml"
    cfg.write_text(toml, encoding="utf-8")
    with pytest.raises(ConfigError, match=named):
        resources.load(Settings(data_dir=tmp_path / "data"), load_config(cfg), only={"placeholder"})
