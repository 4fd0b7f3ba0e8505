"""The finding for content unrelated to work (三(一)4 适度性原则, 一(三)3 工作相关性原则).

The tier classifier decides it while it reads the content category; the pipeline turns the
``content.unrelated`` reason into a ``claims.unrelated`` warning. It sits under the ``claims``
check because that check judges what a post says (三(一) content principles) rather than its form;
it follows the ``claims`` switches: off when that check is disabled or not requested.
"""

from __future__ import annotations

from ..checks.base import Hit
from ..models import Tier
from ..rules import Rule

RULE_ID = "claims.unrelated"

RULES = (
    Rule(RULE_ID, "warning", "三(一)4",
         "与工作无关的内容（出售闲置、代购、拉票、寻宠、追剧等）不宜通过公司微信发布。",
         hit=("出一辆九成新的山地自行车，原价两千八，现价一千二转让，可小刀，需要的同事私聊我。",
              {"title": "日本代购面膜", "body": "朋友在日本，可以代购面膜、化妆品，正品保证，加我微信下单，满五百包邮。"}),
         nohit=("OA系统将于本周六晚升级维护，请大家提前处理待办事项。",
                "行政部提醒：闲置办公设备请于周五前登记，统一调拨给新部门使用。")),
)


def hits(tier: Tier) -> list[Hit]:
    """The warning for an unrelated post, located at the cue the classifier found."""
    out = []
    for r in tier.reasons:
        if r.code == "content.unrelated" and r.field in ("body", "title") and r.offset is not None:
            out.append(Hit(RULE_ID, r.field, 0, 0, r.message, clause=r.clause,
                           source_span=(r.offset, r.offset + (r.length or 0))))
    return out
