"""Helpers shared by the tests (and the benchmarks, for the server): paths, real servers, drafts."""

from .drafts import resources_for, run_draft
from .paths import DATA, FIXTURES, ROOT
from .server import Server, free_port, start_server

__all__ = ["DATA", "FIXTURES", "ROOT", "Server", "free_port", "resources_for", "run_draft", "start_server"]
