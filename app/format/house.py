"""The company's house style (``[format]`` of precheck.toml) and the CSS values it is compared with."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..config import ConfigError

_LENGTH = re.compile(r"^\s*([0-9]*\.?[0-9]+)\s*(px|pt|em|rem|%)?\s*$", re.I)
_HEX = re.compile(r"^#([0-9a-f]{3}|[0-9a-f]{6})$", re.I)
_RGB = re.compile(r"^rgba?\(\s*([0-9.]+)\s*,\s*([0-9.]+)\s*,\s*([0-9.]+)\s*(?:,\s*([0-9.]+)\s*)?\)$", re.I)
NAMED = {"black": (0, 0, 0), "white": (255, 255, 255), "red": (255, 0, 0), "green": (0, 128, 0),
         "blue": (0, 0, 255), "gray": (128, 128, 128), "grey": (128, 128, 128), "silver": (192, 192, 192),
         "yellow": (255, 255, 0), "orange": (255, 165, 0), "purple": (128, 0, 128), "lightgray": (211, 211, 211),
         "lightgrey": (211, 211, 211), "gainsboro": (220, 220, 220), "whitesmoke": (245, 245, 245)}
GENERIC_FAMILIES = frozenset({"serif", "sans-serif", "monospace", "cursive", "fantasy", "system-ui", "inherit",
                              "initial", "unset", "-apple-system", "blinkmacsystemfont"})
BASE_PX = 16.0  # the size em and rem are relative to when nothing sets one


@dataclass(frozen=True)
class HouseStyle:
    fonts: tuple[str, ...] = ()  # allowed families (lower case); empty: any, but one per article
    body_min_px: float = 14.0
    body_max_px: float = 18.0
    heading_min_px: float = 16.0
    heading_max_px: float = 24.0
    colors: tuple[tuple[int, int, int], ...] = ()  # allowed text colours; empty: any readable one
    min_contrast: float = 3.0  # against the background (white unless set)
    min_line_height: float = 1.5
    alignments: tuple[str, ...] = ("left", "justify", "center", "start")
    max_families: int = 1
    image_text_min_chars: int = 40  # an article with images and fewer characters of text than this


def _float(section: dict, key: str, default: float) -> float:
    v = section.get(key, default)
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise ConfigError(f"[format] {key} = {v!r}: a number is needed")
    return float(v)


def _strings(section: dict, key: str, default: tuple[str, ...]) -> tuple[str, ...]:
    v = section.get(key, list(default))
    if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
        raise ConfigError(f"[format] {key} must be a list of strings")
    return tuple(x.strip() for x in v if x.strip())


def from_config(section: dict) -> HouseStyle:
    colors = []
    for c in _strings(section, "colors", ()):
        rgb = color(c)
        if rgb is None:
            raise ConfigError(f"[format] colors: {c!r} is not a colour (#333, #333333, rgb(51,51,51) or a name)")
        colors.append(rgb)
    d = HouseStyle()
    return HouseStyle(
        fonts=tuple(f.lower() for f in _strings(section, "fonts", ())),
        body_min_px=_float(section, "body_min_px", d.body_min_px), body_max_px=_float(section, "body_max_px", d.body_max_px),
        heading_min_px=_float(section, "heading_min_px", d.heading_min_px),
        heading_max_px=_float(section, "heading_max_px", d.heading_max_px), colors=tuple(colors),
        min_contrast=_float(section, "min_contrast", d.min_contrast),
        min_line_height=_float(section, "min_line_height", d.min_line_height),
        alignments=tuple(a.lower() for a in _strings(section, "alignments", d.alignments)),
        max_families=int(_float(section, "max_families", d.max_families)),
        image_text_min_chars=int(_float(section, "image_text_min_chars", d.image_text_min_chars)))


def px(value: str, parent_px: float = BASE_PX) -> float | None:
    """A CSS length in px (pt x 4/3, em and % of the parent's size, rem of 16 px), or None."""
    m = _LENGTH.match(value or "")
    if not m:
        return None
    n, unit = float(m.group(1)), (m.group(2) or "px").lower()
    return {"px": n, "pt": n * 4 / 3, "em": n * parent_px, "rem": n * BASE_PX, "%": n * parent_px / 100}[unit]


def line_height(value: str, font_px: float) -> float | None:
    """A line height as a multiple of the font size (1.5, 150%, 24px at 16px = 1.5); normal = 1.2."""
    v = (value or "").strip().lower()
    if v == "normal":
        return 1.2
    m = _LENGTH.match(v)
    if not m:
        return None
    n, unit = float(m.group(1)), (m.group(2) or "").lower()
    if not unit or unit == "em":
        return n
    if unit == "%":
        return n / 100
    size = px(v, font_px)
    return size / font_px if size and font_px else None


def families(value: str) -> tuple[str, ...]:
    """The named families of a font-family list, generic fallbacks left out, in lower case."""
    out = []
    for f in (value or "").split(","):
        f = f.strip().strip("'\"").strip().lower()
        if f and f not in GENERIC_FAMILIES:
            out.append(f)
    return tuple(out)


def color(value: str) -> tuple[int, int, int] | None:
    v = (value or "").strip().lower()
    m = _HEX.match(v)
    if m:
        h = m.group(1)
        if len(h) == 3:
            h = "".join(c * 2 for c in h)
        return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)
    m = _RGB.match(v)
    if m:
        return tuple(min(255, int(float(m.group(i)))) for i in (1, 2, 3))  # type: ignore[return-value]
    return NAMED.get(v)


def contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    """WCAG 2 contrast ratio of two colours (1 to 21)."""
    def lum(c):
        ch = [x / 255 for x in c]
        ch = [x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4 for x in ch]
        return 0.2126 * ch[0] + 0.7152 * ch[1] + 0.0722 * ch[2]
    la, lb = sorted((lum(a), lum(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)
