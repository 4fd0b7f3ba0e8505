"""Which approval tier a draft needs (clause 三(三)), with the evidence for each reason.

Precedence: leadership > external > department. Leadership adds 公司高层领导 after the author's own
chain (the department head, or the external chain for an external author). The model lives in
``app/tiering/`` (rules as data in ``lexicons/tiers.toml``); docs/tiers.md explains it.
"""

from __future__ import annotations

from .checks.base import LoadContext
from .tiering.classifier import analyse, classify
from .tiering.relevance import RULES as DERIVED_RULES
from .tiering.relevance import hits as derived_hits
from .tiering.rules import TierRules, TierRulesError, load_dirs

__all__ = ["DERIVED_RULES", "TierRules", "TierRulesError", "analyse", "classify", "derived_hits", "load"]


def load(ctx: LoadContext) -> TierRules:
    return load_dirs(ctx.lexicon_dirs)
