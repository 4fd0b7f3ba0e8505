"""The approval tier of a draft (clause 三(三)): level, approvers, and the evidence for each reason.

Precedence leadership > external > department. Leadership follows from findings (block, or a
confidential / credential rule) or from trigger evidence that reaches the threshold; only
occurrences whose sentence asserts the trigger of this company now count (see ``context``).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..document import Document, Field
from ..excerpt import quote
from ..models import Finding, Reason, Tier
from . import context
from .category import Category, categorize
from .rules import TierRules, TriggerGroup

MAJOR = "三(三)2"
GENERAL = "三(三)1"
EXTERNAL = "三(三)3"
UNRELATED = "三(一)4"


@dataclass(frozen=True)
class Occurrence:
    group: TriggerGroup
    field: str
    start: int  # plain-text span in the field
    end: int
    text: str
    status: str  # see context.assess
    cue: str | None

    @property
    def counts(self) -> bool:
        return self.status == "asserted"


@dataclass(frozen=True)
class Analysis:
    occurrences: tuple[Occurrence, ...]
    scores: dict[str, float]  # group -> contribution of its asserted triggers
    score: float
    category: Category


# A sentence is read at most this far on either side of a trigger (text without punctuation can
# make one "sentence" of the whole body), and one trigger word is judged at most this many times:
# together they bound the work on hostile input without changing any real post's result.
WINDOW = 160
MAX_PER_WORD = 40


def _occurrences(doc: Document, rules: TierRules, knowledge_post: bool) -> list[Occurrence]:
    out: list[Occurrence] = []
    for f in doc.fields:
        text = f.text
        for group in rules.groups:
            if group.regex is None:
                continue
            judged: dict[str, int] = {}
            for m in group.regex.finditer(text):
                start, end = m.start(), m.end()
                if f.name == "body" and doc.code_spans and doc.in_code(start, end):
                    continue
                if judged.get(m.group(), 0) >= MAX_PER_WORD:
                    continue
                if any(_inside(text, start, end, x) for x in group.exclude):
                    continue
                if rules.bounds is not None and rules.bounds.splits(text, start, end):
                    continue
                judged[m.group()] = judged.get(m.group(), 0) + 1
                s, e = f.sentence_at(start)
                sentence = (max(s, start - WINDOW), min(max(e, end), end + WINDOW))
                verdict = context.assess(text, sentence, start, end, rules.context,
                                         knowledge_post=knowledge_post, current_year=rules.current_year,
                                         history_years=rules.history_years)
                out.append(Occurrence(group, f.name, start, end, m.group(), verdict.status, verdict.cue))
    return out


def _inside(text: str, start: int, end: int, phrase: str) -> bool:
    lo = max(0, end - len(phrase))
    i = text.find(phrase, lo, start + len(phrase))
    while i >= 0:
        if i <= start and end <= i + len(phrase):
            return True
        i = text.find(phrase, i + 1, start + len(phrase))
    return False


def _group_scores(occurrences: list[Occurrence], rules: TierRules) -> dict[str, float]:
    # Distinct trigger texts of a group add with decaying weight; repeating one word adds nothing.
    seen: dict[str, list[str]] = {}
    weights: dict[str, float] = {}
    for o in occurrences:
        if o.counts and o.text not in seen.setdefault(o.group.name, []):
            seen[o.group.name].append(o.text)
            weights[o.group.name] = o.group.weight
    return {g: weights[g] * sum(rules.repeat_factor ** i for i in range(len(texts)))
            for g, texts in seen.items() if texts}


def analyse(doc: Document, rules: TierRules) -> Analysis:
    """Every trigger occurrence with its context verdict, the scores, and the content category."""
    first = categorize(doc, rules)
    occurrences = _occurrences(doc, rules, knowledge_post=first.name == "business_knowledge")
    scores = _group_scores(occurrences, rules)
    strong = sum(1 for g in rules.groups if scores.get(g.name, 0.0) >= g.weight and g.weight >= rules.threshold)
    category = categorize(doc, rules, work_bonus=2.0 * strong) if strong else first
    return Analysis(tuple(occurrences), scores, round(sum(scores.values()), 6), category)


def _span_reason(f: Field, start: int, end: int, code: str, message: str, clause: str) -> Reason:
    s, e = f.to_source(start, end)
    return Reason(code=code, message=message, clause=clause, field=f.name, offset=s, length=e - s,
                  text=quote(f.source[s:e]))


def _finding_reasons(findings: list[Finding], rules: TierRules) -> list[Reason]:
    reasons, seen = [], set()
    for f in findings:
        listed = any(f.rule == r or f.rule.startswith(r + ".") for r in rules.finding_rules)
        if not listed and f.severity not in rules.finding_severities or f.rule in seen:
            continue
        seen.add(f.rule)
        if listed:
            code, msg = "finding.sensitive", f"含保密或凭据等敏感信息（{f.rule}），需公司高层领导审批"
        else:
            code, msg = "finding.block", f"含禁止发布的内容（{f.rule}），需公司高层领导审批"
        reasons.append(Reason(code=code, message=msg, clause=MAJOR, field=f.field, offset=f.offset,
                              length=f.length, text=f.text))
    return reasons


def _trigger_reasons(doc: Document, analysis: Analysis) -> list[Reason]:
    reasons = []
    for group_name, score in sorted(analysis.scores.items(), key=lambda kv: -kv[1]):
        o = next(o for o in analysis.occurrences if o.counts and o.group.name == group_name)
        reasons.append(_span_reason(doc.field(o.field), o.start, o.end, f"trigger.{group_name}",
                                    f"{o.group.message}（“{o.text}”），需公司高层领导审批", o.group.clause))
    return reasons


def _general_reason(doc: Document) -> Reason:
    # The evidence of "general work information" is what the post announces: its title, or else
    # its first sentence.
    f = doc.title if doc.title is not None and doc.title.text.strip() else doc.body
    start, end = f.sentences[0] if f.sentences else (0, len(f.text))
    if f is doc.title:
        start, end = 0, len(f.text)
    return _span_reason(f, start, end, "general", "一般性工作信息，由所在部门负责人审核后发布", GENERAL)


def _external_reason() -> Reason:
    return Reason(code="author.external", message="作者为外部人员，需相关业务部门负责人审核并报分管领导批准",
                  clause=EXTERNAL, field="author.type", offset=0, length=len("external"), text="external")


def unrelated_reason(doc: Document, category: Category) -> Reason | None:
    cue = category.unrelated_cue
    if not category.unrelated or cue is None:
        return None
    return _span_reason(doc.field(cue.field), cue.start, cue.end, "content.unrelated",
                        f"内容与工作无关（如“{cue.text}”），不宜通过公司微信发布", UNRELATED)


def chain(rules: TierRules, doc: Document, level: str) -> list[str]:
    author = doc.draft.author
    spec = rules.departments.get((author.department or "").strip(), {})
    if author.type == "external":
        own = list(spec.get("external") or rules.chains["external"])
    else:
        own = list(spec.get("approvers") or rules.chains["department"])
    if level == "leadership":
        own += [r for r in rules.chains["leadership"] if r not in own]
    return own


def classify(doc: Document, findings: list[Finding], rules: TierRules) -> Tier:
    analysis = analyse(doc, rules)
    major = _finding_reasons(findings, rules)
    if analysis.score >= rules.threshold:
        major += _trigger_reasons(doc, analysis)
    external = doc.draft.author.type == "external"
    level = "leadership" if major else "external" if external else "department"
    reasons = ([_external_reason()] if external else []) + major
    if not reasons:
        reasons = [_general_reason(doc)]
    extra = unrelated_reason(doc, analysis.category)
    if extra is not None:
        reasons.append(extra)
    return Tier(level=level, approvers=rules.approvers(chain(rules, doc, level)), reasons=reasons,
                content_category=analysis.category.name)
