"""Everything loaded once per process and shared read-only by all requests.

Reloading builds a whole new ``Resources`` aside and swaps one reference: a request in flight keeps
the object it started with, so nobody sees a half-built lexicon.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

from . import lexicon, tiers
from .catalog import Catalog, module as check_module
from .checks.base import Check, LoadContext
from .config import Config, load_config
from .settings import Settings

log = logging.getLogger("precheck")


@dataclass(frozen=True)
class Resources:
    settings: Settings
    config: Config
    catalog: Catalog
    checks: dict[str, Check]
    tier_rules: tiers.TierRules
    lexicon_dirs: tuple[Path, ...]
    lexicon_version: str
    loaded_at: float = field(default_factory=time.time)
    load_ms: float = 0.0


def overlay_dir(settings: Settings) -> Path:
    """Where company edits made through the admin API are written."""
    return settings.data_dir / "lexicons"


def load(settings: Settings, config: Config | None = None, only: set[str] | None = None) -> Resources:
    t0 = time.perf_counter()
    config = config or load_config(settings.config)
    dirs = tuple(settings.lexicon_dirs_all()) + (overlay_dir(settings),)
    ctx = LoadContext(settings=settings, config=config, lexicon_dirs=dirs)
    cat = Catalog.load(config, ctx)
    ctx = replace(ctx, catalog=cat)
    checks: dict[str, Check] = {}
    for name in cat.names:
        if cat.check_enabled(name) and (only is None or name in only):
            checks[name] = check_module(name).build(ctx)
    tier_rules = tiers.load(ctx)
    cat.require_known(tier_rules.finding_rules, "tiers.toml [findings] rules", tiers.TierRulesError)
    return Resources(settings=settings, config=config, catalog=cat, checks=checks, tier_rules=tier_rules,
                     lexicon_dirs=dirs, lexicon_version=lexicon.version(dirs),
                     load_ms=(time.perf_counter() - t0) * 1000)


class Holder:
    """The current Resources of a process; ``reload`` swaps in a freshly built one."""

    def __init__(self, factory: Callable[[], Resources]):
        self._factory = factory
        self._lock = threading.Lock()
        self._current: Resources | None = None

    @property
    def current(self) -> Resources:
        res = self._current
        if res is None:
            with self._lock:
                if self._current is None:
                    self._current = self._factory()
                res = self._current
        return res

    def reload(self) -> Resources:
        with self._lock:
            fresh = self._factory()  # built aside; readers keep using the old one meanwhile
            self._current = fresh
        log.info("resources reloaded: lexicon version %s in %.0f ms", fresh.lexicon_version, fresh.load_ms)
        return fresh
