"""Character classes and span helpers shared by the document, the checks and the renderers."""

from __future__ import annotations

import bisect

# Han ideographs: extension A, the unified block (URO), the compatibility ideographs and the
# supplementary planes (extensions B and later).
HAN_EXT_A = "\u3400-\u4dbf"
HAN_URO = "\u4e00-\u9fff"
HAN_COMPAT = "\uf900-\ufaff"
HAN = HAN_EXT_A + HAN_URO + HAN_COMPAT + "\U00020000-\U0003134f"
HAN_CLASS = f"[{HAN}]"


def is_han(ch: str) -> bool:
    o = ord(ch)
    return (0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF
            or 0x20000 <= o <= 0x3134F)


def is_uro(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def is_bmp_han_run(s: str) -> bool:
    """Whether every character of a non-empty ``s`` lies in extension A to the end of the unified block.

    Two comparisons instead of one per character: lexicons ask it of every term when they load."""
    return "\u3400" <= min(s) and max(s) <= "\u9fff"


def overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)


def overlaps_sorted(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether ``[start, end)`` overlaps one of ``spans``, which are in text order and disjoint.

    Their ends rise too, so only the last span that starts before ``end`` can reach past ``start``:
    checks ask this once per bracket or match, and a scan of every span would make them quadratic."""
    k = bisect.bisect_left(spans, end, key=lambda span: span[0])
    return k > 0 and spans[k - 1][1] > start
