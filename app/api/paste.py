"""POST /v1/paste: what an author pasted from the WeChat editor, 135editor, 秀米 or Word, made safe.

The check form reads ``text/html`` from the clipboard and sends it here; the answer is the same
article as clean HTML (nh3, the Ammonia sanitiser): headings, paragraphs, lists, tables, links,
images with ``src`` or WeChat's ``data-src``, figures and captions; no scripts, styles, classes or
event handlers, no Word ``mso`` markup. It is laid out one block a line and checked as HTML.
"""

from __future__ import annotations

import nh3
from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel

from ..document.blocks import one_block_a_line
from ..models import Text
from .auth import Principal, require
from .deps import ResourcesDep

PATH = "/v1/paste"
router = APIRouter()

TAGS = {"h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "a", "img", "figure", "figcaption", "section",
        "blockquote", "ul", "ol", "li", "table", "thead", "tbody", "tr", "th", "td", "strong", "b", "em", "i",
        "u", "s", "sub", "sup", "code", "pre", "video", "source"}
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "data-src", "alt", "title"},
              "video": {"src", "poster"}, "source": {"src", "type"}}
SCHEMES = {"http", "https", "mailto", "tel", "data"}
MARKUP_FACTOR = 20  # an editor's HTML weighs this many times its text, and more


class Pasted(BaseModel):
    html: Text


class Cleaned(BaseModel):
    body: str
    format: str = "html"


def clean(html: str) -> str:
    """Pasted HTML as a draft body: only the structure a WeChat article has, one block a line."""
    safe = nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, url_schemes=SCHEMES, link_rel=None,
                     clean_content_tags={"script", "style", "template", "noscript", "title", "head", "xml"},
                     strip_comments=True)
    return one_block_a_line(safe)


@router.post(PATH, response_model=Cleaned, tags=["check"],
             responses={413: {"description": "longer than PRECHECK_MAX_CHARS × 20"},
                        422: {"description": "no html"}})
def paste(body: Pasted, res: ResourcesDep, who: Principal = Depends(require("author"))) -> Cleaned:
    """Sanitise HTML pasted from an editor into a draft body (format html)."""
    limit = res.settings.max_chars * MARKUP_FACTOR
    if len(body.html) > limit:
        raise HTTPException(413, detail=f"pasted HTML has {len(body.html)} characters; the limit is {limit}")
    return Cleaned(body=clean(body.html))
