"""The values that flow through precheck: Draft in, Report out (see DESIGN.md, "Contract")."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictBool, StrictStr, StringConstraints, field_validator

from .edits import Edit

Severity = Literal["block", "error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("block", "error", "warning", "info")
SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2, "block": 3}
Format = Literal["text", "markdown", "html"]


def __getattr__(name: str):
    # CHECK_NAMES comes from the catalogue, which imports the checks, which import this module: it is
    # looked up when first asked for, not at import.
    if name == "CHECK_NAMES":
        from .catalog import check_names
        return check_names()
    raise AttributeError(name)


def _check_names_schema(schema: dict) -> None:
    # The names are the catalogue's, known only once it is imported: asked when the schema is built.
    from .catalog import check_names
    schema["items"] = {"type": "string", "enum": list(check_names())}


def _no_lone_surrogates(value: str | None) -> str | None:
    # A lone surrogate cannot be encoded as UTF-8, so it would break every renderer downstream.
    if value is not None:
        for i, ch in enumerate(value):
            if "\ud800" <= ch <= "\udfff":
                raise ValueError(f"lone surrogate U+{ord(ch):04X} at position {i}: the text is not valid Unicode")
    return value


# Every string a client sends: valid Unicode, so it can be rendered, stored and spooled.
Text = Annotated[StrictStr, AfterValidator(_no_lone_surrogates)]
# The audit store keeps author ids and departments in columns of this many characters.
STORED_NAME_CHARS = 200


class Author(BaseModel):
    id: Text | None = Field(None, max_length=STORED_NAME_CHARS)
    name: Text | None = None
    type: Literal["employee", "external"] = "employee"
    department: Text | None = Field(None, max_length=STORED_NAME_CHARS)


class MediaItem(BaseModel):
    url: Text | None = None
    type: Literal["image", "video", "audio"] = "image"
    caption: Text | None = None
    credit: Text | None = None


class Draft(BaseModel):
    """A draft as submitted. Only ``body`` is required."""

    body: Text
    title: Text | None = None
    format: Format = "text"
    author: Author = Field(default_factory=Author)
    media: list[MediaItem] = Field(default_factory=list)
    checks: list[Text] | None = Field(None, description="check names to run; default: all enabled",
                                      json_schema_extra=lambda schema: _check_names_schema(schema))
    probe_links: StrictBool | None = Field(None, description="fetch links; default: the server setting")
    channel: Literal["internal", "external", "marketing"] = Field(
        "internal", description="where the post goes; advertising-law rules are stricter outside")
    ignore_words: list[Annotated[Text, StringConstraints(min_length=1, max_length=64)]] | None = Field(
        None, max_length=1000, description="words this request accepts (product and code names), like "
        "LanguageTool's dictionary: never reported by the typo and style checks")

    @field_validator("checks")
    @classmethod
    def _known_checks(cls, v: list[str] | None) -> list[str] | None:
        if v is not None:
            from .catalog import check_names
            unknown = sorted(set(v) - set(check_names()))
            if unknown:
                raise ValueError(f"unknown check(s) {unknown}; known: {list(check_names())}")
        return v


class Finding(BaseModel):
    """One problem, located in the field as submitted. Immutable."""

    model_config = ConfigDict(frozen=True)

    check: str
    rule: str
    severity: Severity
    message: str
    field: str = "body"
    offset: int = 0
    length: int = 0
    line: int = 1
    column: int = 1
    text: str = ""
    suggestions: tuple[str, ...] = Field((), description="replacements of offset/length (LanguageTool's reading)")
    edits: tuple[Edit, ...] = Field((), description="edits[i] applies suggestions[i] as an edit of the source: "
                                    "replace length code points at offset by text; length 0 inserts")
    clause: str | None = None
    category: str | None = None
    confidence: float | None = None


class Approver(BaseModel):
    model_config = ConfigDict(frozen=True)
    role: str
    title: str


class Reason(BaseModel):
    model_config = ConfigDict(frozen=True)
    code: str
    message: str
    clause: str
    field: str | None = None
    offset: int | None = None
    length: int | None = None
    text: str | None = None


class Tier(BaseModel):
    level: Literal["department", "external", "leadership"]
    approvers: list[Approver]
    reasons: list[Reason] = Field(default_factory=list)
    content_category: str | None = Field(
        None, description="clause 三(二): work_update | business_knowledge | corporate_culture | other")


class CheckStatus(BaseModel):
    name: str
    status: Literal["ok", "skipped", "degraded", "failed"]
    engine: str | None = None
    elapsed_ms: float = 0.0
    detail: str | None = None


class Summary(BaseModel):
    block: int = 0
    error: int = 0
    warning: int = 0
    info: int = 0
    suppressed: int = Field(0, description="findings silenced by inline comments (not in the counts above)")


class Report(BaseModel):
    id: str
    created_at: str
    verdict: Literal["pass", "revise", "block"]
    tier: Tier
    findings: list[Finding]
    summary: Summary
    checks: list[CheckStatus]
    elapsed_ms: float
    suppressed: list[Finding] = Field(default_factory=list, description="the findings inline comments silenced")


def summary_of(findings: list[Finding], suppressed: int = 0) -> Summary:
    return Summary(suppressed=suppressed, **{s: sum(1 for f in findings if f.severity == s) for s in SEVERITIES})


def verdict_of(findings: list[Finding]) -> Literal["pass", "revise", "block"]:
    severities = {f.severity for f in findings}
    return "block" if "block" in severities else "revise" if "error" in severities else "pass"
