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
from .models import CHECK_NAMES

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
        if wanted and (unknown := sorted(set(wanted) - set(CHECK_NAMES))):
            raise cli_run.UsageError(f"--checks: unknown check(s) {', '.join(unknown)}; "
                                     f"known: {', '.join(CHECK_NAMES)}")
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
    """Run the REST service (OpenAPI at /docs)."""
    import uvicorn

    uvicorn.run("app.api.main:create_app", factory=True, host=host, port=port, workers=workers,
                log_level="info")


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
def list_rules() -> None:
    """List every rule with its default severity and clause."""
    out = Console(highlight=False)
    for rule in registry.all_rules().values():
        out.print(f"{rule.id:32} {rule.severity:8} {rule.clause or '':8} {rule.description}", markup=False)


from .cli_keys import keys_app  # noqa: E402  (a sub-app: precheck keys create|list|revoke)

app.add_typer(keys_app, name="keys")

from .links.cli import links_app  # noqa: E402  (a sub-app: precheck links import-feed)

app.add_typer(links_app, name="links")

from .cli_words import words_app  # noqa: E402  (a sub-app: precheck words add|remove|list)

app.add_typer(words_app, name="words")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
