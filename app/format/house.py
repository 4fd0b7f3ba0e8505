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
    """``[format]`` of precheck.toml with its colours parsed (the defaults live in the check's Options)."""

    fonts: tuple[str, ...]  # allowed families (lower case); empty: any, but ``max_families`` per article
    body_min_px: float
    body_max_px: float
    heading_min_px: float
    heading_max_px: float
    colors: tuple[tuple[int, int, int], ...]  # allowed text colours; empty: any readable one
    min_contrast: float  # against the background (white unless set)
    min_line_height: float
    alignments: tuple[str, ...]
    max_families: int
    image_text_min_chars: int  # an article with images and fewer characters of text than this


def from_options(o) -> HouseStyle:
    """The house style of the format check's validated ``Options``."""
    colors = []
    for c in o.colors:
        rgb = color(c)
        if rgb is None:
            raise ConfigError(f"[format] colors: {c!r} is not a colour (#333, #333333, rgb(51,51,51) or a name)")
        colors.append(rgb)
    return HouseStyle(
        fonts=tuple(f.strip().lower() for f in o.fonts if f.strip()), body_min_px=o.body_min_px,
        body_max_px=o.body_max_px, heading_min_px=o.heading_min_px, heading_max_px=o.heading_max_px,
        colors=tuple(colors), min_contrast=o.min_contrast, min_line_height=o.min_line_height,
        alignments=tuple(a.strip().lower() for a in o.alignments), max_families=o.max_families,
        image_text_min_chars=o.image_text_min_chars)


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
