"""A project's own configuration, found by itself as ruff and Vale find theirs.

For a checked file, the nearest ``precheck.toml``, ``.precheck.toml`` or ``pyproject.toml`` with a
``[tool.precheck]`` table in its folder or a parent (up to the repository root, the folder holding
``.git``) is merged over the bundled ``app/precheck.toml``. ``--config FILE`` (or ``PRECHECK_CONFIG``)
names the file instead and turns the search off. ``precheck config`` prints every effective value
and where it came from.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .config import DEFAULT_CONFIG, Config, ConfigError, from_data, merge

NAMES = ("precheck.toml", ".precheck.toml", "pyproject.toml")


def read(path: Path) -> dict:
    """The precheck settings in ``path``: the whole file, or ``[tool.precheck]`` of a pyproject.toml."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"config file not found: {path}") from None
    except IsADirectoryError:
        raise ConfigError(f"config file {path} is a directory") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise ConfigError(f"config file {path} is not valid TOML: {e}") from None
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("precheck", {})
        if not isinstance(data, dict):
            raise ConfigError(f"{path}: [tool.precheck] must be a table")
    return data


def _has_table(pyproject: Path) -> bool:
    try:
        return isinstance(tomllib.loads(pyproject.read_text(encoding="utf-8")).get("tool", {}).get("precheck"), dict)
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return False


def discover(start: Path) -> Path | None:
    """The configuration file that governs ``start`` (a file or a folder), or None."""
    folder = start if start.is_dir() else start.parent
    folder = folder.resolve()
    while True:
        for name in NAMES:
            p = folder / name
            if p.is_file() and (name != "pyproject.toml" or _has_table(p)):
                return p
        if (folder / ".git").exists() or folder.parent == folder:
            return None
        folder = folder.parent


@dataclass(frozen=True)
class Effective:
    config: Config
    origins: dict[tuple[str, ...], str]  # key path -> "bundled" or the file that set it
    data: dict


def _flatten(data: dict, prefix: tuple[str, ...] = ()) -> dict[tuple[str, ...], object]:
    out: dict[tuple[str, ...], object] = {}
    for k, v in data.items():
        if isinstance(v, dict) and v:
            out.update(_flatten(v, prefix + (k,)))
        else:
            out[prefix + (k,)] = v
    return out


def load(path: Path | None) -> Effective:
    """The bundled configuration with ``path`` (a discovered or named file) merged over it."""
    base = tomllib.loads(DEFAULT_CONFIG.read_text(encoding="utf-8"))
    origins = {k: "bundled" for k in _flatten(base)}
    data = base
    if path is not None:
        over = read(path)
        data = merge(base, over)
        origins.update({k: str(path) for k in _flatten(over)})
    return Effective(from_data(data, str(path) if path else None), origins, data)


def _key(name: str) -> str:
    return name if name.replace("_", "").replace("-", "").isalnum() and name.isascii() else json.dumps(name)


def describe(eff: Effective) -> str:
    """``key = value  # origin`` lines, as TOML a person can copy from."""
    lines = [f"# configuration file: {eff.config.path or 'none (bundled defaults only)'}"]
    section: tuple[str, ...] | None = None
    for key, value in _flatten(eff.data).items():
        if isinstance(value, dict):  # an empty table, such as [rules] with every line commented out
            lines.append(f"\n[{'.'.join(_key(h) for h in key)}]")
            section = key
            continue
        head, name = key[:-1], key[-1]
        if head != section:
            lines.append(f"\n[{'.'.join(_key(h) for h in head)}]")
            section = head
        shown = str(value).lower() if isinstance(value, bool) else json.dumps(value, ensure_ascii=False)
        lines.append(f"{_key(name)} = {shown}  # {eff.origins.get(key, 'bundled')}")
    return "\n".join(lines)
