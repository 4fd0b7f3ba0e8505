"""POST /v1/check/upload: a draft with its images, as multipart/form-data.

Fields: ``draft`` (the JSON of a ``POST /v1/check`` request, as a text field or a JSON file part) and
any number of image files (any field name, e.g. ``images``), each named by its file name. The draft
refers to an image by that name (``![](photo.jpg)``, ``<img src="img/photo.jpg">``, or a media item
``{"url": "photo.jpg"}``); an image it does not mention is checked as an extra item of the API
``media`` list. The type of each file is read from its content, never from its name or the
declared content type; sizes and pixel counts are limited by precheck.toml ``[media]``.
"""

from __future__ import annotations

import json
import posixpath

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import ValidationError
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import pipeline
from ..config import ConfigError, load_config
from ..document import parse
from ..media import sources
from ..media.image import ImageRefused, Limits, check_header
from ..models import Draft, MediaItem, Report
from ..settings import Settings
from . import records
from .auth import Principal, require
from .check import enforce_limit, holder

PATH = "/v1/check/upload"
router = APIRouter()


def _limits_from_config(settings: Settings) -> Limits:
    try:
        return Limits.from_options(load_config(settings.config).section("media"))
    except ConfigError:
        return Limits()


def request_limit(settings: Settings) -> int:
    """Bytes an upload request may have: every image at its limit, plus the draft and the multipart framing."""
    limits = _limits_from_config(settings)
    return limits.max_images * (limits.max_bytes + 4096) + settings.max_chars * 12 + 65536


def _draft_from(value: str | bytes) -> Draft:
    try:
        data = json.loads(value)
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise HTTPException(422, detail=f"field 'draft' is not valid JSON: {e}") from None
    if not isinstance(data, dict):
        raise HTTPException(422, detail="field 'draft' must be a JSON object such as {\"body\": \"…\"}")
    try:
        return Draft(**data)
    except ValidationError as e:
        errors = [{"loc": ["draft", *map(str, err.get("loc", ()))], "msg": str(err.get("msg", ""))[:300],
                   "type": err.get("type", "value_error")} for err in e.errors()]
        raise HTTPException(422, detail=errors) from None


def _file_name(upload: UploadFile, index: int) -> str:
    # The name a draft refers to: the file name alone, never a path the client chose.
    name = posixpath.basename((upload.filename or "").replace("\\", "/")).strip()
    return name or f"image-{index + 1}"


@router.post(PATH, response_model=Report, tags=["check"],
             responses={413: {"description": "an image or the request is over a [media] limit, or the draft "
                                             "is longer than PRECHECK_MAX_CHARS"},
                        422: {"description": "no draft, malformed draft, or a file that is not an image"}},
             openapi_extra={"requestBody": {"content": {"multipart/form-data": {"schema": {
                 "type": "object", "required": ["draft"],
                 "properties": {"draft": {"type": "string", "description": "the JSON of a /v1/check request"},
                                "images": {"type": "array", "items": {"type": "string", "format": "binary"}}}}}},
                 "required": True}})
async def check_upload(request: Request, response: Response,
                       who: Principal = Depends(require("author"))) -> Report:
    """Check a draft together with its images: credit in EXIF/XMP, QR codes, clarity, size."""
    res = holder(request).current
    limits = Limits.from_options(res.config.section("media"))
    content_type = request.headers.get("content-type", "").lower()
    # A draft without images may come url-encoded (what most clients send when there is no file).
    if not content_type.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
        raise HTTPException(422, detail="send multipart/form-data with a 'draft' field (JSON) and image files")
    try:
        form = await request.form(max_files=limits.max_images + 1, max_fields=50,
                                  max_part_size=res.settings.max_chars * 12 + 65536)
    except StarletteHTTPException as e:  # python-multipart's refusals arrive as 400s
        if "Too many files" in str(e.detail):
            raise HTTPException(413, detail=f"more than {limits.max_images} files; the limit is "
                                            f"{limits.max_images} ([media] max_images)") from None
        raise HTTPException(422, detail=f"malformed multipart body: {e.detail}") from None
    try:
        raw = form.get("draft")
        if raw is None:
            raise HTTPException(422, detail="field 'draft' is missing: it carries the JSON of a /v1/check request")
        draft = _draft_from(await raw.read() if isinstance(raw, UploadFile) else raw)
        enforce_limit(draft, res.settings.max_chars)
        attachments: dict[str, bytes] = {}
        files = [v for k, v in form.multi_items() if isinstance(v, UploadFile) and k != "draft"]
        if len(files) > limits.max_images:
            raise HTTPException(413, detail=f"{len(files)} files; the limit is {limits.max_images} "
                                            "([media] max_images)")
        for i, upload in enumerate(files):
            name = _file_name(upload, i)
            if name in attachments:
                raise HTTPException(422, detail=f"two files are named {name!r}; a draft refers to images by name")
            data = await upload.read(limits.max_bytes + 1)
            try:
                check_header(data, limits, name)
            except ImageRefused as e:
                raise HTTPException(e.status, detail=e.message) from None
            attachments[name] = data
    finally:
        await form.close()
    draft = _with_unreferenced(draft, attachments)

    def work() -> Report:
        report = pipeline.run(draft, res, probe_links=draft.probe_links, attachments=attachments)
        response.headers[records.RECORD_HEADER] = records.record_check(request, draft, report, who)
        return report

    return await run_in_threadpool(work)


def _with_unreferenced(draft: Draft, attachments: dict[str, bytes]) -> Draft:
    """The draft with every uploaded image it does not mention added to its media list."""
    if not attachments:
        return draft
    doc = parse(draft, attachments)
    used = {hit[0] for m in doc.media if (hit := sources.attached(doc, m)) is not None}
    extra = [MediaItem(url=name, type="image") for name in attachments if name not in used]
    return draft.model_copy(update={"media": [*draft.media, *extra]}) if extra else draft
