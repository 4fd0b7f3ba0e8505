"""What ``precheck check`` does with its paths: find the files, check each, report them all.

Every file is checked even when another cannot be read; an unreadable file is reported in the
chosen output format (and on stderr) and makes the exit code 2 at the end. Each file is checked
with the configuration found for it (app/project_config.py) unless ``--config`` names one.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from . import baseline, project_config, walk
from .config import Config, ConfigError
from .models import SEVERITY_RANK, Draft, Report

if TYPE_CHECKING:
    from .resources import Resources
    from .settings import Settings


class UsageError(Exception):
    """A problem with the command line or an input file: one line on stderr, exit 2."""


@dataclass
class Options:
    input_format: str = "auto"
    title: str | None = None
    author_type: str = "employee"
    checks: list[str] | None = None
    probe_links: bool | None = None
    vars_file: Path | None = None
    config: Path | None = None  # named: no discovery
    inline_config: bool = True
    show_suppressed: bool = False
    baseline: Path | None = None
    write_baseline: Path | None = None
    fail_on: str = "error"


@dataclass
class Run:
    results: list[tuple[str, Report]] = field(default_factory=list)
    fingerprints: dict[str, list[str]] = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (path, why it was not checked)
    started: str = ""
    ended: str = ""
    failed: bool = False  # findings at or above --fail-on

    @property
    def exit_code(self) -> int:
        return 2 if self.errors else 1 if self.failed else 0


def read(path: str) -> str:
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


def read_docx(path: str) -> tuple[str, dict[str, bytes]]:
    """A Word document's HTML (one paragraph a line) and its embedded images."""
    from .document.docx import DocxRefused, read as read_document

    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except OSError as e:
        raise UsageError(f"{path}: {e.strerror or e}") from None
    try:
        doc = read_document(data, path)
    except DocxRefused as e:
        raise UsageError(e.message) from None
    return doc.html, doc.images


def load_vars(path: Path) -> dict:
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as e:
        raise UsageError(f"--vars {path}: {e.strerror or e}") from None
    except UnicodeDecodeError as e:
        raise UsageError(f"--vars {path}: not valid UTF-8 (byte {e.start})") from None
    suffix = path.suffix.lower()
    try:
        if suffix in (".yaml", ".yml"):
            import yaml
            data = yaml.safe_load(raw)
        elif suffix == ".toml":
            import tomllib
            data = tomllib.loads(raw)
        else:
            data = json.loads(raw)
    except Exception as e:  # yaml, toml and json raise different types; all mean the same to the user
        raise UsageError(f"--vars {path}: cannot parse: {str(e).splitlines()[0]}") from None
    if not isinstance(data, dict):
        raise UsageError(f"--vars {path}: expected a mapping of variable names to values, "
                         f"got {type(data).__name__}")
    bad = [k for k in data if not isinstance(k, str) or not k.isidentifier()]
    if bad:
        raise UsageError(f"--vars {path}: {bad[0]!r} is not a variable name (a YAML file written with "
                         "full-width colons or '=' reads as one long key)")
    return data


def expand(paths: list[str], opts: Options) -> tuple[list[str], list[tuple[str, str]]]:
    """The files the paths stand for (folders walked), and the paths that are not there."""
    files: list[str] = []
    errors: list[tuple[str, str]] = []
    for p in paths:
        if p == "-" or not Path(p).is_dir():
            if p == "-" or Path(p).exists() or Path(p).is_symlink():
                files.append(p)
            else:
                errors.append((p, f"{p}: no such file or folder"))
            continue
        cfg_path = opts.config or project_config.discover(Path(p))
        section = project_config.load(cfg_path).config.section("files")
        base = cfg_path.parent if cfg_path is not None and opts.config is None else Path(p)
        found = walk.walk(Path(p), section, base)
        prefix = Path(p)
        files += [str(prefix / f.relative_to(prefix.resolve())) for f in found]
    return list(dict.fromkeys(files)), errors


class Checker:
    def __init__(self, settings: "Settings", opts: Options):
        self.settings = settings
        self.opts = opts
        self.variables = load_vars(opts.vars_file) if opts.vars_file else None
        self._configs: dict[Path | None, Config] = {}
        self._resources: dict[Path | None, "Resources"] = {}
        self._documents: dict[str, dict[str, bytes]] = {}  # .docx paths: their embedded images

    def _config_path(self, path: str) -> Path | None:
        if self.opts.config is not None:
            return self.opts.config
        return project_config.discover(Path.cwd() if path == "-" else Path(path))

    def resources(self, path: str) -> "Resources":
        from . import resources

        key = self._config_path(path)
        if key not in self._resources:
            try:
                cfg = project_config.load(key).config
            except ConfigError as e:
                raise SystemExit(_fatal(str(e)))
            try:
                self._resources[key] = resources.load(self.settings, cfg, only=set(self.opts.checks or ()) or None)
            except ValueError as e:  # a setting a check cannot use: [grammar] max_sentence_chars = "long" …
                raise SystemExit(_fatal(f"configuration: {str(e).splitlines()[0]}"))
        return self._resources[key]

    def prepare(self, path: str) -> tuple[Draft, str, object]:
        """(draft, the text positions refer to, template map or None); UsageError if it cannot be read."""
        from . import template_map

        docx = path != "-" and Path(path).suffix.lower() == ".docx"
        if docx:
            text, self._documents[path] = read_docx(path)
        else:
            text = read(path)
        tmap = None
        body = text
        if self.variables is not None and not docx:
            folder = None if path == "-" else Path(path).resolve().parent
            try:
                tmap = template_map.render(text, self.variables, folder, path, f"--vars {self.opts.vars_file}")
            except template_map.TemplateError as e:
                raise UsageError(str(e)) from None
            body = tmap.rendered
        if len(body) > self.settings.max_chars:
            raise UsageError(f"{path}: {len(body)} characters; the limit is {self.settings.max_chars} "
                             "(PRECHECK_MAX_CHARS)")
        o = self.opts
        fmt = "html" if docx else o.input_format if o.input_format != "auto" else walk.input_format(path)
        try:
            draft = Draft(body=body, title=o.title, format=fmt, author={"type": o.author_type}, checks=o.checks)
        except ValueError as e:  # a lone surrogate cannot come from a UTF-8 file, but be safe
            raise UsageError(f"{path}: {str(e).splitlines()[0]}") from None
        return draft, text, tmap

    def check(self, path: str, draft: Draft, tmap) -> Report:
        from . import pipeline

        res = self.resources(path)
        images = self._documents.get(path)
        if images is None and "media" in res.checks and path != "-":
            from .media.local import local_images
            images = local_images(path, draft, res.config.section("media"))
        report = pipeline.run(draft, res, probe_links=self.opts.probe_links, attachments=images,
                              inline_config=self.opts.inline_config)
        if path in self._documents:
            from .document.docx import locate
            return locate(report, draft.body)
        return tmap.remap(report) if tmap is not None else report


def _fatal(message: str) -> int:
    sys.stderr.write(f"precheck: error: {' '.join(message.split())}\n")
    return 2


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def run(paths: list[str], settings: "Settings", opts: Options, progress=None) -> Run:
    out = Run(started=now())
    known = baseline.load(opts.baseline) if opts.baseline else None
    checker = Checker(settings, opts)
    files, out.errors = expand(paths, opts)
    prepared = []
    for path in files:
        try:
            prepared.append((path, *checker.prepare(path)))
        except UsageError as e:
            out.errors.append((path, str(e)))
    items = progress(prepared) if progress and len(prepared) > 1 else prepared
    checked = []
    for path, draft, source, tmap in items:
        report = checker.check(path, draft, tmap)
        if not opts.show_suppressed and report.suppressed:
            report = report.model_copy(update={"suppressed": []})
        checked.append((path, report, baseline.fingerprints(report, source)))
    if opts.write_baseline:
        baseline.write(opts.write_baseline, checked)
        known = baseline.load(opts.write_baseline)
    threshold = SEVERITY_RANK.get(opts.fail_on)
    for path, report, fps in checked:
        if known is not None:
            report, fps, _ = baseline.new_only(report, fps, known.get(baseline.key(path)))
        out.results.append((path, report))
        out.fingerprints[path] = fps
        if threshold is not None and any(SEVERITY_RANK[f.severity] >= threshold for f in report.findings):
            out.failed = True
    out.ended = now()
    return out
