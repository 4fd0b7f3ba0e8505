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
    macbert_path: Path | None = Field(None, description="local MacBERT spelling model directory (needs precheck[deep])")
    max_chars: int = 100_000
    probe_links: bool = False
    probe_links_roles: str = Field("", description="roles (author,editor,admin) whose requests may turn probing "
                                   "on while probe_links is off; empty: nobody")
    open_records: bool = Field(False, description="without keys, anyone may record approvals and publications "
                               "(otherwise they need a key with the editor role)")
    allow_private_targets: str = Field("", description="link probing may reach private networks: true, or "
                                       "CIDRs (10.0.0.0/8,127.0.0.1/32); metadata addresses stay refused")
    link_timeout: float = Field(5.0, gt=0, description="seconds per link request (connect, read)")
    link_concurrency: int = Field(32, ge=1, description="links probed at once, in the whole process")
    link_per_host: int = Field(6, ge=1, description="links probed at once on one host")
    link_per_request: int = Field(8, ge=1, description="links of one draft probed at once (its share of "
                                  "link_concurrency)")
    link_probe_budget: float = Field(30.0, gt=0, description="seconds all probes of one draft may take")
    link_cache_ttl: float = Field(3600.0, ge=0, description="seconds a probe result is reused; 0 disables")
    redis_url: str | None = Field(None, description="share probe results between processes (redis://…)")
    database_url: str | None = None
    data_dir: Path = Path("data")
    api_keys: str = ""
    admin_keys: str = ""
    store_text: bool = Field(True, description="keep each checked draft's text in the audit store")
    retention_days: int = Field(0, ge=0, description="purge check records older than this; 0 keeps them")
    watch_lexicons: bool = Field(True, description="reload when a lexicon file changes (the server; SIGHUP always)")
    rate_limit: int = Field(0, ge=0, description="requests per key per rate_window seconds; 0 is no limit")
    rate_window: float = Field(60.0, gt=0, description="the rate limit's window in seconds")
    auth_failure_limit: int = Field(10, ge=0, description="requests with a wrong key per address per rate_window "
                                    "seconds before 429; 0 is no limit")
    trusted_proxies: str = Field("", description="addresses whose X-Forwarded-For names the client "
                                 "(comma-separated, as uvicorn's forwarded_allow_ips); empty: none")
    store_retry_seconds: float = Field(5.0, gt=0, description="how often queued records are retried")
    database_timeout: float = Field(1.0, gt=0, description="seconds a database wait may take (connection, "
                                    "lock, statement, answer) before the check is queued")
    redis_prefix: str = Field("precheck:", description="prefix of every Redis key (rate-limit buckets); "
                              "replicas sharing limits use the same one")
    lexicon_poll_seconds: float = Field(1.0, gt=0, description="how often a replica looks for lexicon edits "
                                        "made on another one (PostgreSQL also notifies at once)")
    metrics_allow: str = Field("loopback", description="who may read /metrics: loopback, any, or a "
                               "list of networks (loopback,10.0.0.0/8)")
    metrics_token: str = Field("", description="a bearer token that also admits a /metrics scraper")
    log_format: str = Field("json", description="server logs: json (one object a line) or text")

    def extra_lexicon_dirs(self) -> list[Path]:
        return [Path(p) for p in self.lexicon_dirs.split(os.pathsep) if p.strip()]

    def lexicon_dirs_all(self) -> list[Path]:
        return [bundled_lexicon_dir(), *self.extra_lexicon_dirs()]


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
