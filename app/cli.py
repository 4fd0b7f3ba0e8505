"""The ``precheck`` command: check files in CI, serve the API, list rules."""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from . import registry
from .models import SEVERITY_RANK, Draft, Report

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


class UsageError(Exception):
    """A problem with the command line or an input file: one line on stderr, exit 2."""


def fail(message: str) -> None:
    sys.stderr.write(f"precheck: error: {' '.join(message.split())}\n")
    raise typer.Exit(2)


_EXT = {".md": "markdown", ".markdown": "markdown", ".mdx": "markdown", ".html": "html", ".htm": "html"}


def _read(path: str) -> str:
    try:
        data = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise UsageError(f"{path}: is a directory") from None
    except OSError as e:
        raise UsageError(f"{path}: {e.strerror or e}") from None
    if b"\x00" in data[:8192]:
        raise UsageError(f"{path}: looks like a binary file, not a text draft")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise UsageError(f"{path}: not valid UTF-8 (byte {e.start})") from None


def _load_vars(path: Path) -> dict:
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as e:
        raise UsageError(f"--vars {path}: {e.strerror or e}") from None
    try:
        if path.suffix.lower() in (".yaml", ".yml"):
            import yaml
            data = yaml.safe_load(raw)
        else:
            data = json.loads(raw)
    except Exception as e:  # yaml and json raise different types; both mean the same to the user
        raise UsageError(f"--vars {path}: cannot parse: {str(e).splitlines()[0]}") from None
    if not isinstance(data, dict):
        raise UsageError(f"--vars {path}: expected a mapping of variable names to values")
    return data


def _render(text: str, variables: dict, path: str) -> str:
    import jinja2
    from jinja2.sandbox import SandboxedEnvironment

    env = SandboxedEnvironment(undefined=jinja2.StrictUndefined, keep_trailing_newline=True, autoescape=False)
    try:
        return env.from_string(text).render(**variables)
    except jinja2.UndefinedError as e:
        raise UsageError(f"{path}: template variable missing from --vars: {e.message}") from None
    except jinja2.TemplateError as e:
        raise UsageError(f"{path}: template error: {e}") from None


@app.command()
def check(
    paths: list[str] = typer.Argument(..., help="files to check, or - for stdin"),
    format: OutFormat = typer.Option(OutFormat.text, "--format", "-f", help="output format"),
    fail_on: FailOn = typer.Option(FailOn.error, "--fail-on", help="lowest severity that fails (exit 1)"),
    input_format: InputFormat = typer.Option(InputFormat.auto, "--input-format",
                                             help="auto: by extension (.md markdown, .html html, else text)"),
    title: Optional[str] = typer.Option(None, "--title", help="title of the post"),
    author_type: str = typer.Option("employee", "--author-type", help="employee | external"),
    checks: Optional[str] = typer.Option(None, "--checks", help="comma-separated checks to run (default: all)"),
    probe_links: Optional[bool] = typer.Option(None, "--probe-links/--no-probe-links", help="fetch links"),
    vars_file: Optional[Path] = typer.Option(None, "--vars", help="JSON or YAML: render each file as a "
                                             "Jinja2 template with these variables first"),
    config: Optional[Path] = typer.Option(None, "--config", help="precheck.toml overriding the defaults",
                                          envvar="PRECHECK_CONFIG"),
) -> None:
    """Check drafts. Exit 0: nothing at or above --fail-on; 1: findings at or above it; 2: usage or input error."""
    from . import pipeline, resources
    from .config import ConfigError, load_config
    from .settings import get_settings

    try:
        wanted = [c.strip() for c in checks.split(",") if c.strip()] if checks else None
        known = registry.check_names()
        if wanted and (unknown := sorted(set(wanted) - set(known))):
            raise UsageError(f"--checks: unknown check(s) {', '.join(unknown)}; known: {', '.join(known)}")
        if author_type not in ("employee", "external"):
            raise UsageError(f"--author-type must be employee or external, not {author_type!r}")
        if paths.count("-") > 1:
            raise UsageError("stdin (-) can be given only once")
        variables = _load_vars(vars_file) if vars_file else None
        settings = get_settings()
        try:
            cfg = load_config(config or settings.config)
        except ConfigError as e:
            raise UsageError(str(e)) from None
        sources = []
        for path in paths:
            text = _read(path)
            if variables is not None:
                text = _render(text, variables, path)
            if len(text) > settings.max_chars:
                raise UsageError(f"{path}: {len(text)} characters; the limit is {settings.max_chars} "
                                 "(PRECHECK_MAX_CHARS)")
            fmt = input_format.value if input_format != InputFormat.auto else _EXT.get(Path(path).suffix.lower(),
                                                                                         "text")
            sources.append((path, Draft(body=text, title=title, format=fmt, author={"type": author_type},
                                        checks=wanted)))
    except UsageError as e:
        fail(str(e))
    except ValueError as e:  # pydantic: e.g. a lone surrogate cannot come from a UTF-8 file, but be safe
        fail(str(e).splitlines()[0])

    try:
        res = resources.load(settings, cfg, only=set(wanted) if wanted else None)
    except ValueError as e:  # a setting or lexicon a check cannot use: [grammar] max_sentence_chars = "long" …
        fail(f"configuration: {str(e).splitlines()[0]}")
    images: dict[str, dict[str, bytes]] = {}
    if "media" in res.checks:  # local images a markdown/html file refers to, for the media check
        from .media.local import local_images
        images = {path: local_images(path, draft, cfg.section("media")) for path, draft in sources}
    results: list[tuple[str, Report]] = []
    if len(sources) > 1 and sys.stderr.isatty():
        from rich.progress import track
        for path, draft in track(sources, description="checking", console=err, transient=True):
            results.append((path, pipeline.run(draft, res, probe_links=probe_links, attachments=images.get(path))))
    else:
        results = [(path, pipeline.run(draft, res, probe_links=probe_links, attachments=images.get(path)))
                   for path, draft in sources]

    out = Console(highlight=False, soft_wrap=True)
    if format == OutFormat.text:
        from .render import text as r
        out.print(r.render(results))
    else:
        from .render import github, sarif
        from .render import json as rjson
        renderer = {OutFormat.json: rjson, OutFormat.sarif: sarif, OutFormat.github: github}[format]
        rendered = renderer.render(results)
        if rendered:
            sys.stdout.write(rendered + "\n")
    if fail_on != FailOn.never:
        threshold = SEVERITY_RANK[fail_on.value]
        if any(SEVERITY_RANK[f.severity] >= threshold for _, r in results for f in r.findings):
            raise typer.Exit(1)


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


class RulesFormat(str, Enum):
    text = "text"
    markdown = "markdown"


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


def main() -> None:
    app()


if __name__ == "__main__":
    main()
