"""How much text an answer quotes around or from a finding, so its size stays linear in the input.

A finding's ``offset``/``length`` always cover its whole span; its ``text`` quotes at most
``QUOTE_CHARS`` characters of it (a longer span ends in "…"). LanguageTool's ``context`` and
``sentence`` are windows of ``WINDOW_CHARS`` characters on each side of the match, not the whole
sentence, and an answer carries at most ``MAX_MATCHES`` matches.
"""

from __future__ import annotations

QUOTE_CHARS = 200
WINDOW_CHARS = 40
MAX_MATCHES = 1000
ELLIPSIS = "…"


def quote(text: str, limit: int = QUOTE_CHARS) -> str:
    return text if len(text) <= limit else text[:limit - 1] + ELLIPSIS
