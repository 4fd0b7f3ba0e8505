"""The labelled drafts of tests/data/tiers/: targets of issue 7, and evidence on every reason."""

from __future__ import annotations

import importlib.util

import pytest

from support import ROOT, run_draft

_spec = importlib.util.spec_from_file_location("tier_eval", ROOT / "bench" / "tier_eval.py")
tier_eval = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(tier_eval)

from app.settings import bundled_lexicon_dir  # noqa: E402
from app.tiering.rules import load_dirs  # noqa: E402

RULES = load_dirs([bundled_lexicon_dir()])
ROWS = tier_eval.load_set("dev") + tier_eval.load_set("holdout")


def test_the_set_is_broad():
    assert len(ROWS) >= 80
    assert {r["level"] for r in ROWS} == {"department", "external", "leadership"}
    assert {r["category"] for r in ROWS} == {"work_update", "business_knowledge", "corporate_culture", "other"}
    assert len({r["author"].get("department") for r in ROWS}) >= 15
    assert len({r["id"] for r in ROWS}) == len(ROWS)


@pytest.mark.parametrize("name", ["dev", "holdout"])
def test_accuracy_targets(name):
    result = tier_eval.evaluate(tier_eval.load_set(name), RULES)
    misses = [(row["id"], tier.level) for row, tier in result["misses"] if tier.level != row["level"]]
    assert result["leadership_as_department"] == 0, misses
    assert result["level_accuracy"] >= 0.95, misses


@pytest.mark.parametrize("row", ROWS, ids=[r["id"] for r in ROWS])
def test_every_reason_has_evidence(row):
    tier = tier_eval.classify_row(row, RULES)
    assert tier.reasons
    for r in tier.reasons:
        assert None not in (r.field, r.offset, r.length, r.text), r
        if r.field in ("body", "title"):
            assert row[r.field][r.offset:r.offset + r.length] == r.text and r.length > 0, r


def test_unrelated_post_gets_a_claims_warning_with_its_span():
    row = next(r for r in ROWS if r["id"] == "other-daigou")
    report = run_draft({k: row[k] for k in ("title", "body", "author")}, "claims")
    found = [f for f in report.findings if f.rule == "claims.unrelated"]
    assert len(found) == 1
    f = found[0]
    assert f.check == "claims" and f.severity == "warning" and f.clause == "三(一)4"
    assert row[f.field][f.offset:f.offset + f.length] == f.text
    assert report.tier.content_category == "other"
    assert any(r.code == "content.unrelated" for r in report.tier.reasons)


def test_unrelated_warning_follows_the_claims_switch():
    row = next(r for r in ROWS if r["id"] == "other-daigou")
    report = run_draft({"title": row["title"], "body": row["body"], "checks": ["placeholder"]}, "claims", "placeholder")
    assert not [f for f in report.findings if f.rule == "claims.unrelated"]
    assert report.tier.content_category == "other"


def test_work_posts_get_no_unrelated_warning():
    for row in ROWS:
        if not row.get("unrelated"):
            report = run_draft({k: row[k] for k in ("title", "body", "author", "format") if k in row}, "claims")
            assert not [f for f in report.findings if f.rule == "claims.unrelated"], row["id"]


def test_service_reports_the_tier(server):
    body = "经公司总经理办公会研究决定，任命张伟同志为华东区域总经理。"
    with server.client() as c:
        r = c.post("/v1/check", json={"body": body, "title": "任职通知",
                                      "author": {"id": "x1", "type": "external", "department": "人力资源部"}})
    assert r.status_code == 200, r.text
    tier = r.json()["tier"]
    assert tier["level"] == "leadership"
    assert [a["role"] for a in tier["approvers"]] == ["business_department_head", "supervising_leader",
                                                      "senior_leadership"]
    assert tier["content_category"] == "work_update"
    trig = next(x for x in tier["reasons"] if x["code"] == "trigger.personnel")
    assert body[trig["offset"]:trig["offset"] + trig["length"]] == trig["text"] == "任命"
    assert trig["clause"] == "三(三)2"


def test_company_folder_configures_the_service(tmp_path, monkeypatch):
    """PRECHECK_LEXICON_DIRS is all it takes: the settings read it, the resources load the folder."""
    from app import pipeline, resources
    from app.models import Draft
    from app.settings import Settings
    folder = tmp_path / "company"
    folder.mkdir()
    (folder / "tiers.toml").write_text(
        '[roles]\nhr_director = "人力资源总监"\n[departments."人力资源部"]\napprovers = ["department_head", "hr_director"]\n'
        '[groups.personnel]\nterms = ["末位淘汰"]\n', encoding="utf-8")
    monkeypatch.setenv("PRECHECK_LEXICON_DIRS", str(folder))
    monkeypatch.setenv("PRECHECK_DATA_DIR", str(tmp_path / "data"))
    res = resources.load(Settings(), only=set())
    report = pipeline.run(Draft(body="公司将在销售岗位试行末位淘汰。", author={"department": "人力资源部"}), res)
    assert report.tier.level == "leadership"
    assert [a.title for a in report.tier.approvers] == ["部门负责人", "人力资源总监", "公司高层领导"]
