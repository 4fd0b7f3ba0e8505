"""The service's Prometheus metrics, and the ``/metrics`` exposition.

With ``PROMETHEUS_MULTIPROC_DIR`` set (``precheck serve --workers N`` sets it to a fresh folder per
start) every worker writes its samples to files there and a scrape, served by any worker, adds them
up: the service reports one set, not one per worker. Values that are read at scrape time (spool
depth, lexicon version) come from ``ScrapeCollector`` instead of per-process gauges.
"""

from __future__ import annotations

import os
from typing import Callable, Iterable

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, InfoMetricFamily

_LATENCY = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
_CHECK_LATENCY = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0, 5.0)

REQUESTS = Counter("precheck_http_requests_total", "HTTP requests answered", ["method", "endpoint", "status"])
LATENCY = Histogram("precheck_http_request_duration_seconds", "Time to answer an HTTP request",
                    ["method", "endpoint"], buckets=_LATENCY)
CHECK_DURATION = Histogram("precheck_check_duration_seconds", "Time one check took on one draft",
                           ["check"], buckets=_CHECK_LATENCY)
CHECK_RUNS = Counter("precheck_check_runs_total", "Checks run on drafts, by status", ["check", "status"])
FINDINGS = Counter("precheck_findings_total", "Findings reported", ["rule", "severity"])
VERDICTS = Counter("precheck_verdicts_total", "Drafts checked, by verdict", ["verdict"])
TIERS = Counter("precheck_tiers_total", "Drafts checked, by approval tier", ["tier"])
RECORDS = Counter("precheck_audit_records_total", "Check records, by what became of them",
                  ["outcome"])  # stored | queued | not-recorded
LEXICON_RELOADS = Counter("precheck_lexicon_reloads_total", "Resources rebuilt after a lexicon change")
LINK_PROBES = Counter("precheck_link_probes_total", "Links probed, by outcome and where the answer came from",
                      ["outcome", "source"])  # source: network | memory | redis


def observe_report(report) -> None:
    """Count one finished report (the API calls this; the CLI and re-scans do not)."""
    for c in report.checks:
        if c.status == "skipped":
            continue
        CHECK_RUNS.labels(c.name, c.status).inc()
        if c.elapsed_ms is not None:
            CHECK_DURATION.labels(c.name).observe(c.elapsed_ms / 1000)
    for f in report.findings:
        FINDINGS.labels(f.rule, f.severity).inc()
    VERDICTS.labels(report.verdict).inc()
    TIERS.labels(report.tier.level).inc()


def observe_record(outcome: str) -> None:
    RECORDS.labels(outcome).inc()


def observe_probe(outcome: str, cached: str | None) -> None:
    LINK_PROBES.labels(outcome, cached or "network").inc()


def observe_reload() -> None:
    LEXICON_RELOADS.inc()


class ScrapeCollector:
    """Gauges read when scraped: ``state()`` returns the current values."""

    def __init__(self, state: Callable[[], dict]):
        self.state = state

    def collect(self) -> Iterable:
        s = self.state()
        spool = GaugeMetricFamily("precheck_spool_depth", "Check records queued on disk for the database")
        spool.add_metric([], s.get("spool_depth", 0))
        yield spool
        version = GaugeMetricFamily("precheck_lexicon_overlay_version",
                                    "Version of the company lexicon overlay in the database (0: none yet)")
        version.add_metric([], s.get("overlay_version", 0))
        yield version
        info = InfoMetricFamily("precheck_lexicon", "Content hash of the lexicons in effect")
        info.add_metric([], {"version": s.get("lexicon_version", "")})
        yield info


def exposition(state: Callable[[], dict]) -> tuple[bytes, str]:
    """The text a scrape gets: every worker's samples, then the scrape-time gauges."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        body = generate_latest(registry)
    else:
        from prometheus_client import REGISTRY

        body = generate_latest(REGISTRY)
    extra = CollectorRegistry()
    extra.register(ScrapeCollector(state))
    return body + generate_latest(extra), CONTENT_TYPE_LATEST
