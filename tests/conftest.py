"""Shared test helpers: real servers on 127.0.0.1, loaded resources, drafts."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("PRECHECK_WATCH_LEXICONS", "0")  # in-process apps too; a test may turn it on
DATA = Path(__file__).resolve().parent / "data"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    url: str
    proc: subprocess.Popen
    data_dir: Path
    log: Path

    def client(self, **kw) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=60, **kw)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def start_server(tmp: Path, env: dict[str, str] | None = None) -> Server:
    """``precheck`` served by uvicorn on a free 127.0.0.1 port, with its own data directory."""
    port = free_port()
    data_dir = tmp / f"data-{port}"
    data_dir.mkdir(parents=True, exist_ok=True)
    log = tmp / f"server-{port}.log"
    # The lexicon file watcher is off unless a test asks for it (PRECHECK_WATCH_LEXICONS=1).
    full_env = {**os.environ, "PRECHECK_DATA_DIR": str(data_dir), "PRECHECK_WATCH_LEXICONS": "0", **(env or {})}
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "app.api.main:create_app", "--factory", "--host", "127.0.0.1",
         "--port", str(port), "--log-level", "warning"],
        env=full_env, stdout=log.open("w"), stderr=subprocess.STDOUT, cwd=str(ROOT))
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 120
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                return Server(url, proc, data_dir, log)
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    proc.kill()
    raise RuntimeError(f"server did not start:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="session")
def server_factory(tmp_path_factory):
    servers: list[Server] = []

    def factory(env: dict[str, str] | None = None) -> Server:
        s = start_server(tmp_path_factory.mktemp("server"), env)
        servers.append(s)
        return s

    yield factory
    for s in servers:
        s.stop()


@pytest.fixture(scope="session")
def server(server_factory) -> Server:
    """One service on the embedded defaults, shared by the tests that only read."""
    return server_factory()


@lru_cache(maxsize=None)
def resources_for(*checks: str):
    """Resources with only the named checks loaded (all when none are named), built once per test run."""
    from app import resources
    return resources.load(only=set(checks) if checks else None)


def run_draft(draft: dict | str, *checks: str):
    """Run the pipeline in process on a draft (a body string or a dict of Draft fields)."""
    from app import pipeline
    from app.models import Draft
    d = Draft(**({"body": draft} if isinstance(draft, str) else draft))
    return pipeline.run(d, resources_for(*checks))
