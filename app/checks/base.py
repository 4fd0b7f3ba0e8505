"""What a check returns: hits in plain-text coordinates, turned into findings by the pipeline."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Protocol

from ..models import Severity

if TYPE_CHECKING:
    from ..config import Config
    from ..document import Document
    from ..edits import Edit
    from ..settings import Settings


@dataclass(frozen=True, slots=True)
class Hit:
    rule: str
    field: str  # "body" | "title" | "media[i]"
    start: int  # plain-text span in the field (ignored for media[i])
    end: int
    message: str
    suggestions: tuple[str, ...] = ()
    severity: Severity | None = None  # None: the rule's configured severity
    category: str | None = None
    confidence: float | None = None
    clause: str | None = None  # None: the rule's clause
    source_span: tuple[int, int] | None = None  # when the check located the span in the source itself
    edits: tuple["Edit", ...] = ()  # source edits the check made itself, one per suggestion


@dataclass(frozen=True, slots=True)
class RunOptions:
    probe_links: bool = False


@dataclass(frozen=True, slots=True)
class LoadContext:
    settings: "Settings"
    config: "Config"
    lexicon_dirs: tuple  # bundled first, then PRECHECK_LEXICON_DIRS, then the company overlay

    def options(self, check: str) -> dict:
        return self.config.section(check)


class Check(Protocol):
    """A loaded check: built once per Resources, then shared read-only by all requests."""

    name: str
    engine: str
    status: str  # "ok" or "degraded" (an engine is missing; ``detail`` says which)
    detail: str | None

    def run(self, doc: "Document", opts: RunOptions) -> Iterable[Hit]: ...


class SimpleCheck:
    """Base for checks whose data is small: engine name fixed, always ok."""

    name = ""
    engine = "rules"
    status = "ok"
    detail: str | None = None

    def __init__(self, ctx: LoadContext):
        self.ctx = ctx

