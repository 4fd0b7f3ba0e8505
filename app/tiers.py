"""Which approval tier a draft needs (clause 三(三)), with the evidence for each reason.

Precedence: leadership > external > department. Leadership adds 公司高层领导 after the author's own
chain (the department head, or the external chain for an external author).
"""

from __future__ import annotations

from dataclasses import dataclass

from . import lexicon
from .checks.base import LoadContext
from .document import Document
from .models import Approver, Finding, Reason, Tier

DEPARTMENT_HEAD = Approver(role="department_head", title="部门负责人")
BUSINESS_HEAD = Approver(role="business_department_head", title="相关业务部门负责人")
SUPERVISING_LEADER = Approver(role="supervising_leader", title="分管领导")
SENIOR_LEADERSHIP = Approver(role="senior_leadership", title="公司高层领导")

# Findings that always make a draft sensitive information: leaked secrets and confidential material.
SENSITIVE_RULE_PREFIXES = ("privacy.credential", "privacy.private_key", "privacy.access_key",
                           "sensitive.confidential")


@dataclass(frozen=True)
class TriggerGroup:
    name: str
    clause: str
    message: str
    terms: tuple[str, ...]


@dataclass(frozen=True)
class TierRules:
    groups: tuple[TriggerGroup, ...]


def load(ctx: LoadContext) -> TierRules:
    data = lexicon.read_toml(ctx.lexicon_dirs, "tiers.toml")
    groups = tuple(
        TriggerGroup(name=name, clause=g.get("clause", "三(三)2"), message=g.get("message", name),
                     terms=tuple(t for t in g.get("terms", []) if t))
        for name, g in data.get("groups", {}).items())
    return TierRules(groups=groups)


def _finding_reason(f: Finding, code: str, message: str) -> Reason:
    return Reason(code=code, message=message, clause="三(三)2", field=f.field, offset=f.offset, length=f.length,
                  text=f.text)


def classify(doc: Document, findings: list[Finding], rules: TierRules) -> Tier:
    reasons: list[Reason] = []
    for f in findings:
        if f.rule.startswith(SENSITIVE_RULE_PREFIXES):
            reasons.append(_finding_reason(f, "finding.sensitive", f"含敏感信息（{f.rule}），需公司高层领导审批"))
            break
    if not reasons:
        for f in findings:
            if f.severity == "block":
                reasons.append(_finding_reason(f, "finding.block", f"含禁止发布的内容（{f.rule}），需公司高层领导审批"))
                break
    for group in rules.groups:
        for fld in doc.fields:
            hit = next(((fld.text.find(t), t) for t in group.terms if t in fld.text), None)
            if hit:
                s, e = fld.to_source(hit[0], hit[0] + len(hit[1]))
                reasons.append(Reason(code=f"trigger.{group.name}", message=group.message, clause=group.clause,
                                      field=fld.name, offset=s, length=e - s, text=fld.source[s:e]))
                break

    external = doc.draft.author.type == "external"
    chain = [BUSINESS_HEAD, SUPERVISING_LEADER] if external else [DEPARTMENT_HEAD]
    if external:
        reasons.insert(0, Reason(code="author.external", message="作者为外部人员，需相关业务部门负责人审核并报分管领导批准",
                                 clause="三(三)3", field="author", text=doc.draft.author.id or "external"))
    if any(r.clause == "三(三)2" for r in reasons):
        return Tier(level="leadership", approvers=chain + [SENIOR_LEADERSHIP], reasons=reasons)
    if external:
        return Tier(level="external", approvers=chain, reasons=reasons)
    return Tier(level="department", approvers=chain,
                reasons=[Reason(code="general", message="一般性工作信息，由所在部门负责人审核", clause="三(三)1")])
