"""The ``precheck`` command: check files in CI, serve the API, list rules."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from . import registry
from .config import ConfigError

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="precheck: pre-publication checks for WeChat posts (see README).")
err = Console(stderr=True, highlight=False)


class OutFormat(str, Enum):
    text = "text"
    json = "json"
    sarif = "sarif"
    github = "github"


class FailOn(str, Enum):
    block = "block"
    error = "error"
    warning = "warning"
    never = "never"


class InputFormat(str, Enum):
    auto = "auto"
    text = "text"
    markdown = "markdown"
    html = "html"


def fail(message: str) -> None:
    sys.stderr.write(f"precheck: error: {' '.join(message.split())}\n")
    raise typer.Exit(2)


@app.command()
def check(
    paths: list[str] = typer.Argument(..., help="files or folders to check, or - for stdin"),
    format: OutFormat = typer.Option(OutFormat.text, "--format", "-f", help="output format"),
    fail_on: FailOn = typer.Option(FailOn.error, "--fail-on", help="lowest severity that fails (exit 1)"),
    input_format: InputFormat = typer.Option(InputFormat.auto, "--input-format",
                                             help="auto: by extension (.md markdown, .html html, else text; "
                                                  "a .j2 template by the name under it)"),
    title: Optional[str] = typer.Option(None, "--title", help="title of the post"),
    author_type: str = typer.Option("employee", "--author-type", help="employee | external"),
    checks: Optional[str] = typer.Option(None, "--checks", help="comma-separated checks to run (default: all)"),
    probe_links: Optional[bool] = typer.Option(None, "--probe-links/--no-probe-links", help="fetch links"),
    vars_file: Optional[Path] = typer.Option(None, "--vars", help="JSON, YAML or TOML: render each file as a "
                                             "Jinja2 template with these variables first"),
    config: Optional[Path] = typer.Option(None, "--config", help="precheck.toml to use instead of the one "
                                          "found beside the files", envvar="PRECHECK_CONFIG"),
    inline_config: bool = typer.Option(True, "--inline-config/--no-inline-config",
                                       help="honour <!-- precheck-disable … --> comments"),
    show_suppressed: bool = typer.Option(False, "--show-suppressed", help="also list the silenced findings"),
    baseline_file: Optional[Path] = typer.Option(None, "--baseline", help="report only findings not in this "
                                                 "baseline file"),
    write_baseline: Optional[Path] = typer.Option(None, "--write-baseline", help="write the findings to this "
                                                  "baseline file"),
) -> None:
    """Check drafts. Exit 0: nothing at or above --fail-on; 1: findings at or above it; 2: usage or input error."""
    from . import cli_run
    from .baseline import BaselineError
    from .settings import get_settings

    try:
        wanted = [c.strip() for c in checks.split(",") if c.strip()] if checks else None
        known = registry.check_names()
        if wanted and (unknown := sorted(set(wanted) - set(known))):
            raise cli_run.UsageError(f"--checks: unknown check(s) {', '.join(unknown)}; known: {', '.join(known)}")
        if author_type not in ("employee", "external"):
            raise cli_run.UsageError(f"--author-type must be employee or external, not {author_type!r}")
        if paths.count("-") > 1:
            raise cli_run.UsageError("stdin (-) can be given only once")
        if config is not None:
            from .project_config import load
            load(config)  # a named file that is missing or broken stops the run before any check
        opts = cli_run.Options(input_format=input_format.value, title=title, author_type=author_type,
                               checks=wanted, probe_links=probe_links, vars_file=vars_file, config=config,
                               inline_config=inline_config, show_suppressed=show_suppressed,
                               baseline=baseline_file, write_baseline=write_baseline, fail_on=fail_on.value)
        progress = None
        if sys.stderr.isatty():
            from rich.progress import track
            progress = lambda items: track(items, description="checking", console=err, transient=True)  # noqa: E731
        outcome = cli_run.run(paths, get_settings(), opts, progress)
    except (cli_run.UsageError, ConfigError, BaselineError) as e:
        fail(str(e))
    for _, why in outcome.errors:
        sys.stderr.write(f"precheck: error: {' '.join(why.split())}\n")
    if not outcome.results and not outcome.errors:
        sys.stderr.write("precheck: warning: no drafts found in the given folders (see [files] in precheck.toml)\n")

    from .render import github, sarif, text
    from .render import json as rjson
    if format == OutFormat.text:
        if outcome.results:  # unreadable files were named on stderr above
            Console(highlight=False, soft_wrap=True).print(text.render(outcome.results))
    elif format == OutFormat.sarif:
        rendered = sarif.render(outcome.results, outcome.errors, fingerprints=outcome.fingerprints,
                                invocation={"exitCode": outcome.exit_code, "startTimeUtc": outcome.started,
                                            "endTimeUtc": outcome.ended, "commandLine": " ".join(sys.argv)})
        sys.stdout.write(rendered + "\n")
    else:
        renderer = {OutFormat.json: rjson, OutFormat.github: github}[format]
        rendered = renderer.render(outcome.results, outcome.errors)
        if rendered:
            sys.stdout.write(rendered + "\n")
    if outcome.exit_code:
        raise typer.Exit(outcome.exit_code)


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="address to listen on"),
    port: int = typer.Option(8000, help="port"),
    workers: int = typer.Option(1, help="worker processes"),
) -> None:
    """Run the REST service (OpenAPI at /docs; /metrics, /readyz and /healthz for operators)."""
    import uvicorn

    from .observability.logs import log_config
    from .observability.serve import metrics_dir
    from .settings import get_settings

    settings = get_settings()
    if settings.log_format not in ("json", "text"):
        fail(f"PRECHECK_LOG_FORMAT must be json or text, not {settings.log_format!r}")
    # X-Forwarded-For names the client only when a proxy we trust set it; uvicorn would trust any
    # sender on 127.0.0.1, and rotating the header would then dodge the per-address rate limit.
    proxies = settings.trusted_proxies.strip()
    with metrics_dir(workers):
        # Loading the engines holds the GIL for seconds on a busy host; uvicorn's default 5 s worker
        # health check would kill each worker before it is up, again and again.
        uvicorn.run("app.api.main:create_app", factory=True, host=host, port=port, workers=workers,
                    log_config=log_config(settings.log_format), access_log=False, timeout_worker_healthcheck=120,
                    proxy_headers=bool(proxies), forwarded_allow_ips=proxies or None)


class RulesFormat(str, Enum):
    text = "text"
    markdown = "markdown"


@app.command("config")
def show_config(
    path: Path = typer.Argument(Path("."), help="file or folder whose configuration to show"),
    config: Optional[Path] = typer.Option(None, "--config", help="this file instead of the one found",
                                          envvar="PRECHECK_CONFIG"),
) -> None:
    """Print the effective configuration for PATH and where each value came from."""
    from .project_config import describe, discover, load

    try:
        eff = load(config or discover(path))
    except ConfigError as e:
        fail(str(e))
    typer.echo(describe(eff))


@app.command("rules")
def list_rules(
    format: RulesFormat = typer.Option(RulesFormat.text, "--format", "-f",
                                       help="text, or markdown: the tables of docs/rules.md"),
    config: Optional[Path] = typer.Option(None, "--config", help="precheck.toml overriding the defaults",
                                          envvar="PRECHECK_CONFIG"),
) -> None:
    """List every rule with its default severity and clause."""
    from .catalog import Catalog
    from .checks.base import LoadContext
    from .config import load_config
    from .resources import overlay_dir
    from .settings import get_settings

    settings = get_settings()
    try:
        cfg = load_config(config or settings.config)
        dirs = tuple(settings.lexicon_dirs_all()) + (overlay_dir(settings),)
        cat = Catalog.load(cfg, LoadContext(settings=settings, config=cfg, lexicon_dirs=dirs))
    except ValueError as e:
        fail(f"configuration: {str(e).splitlines()[0]}")
    if format == RulesFormat.markdown:
        from .render import rules_markdown
        sys.stdout.write(rules_markdown.render(cat))
        return
    out = Console(highlight=False)
    for rule in cat.rules.values():
        out.print(f"{rule.id:32} {rule.severity:8} {rule.clause or '':8} {rule.description}", markup=False)


from .cli_keys import keys_app  # noqa: E402  (a sub-app: precheck keys create|list|revoke)

app.add_typer(keys_app, name="keys")

from .links.cli import links_app  # noqa: E402  (a sub-app: precheck links import-feed)

app.add_typer(links_app, name="links")

from .media.cli import assets_app  # noqa: E402  (a sub-app: precheck assets hash)

app.add_typer(assets_app, name="assets")

from .cli_words import words_app  # noqa: E402  (a sub-app: precheck words add|remove|list)

app.add_typer(words_app, name="words")

from .cli_rescan import rescan  # noqa: E402  (precheck rescan: the archive under today's rules)

app.command("rescan")(rescan)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
