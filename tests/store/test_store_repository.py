"""The audit store on SQLite and PostgreSQL: migrations, records, ledger, summary, retention, keys, spool."""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from support.databases import database_url  # noqa: F401  (the fixture, parametrized over both databases)
from sqlalchemy import inspect

from app.models import Approver, Draft, Finding, Report, Summary, Tier
from app.settings import Settings
from app.store import AuditStore, repository
from app.store.db import Database
from app.store.records import check_record, content_hash

DEPT = Tier(level="department", approvers=[Approver(role="department_head", title="部门负责人")])


def make_report(severities=(), tier=DEPT, created=None) -> Report:
    findings = [Finding(check="typo", rule=f"typo.{s}", severity=s, message=s, offset=i) for i, s in
                enumerate(severities)]
    return Report(id=uuid.uuid4().hex, created_at=(created or datetime.now(timezone.utc)).isoformat(),
                  verdict="block" if "block" in severities else "revise" if "error" in severities else "pass",
                  tier=tier, findings=findings, summary=Summary(), checks=[], elapsed_ms=1.0)


def record(author="e1", severities=(), department="IT", store_text=True, created=None, key="k1"):
    draft = Draft(body="正文内容", title="标题", author={"id": author, "department": department})
    rep = make_report(severities, created=created)
    return check_record(draft, rep, key, store_text)


@pytest.fixture
def db(database_url):  # noqa: F811
    d = Database(database_url)
    d.migrate()
    yield d
    d.dispose()


def test_migrations_create_the_schema_and_are_idempotent(db):
    db.migrate()
    tables = set(inspect(db.engine).get_table_names())
    assert {"checks", "findings", "approvals", "publications", "api_keys", "alembic_version"} <= tables


def test_check_record_round_trip_and_duplicate_is_ignored(db):
    rec = record(severities=("error", "warning"))
    with db.session() as s:
        assert repository.save_check(s, rec) is True
    with db.session() as s:
        assert repository.save_check(s, rec) is False  # a replayed spool line
        c = repository.get_check(s, rec["id"])
        assert (c.author_id, c.department, c.key_name, c.verdict, c.tier) == ("e1", "IT", "k1", "revise", "department")
        assert c.body == "正文内容" and c.title == "标题"
        assert json.loads(c.report)["findings"][0]["rule"] == "typo.error"
        assert c.content_hash == content_hash(Draft(body="正文内容", title="标题"))


def test_text_is_not_kept_when_store_text_is_off(db):
    rec = record(store_text=False)
    with db.session() as s:
        repository.save_check(s, rec)
    with db.session() as s:
        c = repository.get_check(s, rec["id"])
        assert c.body is None and c.title is None and len(c.content_hash) == 64


def publish(db, rec, approvals=()):
    with db.session() as s:
        repository.save_check(s, rec)
        for role, decision in approvals:
            repository.add_approval(s, rec["id"], role=role, approver="王", decision=decision, comment=None,
                                    recorded_by="ed")
    with db.session() as s:
        return repository.record_publication(s, repository.get_check(s, rec["id"]), channel="公众号",
                                             url=None, published_at=None, recorded_by="ed")


def test_escalation_follows_violations(db):
    author = f"a-{uuid.uuid4().hex[:6]}"
    levels = []
    ok = publish(db, record(author), [("department_head", "approve")])
    assert ok.compliant and ok.reasons == []
    with db.session() as s:
        levels.append(repository.author_record(s, author)["escalation"])
    for rec, approvals in ((record(author), []),
                           (record(author), [("department_head", "approve"), ("department_head", "reject")]),
                           (record(author, ("block",)), [("department_head", "approve")])):
        p = publish(db, rec, approvals)
        assert not p.compliant and p.reasons
        with db.session() as s:
            levels.append(repository.author_record(s, author)["escalation"])
    assert levels == ["none", "criticism", "warning", "penalty"]
    with db.session() as s:
        r = repository.author_record(s, author)
    assert (r["checks"], r["publications"], r["violations"]) == (4, 4, 3)
    assert [p.reasons[0]["code"] for p in r["violation_records"]] == ["approval.missing", "approval.rejected",
                                                                      "finding.block"]


def test_summary_counts_within_the_period(db):
    old = datetime(2020, 1, 15, tzinfo=timezone.utc)
    recs = [record("s1", ("error", "warning")), record("s2", ("warning",), department="HR"),
            record("s3", (), created=old)]
    with db.session() as s:
        for r in recs:
            repository.save_check(s, r)
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    with db.session() as s:
        got = repository.summary(s, now - timedelta(days=1), now + timedelta(days=1))
        everything = repository.summary(s, None, None)
        january = repository.summary(s, datetime(2020, 1, 1), datetime(2020, 2, 1))
    assert got["checks"] == 2 and everything["checks"] == 3 and january["checks"] == 1
    assert got["by_verdict"] == {"revise": 1, "pass": 1}
    assert got["by_department"] == {"IT": 1, "HR": 1}
    assert got["by_tier"] == {"department": 2}
    assert got["by_rule"] == {"typo.warning": {"findings": 2, "checks": 2}, "typo.error": {"findings": 1, "checks": 1}}
    assert got["by_check"] == {"typo": {"findings": 3, "checks": 2}}


def test_retention_purges_old_checks_but_keeps_the_ledger(db):
    old = record("r1", created=datetime.now(timezone.utc) - timedelta(days=40))
    new = record("r1")
    publish(db, old)  # a violation: no approval
    with db.session() as s:
        repository.save_check(s, new)
        repository.add_approval(s, old["id"], role="department_head", approver="x", decision="approve",
                                comment=None, recorded_by="ed")
    with db.session() as s:
        assert repository.purge(s, datetime.now(timezone.utc).replace(tzinfo=None) - timedelta(days=30)) == 1
    with db.session() as s:
        assert repository.get_check(s, old["id"]) is None and repository.approvals_of(s, old["id"]) == []
        assert repository.get_check(s, new["id"]) is not None
        r = repository.author_record(s, "r1")
    assert (r["checks"], r["violations"], r["escalation"]) == (1, 1, "criticism")


def test_keys_are_stored_hashed_and_revocable(db):
    with db.session() as s:
        key = repository.create_key(s, "ed-1", "editor")
        with pytest.raises(ValueError):
            repository.create_key(s, "ed-1", "admin")
    with db.session() as s:
        row = repository.find_key(s, repository.digest(key))
        assert (row.name, row.role) == ("ed-1", "editor") and row.key_hash != key and key not in row.key_hash
        assert repository.has_keys(s)
        assert repository.revoke_key(s, "ed-1")
    with db.session() as s:
        assert repository.find_key(s, repository.digest(key)) is None and not repository.has_keys(s)


def test_records_queued_during_an_outage_are_written_when_the_database_returns(database_url, tmp_path):  # noqa: F811
    down_url = ("sqlite:///" + str(tmp_path / "a-directory")) if database_url.startswith("sqlite") else \
        "postgresql+psycopg://postgres@127.0.0.1:1/unreachable"
    (tmp_path / "a-directory").mkdir()
    settings = Settings(data_dir=tmp_path / "data", database_url=down_url, store_retry_seconds=60)
    down = AuditStore(settings)
    down.start()  # must not raise: the service starts without its database
    recs = [record("q1"), record("q1", ("block",))]
    assert [down.record_check(r) for r in recs] == ["queued", "queued"]
    assert down.spool.pending() == 2 and down.status()["available"] is False
    down.close()
    # A later process with the database back writes what the earlier one queued, at start-up.
    up = AuditStore(Settings(data_dir=tmp_path / "data", database_url=database_url, store_retry_seconds=60))
    up.start()
    try:
        assert up.spool.pending() == 0
        with up.session() as s:
            assert [repository.get_check(s, r["id"]).verdict for r in recs] == ["pass", "block"]
        assert up.record_check(record("q1")) == "stored"
    finally:
        up.close()


def test_the_service_applies_the_retention_setting_at_start_up(database_url, tmp_path):  # noqa: F811
    settings = Settings(data_dir=tmp_path, database_url=database_url, retention_days=30, store_retry_seconds=60)
    store = AuditStore(settings)
    old = record("ret-1", created=datetime.now(timezone.utc) - timedelta(days=31))
    assert store.record_check(old) == "stored"
    store.close()
    again = AuditStore(settings)
    again.start()
    try:
        with again.session() as s:
            assert repository.get_check(s, old["id"]) is None
    finally:
        again.close()
