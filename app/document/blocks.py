"""HTML drafts that precheck writes itself (a Word document, a rich paste) are laid out one block a
line: the source stays readable in the form's editor, and a finding's line is its paragraph."""

from __future__ import annotations

import re

_BLOCK_END = re.compile(r"(</(?:p|h[1-6]|li|ul|ol|table|tr|blockquote|figure|section|div|pre)>|<hr\s*/?>)"
                        r"[ \t\r\n]*(?=<)")


def one_block_a_line(html: str) -> str:
    body = _BLOCK_END.sub(lambda m: m.group(1) + "\n", html.strip())
    return body + "\n" if body else ""
