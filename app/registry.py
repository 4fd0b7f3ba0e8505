"""The checks and their rules as the catalogue finds them (``app/catalog.py``), for callers that hold
no loaded resources: listings, renderers of saved reports, tests."""

from __future__ import annotations

from functools import lru_cache
from types import ModuleType

from . import catalog
from .rules import Rule


def module(name: str) -> ModuleType:
    return catalog.module(name)


def check_names() -> list[str]:
    return list(catalog.check_names())


@lru_cache(maxsize=1)
def default_catalog() -> catalog.Catalog:
    """The catalogue of the bundled configuration and lexicons."""
    from .checks.base import LoadContext
    from .config import load_config
    from .settings import bundled_lexicon_dir
    config = load_config()
    return catalog.Catalog.load(config, LoadContext(settings=None, config=config, lexicon_dirs=(bundled_lexicon_dir(),)))


def all_rules() -> dict[str, Rule]:
    return default_catalog().rules
