"""Shared by the benchmarks: a real server on a free 127.0.0.1 port, sample drafts."""

from __future__ import annotations

import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from support.server import start_server  # noqa: E402  (the same server the tests start)

NOTICE = (
    "各位同事：\n为进一步做好年度总结工作，公司定于12月20日下午两点在总部三楼报告厅召开年度工作总结大会。"
    "请各部门负责人提前准备本部门年度工作汇报材料，重点总结全年工作完成情况、存在的问题和明年的工作计划，"
    "汇报时间控制在十分钟以内。会议期间请将手机调至静音状态，遵守会场纪律。"
    "报名请访问 https://intranet.example.com/signup （年会报名页面，用于在线提交报名信息）。\n"
)


def draft_of(chars: int) -> str:
    text = ""
    while len(text) < chars:
        text += NOTICE
    return text[:chars]


@contextmanager
def server(env: dict[str, str] | None = None, workers: int = 1):
    """The service on a free 127.0.0.1 port, with a throwaway data directory; yields its URL."""
    with tempfile.TemporaryDirectory() as tmp:
        s = start_server(Path(tmp), env, workers=workers)
        try:
            yield s.url
        finally:
            s.stop()


def percentile(values: list[float], p: float) -> float:
    v = sorted(values)
    return v[min(len(v) - 1, int(round(p / 100 * (len(v) - 1))))]
