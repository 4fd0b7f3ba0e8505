"""Shared by the benchmarks: a real server on a free 127.0.0.1 port, sample drafts."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent

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
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "app.api.main:create_app", "--factory", "--host", "127.0.0.1",
         "--port", str(port), "--log-level", "warning", "--workers", str(workers)],
        env={**os.environ, **(env or {})}, cwd=str(ROOT), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            raise SystemExit("server did not start")
        yield url
    finally:
        proc.terminate()
        proc.wait(10)


def percentile(values: list[float], p: float) -> float:
    v = sorted(values)
    return v[min(len(v) - 1, int(round(p / 100 * (len(v) - 1))))]
