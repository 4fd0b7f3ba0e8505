"""What "got worse" means for a re-checked draft: a new block or error finding, or a higher tier.

A finding is the same finding when its check, rule, field, offset and length match; its message
or suggestions may change between releases without making the draft worse.
"""

from __future__ import annotations

TIER_RANK = {"department": 0, "external": 1, "leadership": 2}
VERDICT_RANK = {"pass": 0, "revise": 1, "block": 2}
SERIOUS = ("block", "error")


def _key(f: dict) -> tuple:
    return (f.get("check"), f.get("rule"), f.get("field", "body"), f.get("offset", 0), f.get("length", 0))


def worse(old: dict, new: dict, checks: set[str] | None = None) -> dict | None:
    """The change from ``old`` to ``new`` (report dicts), or None when ``new`` is no worse.

    With ``checks`` (a re-scan of some checks only) the old findings of other checks are ignored.
    """
    before = {_key(f) for f in old.get("findings", []) if checks is None or f.get("check") in checks}
    added = [f for f in new.get("findings", []) if f.get("severity") in SERIOUS and _key(f) not in before]
    old_tier, new_tier = old.get("tier", {}).get("level", "department"), new["tier"]["level"]
    old_verdict, new_verdict = old.get("verdict", "pass"), new["verdict"]
    higher_tier = TIER_RANK.get(new_tier, 0) > TIER_RANK.get(old_tier, 0)
    if not added and not higher_tier and VERDICT_RANK[new_verdict] <= VERDICT_RANK.get(old_verdict, 0):
        return None
    return {"old_verdict": old_verdict, "new_verdict": new_verdict, "old_tier": old_tier, "new_tier": new_tier,
            "new_findings": [{k: f.get(k) for k in ("check", "rule", "severity", "field", "offset", "length",
                                                     "text", "message", "clause")} for f in added]}
