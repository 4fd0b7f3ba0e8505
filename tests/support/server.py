"""``precheck`` served for real by uvicorn on a free 127.0.0.1 port (the tests and the benchmarks)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from .paths import ROOT


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


def start_server(tmp: Path, env: dict[str, str] | None = None, workers: int = 1) -> Server:
    """A server with its own data directory under ``tmp``; its log is ``server-PORT.log`` there."""
    port = free_port()
    data_dir = tmp / f"data-{port}"
    data_dir.mkdir(parents=True, exist_ok=True)
    log = tmp / f"server-{port}.log"
    # The lexicon file watcher is off unless the caller asks for it (PRECHECK_WATCH_LEXICONS=1).
    full_env = {**os.environ, "PRECHECK_DATA_DIR": str(data_dir), "PRECHECK_WATCH_LEXICONS": "0", **(env or {})}
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "app.api.main:create_app", "--factory", "--host", "127.0.0.1",
         "--port", str(port), "--log-level", "warning", "--workers", str(workers)],
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
