"""Which files a folder given to ``precheck check`` stands for.

Drafts are found by name (``[files] include``: markdown, html, txt and Jinja2 templates by default);
``exclude``/``extend_exclude`` globs, ``.precheckignore`` files (gitignore syntax) and, unless
``respect_gitignore = false``, ``.gitignore`` files leave files out, each ignore file for its own
folder and below, as git reads them. A file named on the command line is always checked.
"""

from __future__ import annotations

import os
from pathlib import Path

import pathspec

TEMPLATE_SUFFIXES = (".j2", ".jinja", ".jinja2")
_FORMATS = {".md": "markdown", ".markdown": "markdown", ".mdx": "markdown", ".html": "html", ".htm": "html"}


def input_format(path: str) -> str:
    """markdown, html or text by the file's name; a template by the name under its .j2 suffix."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix in TEMPLATE_SUFFIXES:
        suffix = Path(p.stem).suffix.lower()
    return _FORMATS.get(suffix, "text")


def is_template(path: str) -> bool:
    return Path(path).suffix.lower() in TEMPLATE_SUFFIXES


def _spec(lines: list[str]) -> pathspec.PathSpec | None:
    return pathspec.GitIgnoreSpec.from_lines(lines) if any(ln.strip() for ln in lines) else None


def _read_ignore(folder: Path, names: tuple[str, ...]) -> pathspec.PathSpec | None:
    lines: list[str] = []
    for name in names:
        p = folder / name
        if p.is_file():
            try:
                lines += p.read_text(encoding="utf-8", errors="replace").splitlines()
            except OSError:
                continue
    return _spec(lines)


def _repo_root(folder: Path) -> Path | None:
    for d in (folder, *folder.parents):
        if (d / ".git").exists():
            return d
    return None


def walk(root: Path, options: dict, base: Path | None = None) -> list[Path]:
    """The draft files under ``root``, sorted. ``base``: the folder the globs are relative to (the
    configuration file's folder; default ``root``)."""
    root = root.resolve()
    base = (base or root).resolve()
    include = _spec(list(options.get("include", ())))  # the bundled precheck.toml lists the defaults
    exclude = _spec([*options.get("exclude", []), *options.get("extend_exclude", [])])
    names = (".precheckignore", ".gitignore") if options.get("respect_gitignore", True) else (".precheckignore",)
    # Ignore files of the folders above root (up to the repository) apply too, as in git.
    stack: list[tuple[Path, pathspec.PathSpec]] = []
    repo = _repo_root(root)
    if repo is not None:
        for d in reversed([root, *root.parents]):
            if d != root and (d == repo or repo in d.parents):
                spec = _read_ignore(d, names)
                if spec is not None:
                    stack.append((d, spec))

    def ignored(path: Path, is_dir: bool, specs) -> bool:
        for folder, spec in specs:
            rel = path.relative_to(folder).as_posix() + ("/" if is_dir else "")
            if spec.match_file(rel):
                return True
        if exclude is not None:
            try:
                rel = path.relative_to(base).as_posix() + ("/" if is_dir else "")
            except ValueError:
                rel = path.name
            if exclude.match_file(rel):
                return True
        return False

    found: list[Path] = []
    specs_at: dict[Path, list] = {root: stack}
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        specs = list(specs_at.pop(here, stack))
        own = _read_ignore(here, names)
        if own is not None:
            specs.append((here, own))
        keep = []
        for d in sorted(dirnames):
            p = here / d
            if d == ".git" or ignored(p, True, specs):
                continue
            keep.append(d)
            specs_at[p] = specs
        dirnames[:] = keep
        for name in sorted(filenames):
            p = here / name
            if include is not None and not include.match_file(name):
                continue
            if not ignored(p, False, specs):
                found.append(p)
    return sorted(found)
