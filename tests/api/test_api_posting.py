"""Over-posting warnings recorded with publications (三(一)4, 四(二)3), through a real server and database."""

from __future__ import annotations

import uuid

import pytest
from support.databases import BACKENDS, fresh_database

from app.store.posting import PostingRules, from_config, resemblance, shingles

KEYS = {"al": ("author", "key-al"), "ed": ("editor", "key-ed")}
NOTICE = ("各部门：为做好年度安全生产检查工作，定于11月20日上午9点在三楼会议室召开专题会议，"
          "请各部门负责人准时参加，并提前准备本部门的自查报告。")


def bearer(name: str) -> dict:
    return {"Authorization": f"Bearer {KEYS[name][1]}"}


@pytest.fixture(scope="module", params=BACKENDS)
def audit(request, server_factory, tmp_path_factory):
    url, cleanup = fresh_database(request.param, tmp_path_factory.mktemp("db"))
    conf = tmp_path_factory.mktemp("conf") / "precheck.toml"
    conf.write_text("[publishing]\nmax_posts_per_day = 2\nduplicate_days = 30\n", encoding="utf-8")
    server = server_factory(env={
        "PRECHECK_DATABASE_URL": url, "PRECHECK_CONFIG": str(conf),
        "PRECHECK_API_KEYS": ",".join(f"{n}:{r}:{k}" for n, (r, k) in KEYS.items())})
    with server.client() as client:
        yield client
    server.stop()
    cleanup()


def _publish(client, body: str, channel: str, when: str) -> dict:
    r = client.post("/v1/check", headers=bearer("al"), json={"body": body, "checks": ["placeholder"]})
    assert r.status_code == 200, r.text
    r = client.post(f"/v1/checks/{r.json()['id']}/publication", headers=bearer("ed"),
                    json={"channel": channel, "published_at": when})
    assert r.status_code == 201, r.text
    return r.json()


def test_a_channel_over_its_daily_limit_is_warned_and_the_next_day_starts_afresh(audit):
    channel = f"号-{uuid.uuid4().hex[:6]}"
    got = [_publish(audit, f"第{i}期：本周食堂菜单已更新，欢迎大家用餐后提出意见，编号{uuid.uuid4().hex}。", channel,
                    f"2026-05-0{4 if i < 3 else 5}T{9 + i:02d}:00:00+08:00") for i in range(4)]
    codes = [[w["code"] for w in p["warnings"]] for p in got]
    assert codes == [[], [], ["posting.daily_limit"], []]
    w = got[2]["warnings"][0]
    assert w["clause"] == "三(一)4" and "3 publications" in w["message"]
    assert got[2]["compliant"] is False or got[2]["reasons"]  # unapproved: a violation for its own reason
    assert all(r["code"] != "posting.daily_limit" for r in got[2]["reasons"])


def test_a_near_duplicate_of_a_recent_publication_is_warned(audit):
    channel = f"号-{uuid.uuid4().hex[:6]}"
    first = _publish(audit, NOTICE, channel, "2026-06-01T09:00:00+08:00")
    assert first["warnings"] == []
    edited = NOTICE.replace("11月20日", "11月21日").replace("准时参加", "按时参加")
    again = _publish(audit, edited, channel, "2026-06-03T09:00:00+08:00")
    (w,) = again["warnings"]
    assert w["code"] == "posting.duplicate" and w["clause"] == "四(二)3"
    assert w["publication_id"] == first["id"] and 0.7 <= w["similarity"] < 1.0
    other = _publish(audit, "本周五下午组织消防演练，请全体员工听到警报后沿安全通道有序撤离至广场集合。", channel,
                     "2026-06-04T09:00:00+08:00")
    assert other["warnings"] == []
    # Another channel, or a publication older than duplicate_days, is no repeat.
    assert _publish(audit, NOTICE, f"号-{uuid.uuid4().hex[:6]}", "2026-06-05T09:00:00+08:00")["warnings"] == []
    assert _publish(audit, NOTICE, channel, "2026-08-01T09:00:00+08:00")["warnings"] == []


def test_resemblance_of_shingles():
    a, b = shingles(NOTICE), shingles(NOTICE.replace("三楼", "五楼"))
    assert 0.8 < resemblance(a, b) < 1.0
    assert resemblance(a, shingles("完全不同的一段话，讲的是另一件事情。")) < 0.05
    assert resemblance(frozenset(), a) == 0.0


def test_settings_are_read_and_checked():
    assert from_config({}) == PostingRules()
    assert from_config({"max_posts_per_day": 1}).max_posts_per_day == 1
    with pytest.raises(ValueError, match="max_posts_per_day"):
        from_config({"max_posts_per_day": "many"})
