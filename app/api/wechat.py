"""POST /v1/check/wechat: the body of the WeChat Official Account draft API (草稿箱 draft/add), as is.

Editors' tools already build ``{"articles": [{"title", "author", "digest", "content",
"content_source_url", "thumb_media_id", …}]}`` for WeChat; they can send the same JSON here before
they send it there. Each article is checked as a draft: ``content`` as HTML (images in ``data-src``)
with its ``title``; ``digest`` (the summary shown in the chat list) by the text checks, its findings
in field ``digest``; ``content_source_url`` (阅读原文) by the link rules, in field
``content_source_url``. The answer is one report per article, and the overall verdict and tier: the
worst of the articles. Fields WeChat has and precheck does not read (``thumb_media_id``,
``need_open_comment`` …) are accepted and ignored.
"""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictStr, field_validator

from .. import pipeline, tiers
from ..document import parse
from ..models import SEVERITIES, Author, Draft, Finding, Report, Summary, Tier, _no_lone_surrogates, verdict_of
from ..resources import Resources
from . import records
from .auth import Principal, require
from .deps import ResourcesDep
from .probing import probe_links_for

PATH = "/v1/check/wechat"
router = APIRouter()

_TEXT_CHECKS = ("typo", "grammar", "style", "sensitive", "privacy", "placeholder", "claims")
_LEVEL = {"department": 0, "external": 1, "leadership": 2}
_VERDICT = {"pass": 0, "revise": 1, "block": 2}


class WechatArticle(BaseModel):
    """One article of the draft API (news type); WeChat's other fields pass through unread."""

    model_config = ConfigDict(extra="allow")

    title: StrictStr = ""
    author: StrictStr | None = None
    digest: StrictStr | None = None
    content: StrictStr = Field(..., description="the article HTML; images may carry their address in data-src")
    content_source_url: StrictStr | None = Field(None, description="阅读原文 link")
    thumb_media_id: StrictStr | None = None

    _check_text = field_validator("title", "author", "digest", "content", "content_source_url")(
        lambda v: _no_lone_surrogates(v))


class WechatDraft(BaseModel):
    model_config = ConfigDict(extra="allow")

    articles: list[WechatArticle] = Field(..., min_length=1, max_length=8)
    author_type: Literal["employee", "external"] = Field(
        "employee", description="not part of WeChat's body: whether the authors are external personnel")
    channel: Literal["internal", "external", "marketing"] = "external"
    probe_links: StrictBool | None = None


class ArticleReport(BaseModel):
    index: int
    title: str
    report: Report


class WechatReport(BaseModel):
    verdict: Literal["pass", "revise", "block"]
    tier: Tier
    summary: Summary
    articles: list[ArticleReport]


def _relabel(findings: list[Finding], field: str, drop: tuple[str, ...] = ()) -> list[Finding]:
    return [f.model_copy(update={"field": field}) for f in findings if f.field == "body" and f.rule not in drop]


def check_article(article: WechatArticle, body: WechatDraft, res: Resources,
                  probe: bool | None) -> tuple[Draft, Report]:
    """The article's report: content and title checked together, digest and source URL beside them."""
    author = Author(name=article.author, type=body.author_type)
    draft = Draft(body=article.content, title=article.title or None, format="html", author=author,
                  channel=body.channel, probe_links=probe)
    report = pipeline.run(draft, res, probe_links=probe)
    extra: list[Finding] = []
    if article.digest and article.digest.strip():
        digest = Draft(body=article.digest, author=author, channel=body.channel, checks=list(_TEXT_CHECKS))
        extra += _relabel(pipeline.run(digest, res).findings, "digest")
    if article.content_source_url and article.content_source_url.strip():
        url = Draft(body=article.content_source_url.strip(), checks=["link"])
        # The URL stands alone in its field: there is no sentence after it to describe it.
        extra += _relabel(pipeline.run(url, res, probe_links=probe).findings, "content_source_url",
                          drop=("link.description",))
    if not extra:
        return draft, report
    findings = [*report.findings, *extra]
    summary = Summary(**{s: sum(1 for f in findings if f.severity == s) for s in SEVERITIES})
    # A block or confidential finding in the digest or the source URL escalates the tier as in the body.
    tier = tiers.classify(parse(draft), findings, res.tier_rules)
    return draft, report.model_copy(update={"findings": findings, "summary": summary, "tier": tier,
                                            "verdict": verdict_of(findings)})


@router.post(PATH, response_model=WechatReport, tags=["check"],
             responses={413: {"description": "an article longer than PRECHECK_MAX_CHARS"},
                        422: {"description": "not a draft API body (no articles, an article without content)"}})
async def check_wechat(body: WechatDraft, request: Request, response: Response, res: ResourcesDep,
                       who: Principal = Depends(require("author"))) -> WechatReport:
    """Check the body of WeChat's draft API as is: one report per article, the overall verdict and tier."""
    for i, article in enumerate(body.articles):
        size = len(article.content) + len(article.title)
        if size > res.settings.max_chars:
            raise HTTPException(413, detail=f"article {i} has {size} characters; the limit is "
                                            f"{res.settings.max_chars} (PRECHECK_MAX_CHARS)")
    probe = probe_links_for(body.probe_links, who, res.settings)

    def work() -> WechatReport:
        out, states = [], []
        for i, article in enumerate(body.articles):
            draft, report = check_article(article, body, res, probe)
            states.append(records.record_check(request, draft, report, who))
            out.append(ArticleReport(index=i, title=article.title, report=report))
        worst = max(out, key=lambda a: _LEVEL[a.report.tier.level]).report.tier
        summary = Summary(**{s: sum(getattr(a.report.summary, s) for a in out) for s in SEVERITIES})
        verdict = max((a.report.verdict for a in out), key=_VERDICT.__getitem__)
        response.headers[records.RECORD_HEADER] = ", ".join(dict.fromkeys(states))
        return WechatReport(verdict=verdict, tier=worst, summary=summary, articles=out)

    return await run_in_threadpool(work)
