"""Text columns that give back exactly the string they were given, on both databases.

PostgreSQL's text types cannot hold NUL (SQLite's can). A value with a NUL is stored escaped behind a
marker (U+FDD0, a noncharacter no text uses): backslash and NUL become ``\\\\`` and ``\\0``. A value
that happens to begin with the marker is escaped too, so decoding is exact; every other value is
stored as it is, so rows written before this encoding read back unchanged.
"""

from __future__ import annotations

import re

from sqlalchemy import String, Text
from sqlalchemy.types import TypeDecorator

MARK = "\ufdd0"
_ESCAPED = re.compile(r"\\(.)", re.S)


def encode(value: str) -> str:
    if "\x00" in value or value.startswith(MARK):
        return MARK + value.replace("\\", "\\\\").replace("\x00", "\\0")
    return value


def decode(value: str) -> str:
    if not value.startswith(MARK):
        return value
    return _ESCAPED.sub(lambda m: "\x00" if m.group(1) == "0" else m.group(1), value[1:])


class _NulSafe(TypeDecorator):
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return encode(value) if value is not None and dialect.name == "postgresql" else value

    def process_result_value(self, value, dialect):
        return decode(value) if value is not None and dialect.name == "postgresql" else value


class SafeString(_NulSafe):
    impl = String
    cache_ok = True


class SafeText(_NulSafe):
    impl = Text
    cache_ok = True
