"""三(四)4: each link must be followed, in the same sentence, by a note of its content and purpose.

"https://…（年假申请页面，用于在线提交申请）" passes; a bare link, or a link whose anchor text says
nothing ("点这里", "链接", "here"), with no such note after it does not. A descriptive anchor
("[年假申请页面](https://…)") is itself the note of what the link is.
"""

from __future__ import annotations

import re
from typing import Iterable

from ..document import BARE_URL, Link
from ..text import HAN_CLASS

_LEAD = re.compile(r"^[\s\u3000，,：:;；—–\-~～>→]*")
_OPEN_CLOSE = {"（": "）", "(": ")", "【": "】", "[": "]", "〔": "〕"}
_CJK = re.compile(HAN_CLASS)
_WORD = re.compile(r"[A-Za-z]{2,}")
_PUNCT = re.compile(r"[\s\u3000\W_]+")

EXAMPLE = "https://…（年假申请页面，用于在线提交申请）"


def _key(text: str) -> str:
    return _PUNCT.sub("", text).lower()


class Describer:
    """Judges whether a link carries the note 三(四)4 asks for. ``generic``: vague anchors/notes."""

    def __init__(self, generic: Iterable[str]):
        phrases = sorted({_key(g) for g in generic if _key(g)}, key=len, reverse=True)
        self.generic = frozenset(phrases)
        self._generic_re = re.compile("|".join(map(re.escape, phrases)), re.I) if phrases else None

    def is_generic(self, anchor: str) -> bool:
        k = _key(anchor)
        return not k or k in self.generic

    def _weight(self, text: str) -> int:
        """How much a note says: CJK characters plus two per Latin word, generic phrases removed."""
        text = BARE_URL.sub(" ", text)
        if self._generic_re is not None:
            text = self._generic_re.sub(" ", _PUNCT.sub(" ", text))
        return len(_CJK.findall(text)) + 2 * len(_WORD.findall(text))

    def has_note(self, after: str) -> bool:
        rest = after[_LEAD.match(after).end():]
        if not rest:
            return False
        close = _OPEN_CLOSE.get(rest[0])
        if close:
            end = rest.find(close)
            inside = rest[1:end] if end >= 0 else rest[1:]
            return self._weight(inside) >= 2
        return self._weight(rest) >= 4

    def problem(self, link: Link) -> str | None:
        """The message for the author, or None when the link is described."""
        anchor = link.anchor.strip()
        shows_url = link.kind == "bare" or not anchor or anchor.rstrip("/") == link.url.rstrip("/") \
            or BARE_URL.fullmatch(anchor) is not None
        if not shows_url and not self.is_generic(anchor):
            return None
        if self.has_note(link.after):
            return None
        if shows_url:
            return "链接后缺少说明：请紧接链接注明其主要内容和用途，例如“" + EXAMPLE + "”"
        return (f"链接文字“{anchor}”没有说明链接内容：请把链接文字改为内容名称，或在链接后注明主要内容和用途，"
                f"例如“[年假申请页面](https://…)（用于在线提交申请）”")
