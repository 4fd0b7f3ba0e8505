"""What a check returns: hits in plain-text coordinates, turned into findings by the pipeline."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable, Protocol

from pydantic import BaseModel, ConfigDict
from pydantic import Field as option  # noqa: F401  (for the checks' Options)

from ..models import Severity

if TYPE_CHECKING:
    from ..catalog import Catalog
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


@dataclass(frozen=True, eq=False)
class RunContext:
    """One request's run: its options, and what its checks share. The typo and grammar checks cut the
    same clauses into words; the first to cut a clause leaves the cut here for the other."""

    probe_links: bool = False
    _segmentations: dict = field(default_factory=dict, repr=False)
    _full: set = field(default_factory=set, repr=False)  # (rule, field) pairs at their cap

    def segmentation(self, field_name: str, segmenter) -> dict:
        """The memo of ``segmenter``'s cuts in one field's text (clause -> words), filled as it cuts."""
        return self._segmentations.setdefault((field_name, segmenter), {})

    def full(self, rule: str, field_name: str) -> bool:
        """Whether the pipeline takes no more findings of ``rule`` in this field (its cap is reached):
        a check that can produce thousands of one rule (a hostile draft) stops looking for them."""
        return (rule, field_name) in self._full

    def mark_full(self, rule: str, field_name: str) -> None:
        self._full.add((rule, field_name))


RunOptions = RunContext  # the name the checks' ``run(doc, opts)`` signatures were written with


@dataclass(frozen=True, slots=True)
class LoadContext:
    settings: "Settings"
    config: "Config"
    lexicon_dirs: tuple  # bundled first, then PRECHECK_LEXICON_DIRS, then the company overlay
    catalog: "Catalog | None" = None  # set once the rules are known; checks resolve through it

    def options(self, check: str) -> dict:
        """A check's section of precheck.toml: validated, defaults filled, when the check declares Options."""
        typed = self.typed(check)
        return typed.model_dump() if typed is not None else self.config.section(check)

    def typed(self, check: str) -> "CheckOptions | None":
        return self.catalog.options.get(check) if self.catalog is not None else None


class CheckOptions(BaseModel):
    """A check's section of precheck.toml, typed: an unknown key or a wrong value is refused at load,
    and each default is written once, here (the bundled precheck.toml names every key)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


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

