"""``precheck serve`` replicas as an operator runs them, and the shared Redis the tests use.

Redis on 127.0.0.1:6379 is shared with other test runs on the machine: every test takes its own key
prefix (``unique_prefix``), so no run sees another's rate-limit buckets.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import pytest

from .paths import ROOT
from .server import Server, free_port

REDIS_URL = os.environ.get("PRECHECK_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def require_redis() -> None:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=2, socket_connect_timeout=2).ping()
    except redis.RedisError as e:
        message = f"Redis at {REDIS_URL} is not reachable ({e}); scripts/start-services.sh starts it"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true: the Redis tests must run. " + message, pytrace=False)
        pytest.skip(message)


def unique_prefix() -> str:
    return f"precheck-test:{uuid.uuid4().hex}:"


def start_replica(tmp: Path, env: dict[str, str], workers: int = 1, ready: str = "/readyz") -> Server:
    """``precheck serve`` on a free port with its own data directory (so nothing is shared by disk);
    returns once ``ready`` answers 200."""
    port = free_port()
    data_dir = tmp / f"replica-{port}"
    data_dir.mkdir(parents=True, exist_ok=True)
    log = tmp / f"replica-{port}.log"
    full_env = {**os.environ, "PRECHECK_DATA_DIR": str(data_dir), "PRECHECK_WATCH_LEXICONS": "0", **env}
    full_env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    proc = subprocess.Popen([sys.executable, "-m", "app.cli", "serve", "--host", "127.0.0.1", "--port", str(port),
                             "--workers", str(workers)],
                            env=full_env, stdout=log.open("w"), stderr=subprocess.STDOUT, cwd=str(ROOT))
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 180
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"replica exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(url + ready, timeout=5).status_code == 200:
                return Server(url, proc, data_dir, log)
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    proc.kill()
    raise RuntimeError(f"replica did not start:\n{log.read_text()[-3000:]}")
