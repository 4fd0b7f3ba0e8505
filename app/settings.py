"""Process settings, read once from the environment (prefix ``PRECHECK_``)."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PACKAGE_DIR = Path(__file__).resolve().parent


def bundled_lexicon_dir() -> Path:
    # A wheel carries the lexicons inside the package; a source checkout keeps them at the top.
    inside = PACKAGE_DIR / "lexicons"
    return inside if inside.is_dir() else PACKAGE_DIR.parent / "lexicons"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PRECHECK_", extra="ignore")

    config: Path | None = Field(None, description="precheck.toml overriding the bundled default")
    lexicon_dirs: str = Field("", description="extra lexicon folders, os.pathsep-separated")
    lm_path: Path | None = Field(None, description="KenLM model; default: Debian's libime zh_CN.lm")
    max_chars: int = 100_000
    probe_links: bool = False
    database_url: str | None = None
    data_dir: Path = Path("data")
    api_keys: str = ""
    admin_keys: str = ""

    def extra_lexicon_dirs(self) -> list[Path]:
        return [Path(p) for p in self.lexicon_dirs.split(os.pathsep) if p.strip()]

    def lexicon_dirs_all(self) -> list[Path]:
        return [bundled_lexicon_dir(), *self.extra_lexicon_dirs()]


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
