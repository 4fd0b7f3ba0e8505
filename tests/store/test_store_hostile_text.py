"""Hostile text in the audit store: NUL, 4-byte characters and lone surrogates in every stored field,
on both databases; a record the database refuses is moved aside and the others go on; queued
records reach the database in the order they were written."""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timezone

import pytest
from support.databases import database_url  # noqa: F401  (the fixture, parametrized over both databases)

from app.models import Approver, Draft, Finding, Report, Summary, Tier
from app.settings import Settings
from app.store import AuditStore, repository
from app.store.columns import MARK, decode, encode
from app.store.records import check_record
from app.store.spool import Spool

DEPT = Tier(level="department", approvers=[Approver(role="department_head", title="部门负责人")])
NASTY = ["含空字符\x00的稿件", "\x00", "emoji 😀𠀀 四字节", f"{MARK}以标记开头", "反斜杠\\0不是空字符\\", "\\\x00\\"]


def report_with(text: str) -> Report:
    f = Finding(check="typo", rule="typo.lm", severity="error", message=text, text=text, suggestions=(text,))
    return Report(id=uuid.uuid4().hex, created_at=datetime.now(timezone.utc).isoformat(), verdict="revise",
                  tier=DEPT, findings=[f], summary=Summary(error=1), checks=[], elapsed_ms=1.0)


def record_with(text: str, key: str = "k1") -> dict:
    # A report cannot even be rendered with a lone surrogate; the draft's own fields can reach the store.
    shown = text.encode("utf-8", "replace").decode("utf-8")
    draft = Draft.model_construct(body=text, title=text, format="text", checks=None, probe_links=None,
                                  channel="internal", media=[],
                                  author=Draft.model_fields["author"].default_factory().model_copy(
                                      update={"id": text, "department": text}))
    return check_record(draft, report_with(shown), key, True)


@pytest.fixture
def store(database_url, tmp_path):  # noqa: F811
    s = AuditStore(Settings(database_url=database_url, data_dir=tmp_path, store_retry_seconds=60))
    s.upkeep()
    yield s
    s.close()


@pytest.mark.parametrize("value", ["", "abc", *NASTY])
def test_the_column_encoding_is_exact(value):
    assert decode(encode(value)) == value
    assert "\x00" not in encode(value)


@pytest.mark.parametrize("text", NASTY)
def test_every_stored_field_of_a_check_comes_back_exactly(store, text):
    rec = record_with(text, key=f"键{text}")
    assert store.record_check(rec) == "stored"
    with store.session() as s:
        c = repository.get_check(s, rec["id"])
        assert (c.title, c.body, c.author_id, c.department, c.key_name) == (text, text, text, text, f"键{text}")
        assert json.loads(c.report)["findings"][0]["text"] == text
        assert c.report == rec["report"]  # the JSON answer exactly as the client received it
        a = repository.add_approval(s, rec["id"], role="department_head", approver=text, decision="approve",
                                    comment=text, recorded_by=text)
        p = repository.record_publication(s, c, channel=text, url=text, published_at=None, recorded_by=text)
    with store.session() as s:
        [a] = repository.approvals_of(s, rec["id"])
        assert (a.approver, a.comment, a.recorded_by) == (text, text, text)
        [p] = repository.publications_of(s, rec["id"])
        assert (p.channel, p.url, p.recorded_by, p.author_id) == (text, text, text, text)
        assert repository.author_record(s, text)["checks"] == 1  # comparisons use the same encoding
        assert text in repository.summary(s, None, None)["by_department"]


def test_a_refused_record_is_moved_aside_and_the_store_stays_up(store):
    bad = record_with("孤立代理项\ud800")
    assert store.record_check(bad) == "not-recorded"
    good = record_with("正常稿件")
    assert store.record_check(good) == "stored"
    rejected = (store.spool.dir / "rejected.jsonl").read_text(encoding="ascii").splitlines()
    assert [json.loads(x)["record"]["id"] for x in rejected] == [bad["id"]]
    assert store.status()["available"] is True


def test_replay_moves_a_refused_record_aside_and_writes_the_others(store):
    recs = [record_with("第一"), record_with("孤立\udfff"), record_with("第三\x00")]
    for r in recs:
        store.spool.append(r)
    assert store.replay() == 2
    assert store.spool.pending() == 0
    with store.session() as s:
        assert repository.get_check(s, recs[0]["id"]) is not None
        assert repository.get_check(s, recs[1]["id"]) is None
        assert repository.get_check(s, recs[2]["id"]).body == "第三\x00"
    rejected = (store.spool.dir / "rejected.jsonl").read_text(encoding="ascii").splitlines()
    assert json.loads(rejected[0])["record"]["body"] == "孤立\udfff"  # kept exactly, for a person to look at


def test_queued_records_are_replayed_in_the_order_they_were_written(tmp_path):
    sp = Spool(tmp_path / "spool")
    written = []
    for batch in range(6):
        for i in range(3):
            written.append(f"{batch}-{i}")
            sp.append({"id": written[-1]})
        sp._rotate()  # what a replay that failed at once leaves behind: one file per outage window
    seen = []
    assert sp.replay(lambda r: seen.append(r["id"])) == len(written)
    assert seen == written
