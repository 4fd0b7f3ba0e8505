"""A stored archive for the re-scan tests and benchmark: checked drafts as the service keeps them,
and a company term added afterwards through the database overlay (as the admin API does)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path

SENTENCES = [
    "本周五下午三点在三楼会议室召开部门例会，请各位同事准时参加。",
    "公司将于下月组织新员工入职培训，培训内容包括规章制度和安全知识。",
    "请各部门在月底前提交本季度的工作总结和下季度的工作计划。",
    "食堂将于本周起延长晚餐供应时间，欢迎加班的同事前往就餐。",
    "年度体检安排已经发布，请在规定时间内到指定医院完成体检。",
    "为做好节能工作，请大家下班前关闭电脑、空调和照明设备。",
    "图书角新到一批专业书籍，欢迎同事们借阅并分享读书心得。",
    "办公区域将于周六进行消防设施检查，届时请配合工作人员。",
]


def draft_text(rng: random.Random, chars: int, term: str | None) -> str:
    parts: list[str] = []
    while sum(map(len, parts)) < chars:
        parts.append(rng.choice(SENTENCES))
    if term:
        parts.insert(rng.randrange(len(parts) + 1), f"会上将通报{term}的最新进展。")
    return "".join(parts)


@lru_cache(maxsize=4)
def _resources(checks: tuple[str, ...] | None):
    from app import resources
    from app.settings import Settings

    return resources.load(Settings(data_dir=Path("/nonexistent-precheck-data")),
                          only=set(checks) if checks else None)


def fill(database_url: str, n: int, term: str, every: int, chars: tuple[int, int] = (40, 120),
         seed: int = 7, checks: tuple[str, ...] | None = None) -> set[str]:
    """Store ``n`` checked drafts (checked with today's rules, or only ``checks``); returns the ids of
    those with ``term``."""
    from app import pipeline
    from app.models import Draft
    from app.store import repository
    from app.store.db import Database
    from app.store.records import check_record

    db = Database(database_url)
    db.migrate()
    res = _resources(checks)
    rng = random.Random(seed)
    start = datetime(2026, 3, 1, tzinfo=timezone.utc)
    with_term: set[str] = set()
    records = []
    for i in range(n):
        has = i % every == 0
        draft = Draft(body=draft_text(rng, rng.randint(*chars), term if has else None), title=f"通知{i}",
                      author={"id": f"e{i % 13}", "department": "办公室"}, checks=list(checks) if checks else None)
        report = pipeline.run(draft, res, probe_links=False)
        report = report.model_copy(update={"created_at": (start + timedelta(minutes=i)).isoformat()})
        records.append(check_record(draft, report, "k1", True))
        if has:
            with_term.add(report.id)
    with db.session() as s:
        for rec in records:
            repository.save_check(s, rec)
    db.dispose()
    return with_term


def add_company_term(database_url: str, overlay: Path, category: str, term: str) -> None:
    """The admin API's edit, without a server: under the overlay lock, stored in the database."""
    from app.lexicon_sync import OverlaySync
    from app.resources import Holder
    from app.sensitive import overlay as folder
    from app.settings import Settings
    from app.store import AuditStore

    settings = Settings(database_url=database_url, data_dir=overlay.parent)
    store = AuditStore(settings)
    dirs = [*settings.lexicon_dirs_all(), overlay]
    with OverlaySync(store, Holder(lambda: None), overlay, 1.0).edit():  # edit() never loads resources
        folder.add(dirs, overlay, category, term, [], 32)
    store.db.dispose()
