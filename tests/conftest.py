"""The fixtures every test folder shares; the helpers themselves are in tests/support/."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("PRECHECK_WATCH_LEXICONS", "0")  # in-process apps too; a test may turn it on

from support import DATA, FIXTURES, ROOT, Server, free_port, resources_for, run_draft, start_server  # noqa: E402,F401


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
