"""Over-posting (三(一)4 适度性原则, 四(二)3 避免频繁刷屏), judged when a publication is recorded.

Two warnings, from what the ledger already holds: a channel that goes over ``max_posts_per_day``
publications in one local day, and a draft that repeats one published on the same channel in the
last ``duplicate_days`` days. Repetition is measured on the stored texts as the resemblance
(Jaccard) of their character shingles, so a re-sent post with a changed date or a typo fixed is
still the same post. Warnings do not make a publication non-compliant: they tell the editor.
Settings: ``[publishing]`` of precheck.toml.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .schema import CheckRecord, Publication

DAILY = "三(一)4"
REPEAT = "四(二)3"
_NOISE = re.compile(r"[\s\W_]+")


@dataclass(frozen=True)
class PostingRules:
    max_posts_per_day: int = 3  # 0: no limit
    day_starts_utc_offset_hours: float = 8.0  # the company's day (China Standard Time)
    duplicate_days: int = 30  # 0: no repetition check
    duplicate_threshold: float = 0.7
    shingle: int = 4


def from_config(section: dict) -> PostingRules:
    d = PostingRules()
    kw = {}
    for name, kind in (("max_posts_per_day", int), ("day_starts_utc_offset_hours", float),
                       ("duplicate_days", int), ("duplicate_threshold", float), ("shingle", int)):
        if name in section:
            v = section[name]
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                raise ValueError(f"[publishing] {name} = {v!r}: a number is needed")
            kw[name] = kind(v)
    return PostingRules(**{**d.__dict__, **kw})


def shingles(text: str, k: int = 4) -> frozenset[int]:
    """The k-character shingles of a text with spaces and punctuation removed, as CRC32 values."""
    t = _NOISE.sub("", text or "").lower()
    if len(t) <= k:
        return frozenset([zlib.crc32(t.encode())]) if t else frozenset()
    return frozenset(zlib.crc32(t[i:i + k].encode()) for i in range(len(t) - k + 1))


def resemblance(a: frozenset[int], b: frozenset[int]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def warnings(s: Session, check: CheckRecord, *, channel: str, published_at: datetime, rules: PostingRules) -> list[dict]:
    """The over-posting warnings of publishing ``check`` on ``channel`` at ``published_at`` (naive UTC)."""
    out: list[dict] = []
    if rules.max_posts_per_day > 0:
        offset = timedelta(hours=rules.day_starts_utc_offset_hours)
        day_start = datetime.combine((published_at + offset).date(), datetime.min.time()) - offset
        n = s.scalar(select(func.count()).select_from(Publication).where(
            Publication.channel == channel, Publication.published_at >= day_start,
            Publication.published_at < day_start + timedelta(days=1))) or 0
        if n + 1 > rules.max_posts_per_day:
            out.append({"code": "posting.daily_limit", "clause": DAILY, "severity": "warning",
                        "message": f"channel {channel!r} has {n + 1} publications that day, more than the "
                                   f"{rules.max_posts_per_day} allowed (三(一)4: avoid excessive posting)"})
    if rules.duplicate_days > 0:
        out.extend(_repeats(s, check, channel, published_at, rules))
    return out


def _repeats(s: Session, check: CheckRecord, channel: str, published_at: datetime, rules: PostingRules) -> list[dict]:
    since = published_at - timedelta(days=rules.duplicate_days)
    q = (select(Publication.id, Publication.check_id, Publication.url, Publication.published_at, CheckRecord.body,
                CheckRecord.title, CheckRecord.content_hash)
         .join(CheckRecord, CheckRecord.id == Publication.check_id, isouter=True)
         .where(Publication.channel == channel, Publication.published_at >= since,
                Publication.published_at <= published_at)
         .order_by(Publication.published_at.desc(), Publication.id.desc()))
    mine = shingles(f"{check.title or ''}{check.body or ''}", rules.shingle) if check.body is not None else None
    for pid, check_id, url, when, body, title, content_hash in s.execute(q):
        if check_id == check.id or content_hash == check.content_hash:
            similarity = 1.0
        elif mine is not None and body is not None:
            similarity = resemblance(mine, shingles(f"{title or ''}{body}", rules.shingle))
        else:
            continue  # a text not kept can only be compared by its hash
        if similarity >= rules.duplicate_threshold:
            return [{"code": "posting.duplicate", "clause": REPEAT, "severity": "warning",
                     "publication_id": pid, "check_id": check_id, "url": url, "similarity": round(similarity, 3),
                     "message": f"repeats publication {pid} of {when.date().isoformat()} on {channel!r} "
                                f"({similarity:.0%} alike; 四(二)3: avoid posting the same content again)"}]
    return []
