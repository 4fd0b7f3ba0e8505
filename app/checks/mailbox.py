"""Is an e-mail address a role or department mailbox, or a person's?

A role mailbox (hr@, service@, gonghui@, jubao@) is published on purpose: a notice gives it for
people to write to. A person's address is personal data (四(一)1). The words are data:
``privacy/role_mailboxes.txt`` (role words, and whole role addresses with "@") and
``privacy/company_domains.txt`` (the company's own domains, where a person's address is a work mailbox).
"""

from __future__ import annotations

import re
from typing import Iterable

from .. import lexicon

_PIECES = re.compile(r"[._+\-0-9]+")
# A role word this long may be glued to another word (kefuzhongxin, itservice); a shorter one must
# stand alone (it, pr, ir), or it would be found inside people's names.
GLUED_MIN = 4


class Mailboxes:
    def __init__(self, roles: Iterable[str], domains: Iterable[str]):
        roles = [r.strip().lower() for r in roles if r.strip()]
        self.addresses = frozenset(r for r in roles if "@" in r)
        self.words = frozenset(r for r in roles if "@" not in r)
        self.glued = tuple(sorted((w for w in self.words if len(w) >= GLUED_MIN and w.isalpha()), key=len, reverse=True))
        self.domains = tuple(d.strip().lower().lstrip("@.") for d in domains if d.strip())

    def is_role(self, address: str) -> bool:
        address = address.lower()
        if address in self.addresses:
            return True
        local = address.split("@", 1)[0]
        pieces = [p for p in _PIECES.split(local) if p]
        if any(p in self.words for p in pieces):
            return True
        return any(p.startswith(self.glued) or p.endswith(self.glued) for p in pieces)

    def is_company(self, address: str) -> bool:
        domain = address.lower().rsplit("@", 1)[-1]
        return any(domain == d or domain.endswith("." + d) for d in self.domains)


def load(dirs) -> Mailboxes:
    return Mailboxes(lexicon.read_lines(dirs, "privacy/role_mailboxes.txt"),
                     lexicon.read_lines(dirs, "privacy/company_domains.txt"))
