"""Statistical typo detection: suspicious positions, word-forming candidates, language-model gain.

1. Split the text into clauses (runs of Chinese characters) and segment each with jieba.
2. Suspicious positions are the characters left as one-character fragments that are not common
   words on their own, short words the model finds improbable, and listed confusable words
   (受到/收到); protected words (company and product names) are never suspicious.
3. Each candidate (similar sound or shape) must turn a non-word span into a dictionary word.
4. The local window around the position is segmented and scored by the word trigram with and
   without the substitution; a correction is reported only when the model gain clears a margin.
5. Repairs inside a person's name (张爱文) are dropped.
Scores of windows are cached: the same window comes back for every candidate and every request.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from ..text import HAN_URO
from .candidates import Candidate, CandidateGenerator
from .lm import LanguageModel
from .segment import Segmenter

# The unified block only: the language model and the candidate tables know no rarer ideograph.
CLAUSE = re.compile(f"[{HAN_URO}]{{2,}}")
FUNCTION_TAGS = frozenset("dcpu")  # jieba tags of adverbs, conjunctions, prepositions, particles
FINAL_TAGS = frozenset("ey")  # interjections and modal particles: at a clause's end (去喔，) as written
WINDOW = 4  # characters of context kept on each side of the repaired word


@dataclass(frozen=True, slots=True)
class Correction:
    start: int  # position of the wrong character in the text
    end: int
    wrong: str
    suggestions: tuple[str, ...]
    gain: float  # log10 model gain of the first suggestion
    confidence: float
    word: str  # the word the first suggestion makes, for the message


@dataclass(frozen=True)
class DetectorOptions:
    margin: float = 1.0  # minimum log10 gain for a repair that makes a word of a stray fragment
    real_word_margin: float = 2.5  # minimum gain for replacing one word by another (受到→收到)
    common_margin: float = 2.0  # the margin for a fragment that is a common word by itself (既, 向)
    standalone_freq: int = 5_000  # a fragment at least this frequent as a word is a common word
    low_prob: float = -5.0  # a word scoring below this in an unseen context is suspicious
    seen_order: int = 3  # a common fragment whose n-gram of this order was seen is not suspicious
    real_word_min_freq: int = 300  # a replacement word must be at least this common
    # A character replaced by a member of its confusion set (在/再, 做/坐/座, 那/哪 …) is a known
    # real-word error: the model arbitrates at a lower margin than for an arbitrary similar character.
    confusable_margin: float = 1.5
    # Replacing a character that is not very common as a word by itself (below this jieba frequency)
    # is less risky than rewriting 是/有/不: such real-word repairs need ``uncommon_margin`` only.
    # Function words (adverbs, conjunctions, prepositions, particles: 特, 既, 并) keep the full
    # margin: formal notices use them in patterns a general-text trigram models poorly (特组织).
    uncommon_char_freq: int = 100_000
    uncommon_margin: float = 2.0
    unlike_extra: float = 0.5  # added to a word-for-word margin when the characters do not sound the same
    # Ranking of the repairs that clear their margin. The model's gain already favours frequent
    # words, so word frequency adds nothing; similarity (same sound and tone > same sound > same
    # shape, both sound and shape highest) separates members of one confusion set (座→坐, not 做).
    # Chosen on the first half of SIGHAN-15.
    similarity_weight: float = 3.0
    freq_weight: float = 0.0
    max_suggestions: int = 3
    # Results of recently seen clauses: a draft is re-checked after every edit, and only the
    # clauses that changed need the model again. 0 disables the cache.
    clause_cache: int = 20_000


MAX_PIECE = 120  # characters: a clause longer than this (no punctuation at all) is checked in pieces


def _pieces(base: int, clause: str, tokens: tuple[str, ...]):
    """(offset, text, tokens) of the clause, cut at word boundaries into pieces of at most MAX_PIECE
    characters: every repair re-reads its piece, which must stay short for a clause of 100,000
    characters without punctuation to take linear time."""
    if len(clause) <= MAX_PIECE:
        yield base, clause, tokens
        return
    start, pos, k0 = 0, 0, 0
    for k, t in enumerate(tokens):
        if pos + len(t) - start > MAX_PIECE and pos > start:
            yield base + start, clause[start:pos], tokens[k0:k]
            start, k0 = pos, k
        pos += len(t)
    yield base + start, clause[start:pos], tokens[k0:]


LIST_MARKS = "、等和及与"  # what follows an item of an enumeration


def _shared_suffix(text: str, i: int) -> bool:
    """Whether the character at ``i`` ends an enumeration item, as it ends the item before or after
    (问候语、感谢语、道歉语等): a shared suffix, written on purpose."""
    if i + 1 >= len(text) or text[i + 1] not in LIST_MARKS:
        return False
    before = text.rfind("、", max(0, i - 10), i)
    after = text.find("、", i + 1, i + 12)
    return (before > 0 and text[before - 1] == text[i]) or (after > 0 and text[after - 1] == text[i] and after - 1 > i)


class Detector:
    # Called as trace(text, position, candidate, kind, gain) for every candidate scored (text: the
    # clause with the repairs found so far); the
    # evaluation uses it to study margins. None in service.
    trace = None

    def __init__(self, seg: Segmenter, lm: LanguageModel, cands: CandidateGenerator,
                 protected: frozenset[str], options: DetectorOptions = DetectorOptions(),
                 confusable: dict[str, frozenset[str]] | None = None, surnames: frozenset[str] = frozenset()):
        self.seg = seg
        self.surnames = surnames
        # Characters (在/再) and words (收到/受到) that writers exchange although each is right somewhere.
        self.confusable = {k: v for k, v in (confusable or {}).items() if len(k) == 1}
        self.confusable_words = {k: v for k, v in (confusable or {}).items() if len(k) > 1}
        self.lm = lm
        self.cands = cands
        self.protected = protected
        self.opt = options
        self._cached_clause = lru_cache(maxsize=options.clause_cache)(self._clause) if options.clause_cache else None

    def detect(self, text: str, skip: list[tuple[int, int]] = (),
               memo: dict[str, tuple[str, ...]] | None = None, limit: int | None = None) -> list[Correction]:
        """``memo``: the field's segmentation memo (``Segmenter.cut``), shared with the grammar check.
        ``limit``: stop once more than this many corrections are found (the caller reports the
        surplus one as the place where checking stopped)."""
        out: list[Correction] = []
        mask = bytearray(len(text))  # one pass over the skipped spans, not one per clause
        for s, e in skip:
            mask[s:e] = b"\x01" * (max(s, e) - s)
        for m in CLAUSE.finditer(text):
            clause = m.group()
            tokens = memo.get(clause) if memo is not None else None
            lattice = None
            if tokens is None:
                # The clause's word graph gives its words now and its windows' words later.
                lattice = self.seg.lattice(clause)
                tokens = lattice.cut(0, len(clause))
                if memo is not None:
                    memo[clause] = tokens
            for base, piece, piece_tokens in _pieces(m.start(), clause, tokens):
                if len(piece) < len(clause):
                    lattice = None
                end = base + len(piece)
                if any(mask[base:end]):
                    found = self._clause(piece, piece_tokens, frozenset(i - base for i in range(base, end) if mask[i]),
                                         lattice)
                elif self._cached_clause is not None and self.trace is None:
                    found = self._cached_clause(piece, piece_tokens, frozenset())
                else:
                    found = self._clause(piece, piece_tokens, frozenset(), lattice)
                out.extend(Correction(c.start + base, c.end + base, c.wrong, c.suggestions, c.gain, c.confidence,
                                      c.word) for c in found if not _shared_suffix(text, c.start + base))
                if limit is not None and len(out) > limit:
                    return out[:limit + 1]
        return out

    def _token_scores(self, tokens: list[str]) -> list[tuple[float, int]]:
        """Each token's log10 probability in context and the longest n-gram the model had for it."""
        pieces = [self.lm.pieces(t) for t in tokens]
        flat = self.lm.token_scores([p for ps in pieces for p in ps], bos=True, eos=False)
        out, k = [], 0
        for ps in pieces:
            part = flat[k:k + len(ps)]
            k += len(ps)
            out.append((sum(p for p, _n in part), max(n for _p, n in part)))
        return out

    def tasks(self, clause: str, tokens, masked: set[int]) -> list[tuple[int, int, int, float]]:
        """(position, token start, token end, margin) for every position worth trying; margin 0 marks a
        multi-character word that only real-word replacements may change."""
        freq, o, lm = self.seg.freq, self.opt, self.lm
        out, pos = [], 0
        scores = self._token_scores(tokens)
        for k, (tok, (p, n)) in enumerate(zip(tokens, scores)):
            end = pos + len(tok)
            if tok in self.protected or any(i in masked for i in range(pos, end)):
                pass
            elif len(tok) == 1 and k + 1 == len(tokens) and self.seg.tag(tok)[:1] in FINAL_TAGS:
                pass
            elif len(tok) == 1:
                # A fragment that the model knows as part of a word with a neighbour ("入" "职" → 入职,
                # which jieba's dictionary lacks) is more likely a vocabulary gap than a typo.
                prev = tokens[k - 1] if k else ""
                nxt = tokens[k + 1] if k + 1 < len(tokens) else ""
                known = (prev and len(prev) < 4 and prev + tok in lm) or (nxt and len(nxt) < 4 and tok + nxt in lm)
                rare = freq.get(tok, 0) < o.standalone_freq
                if not rare and n >= o.seen_order and (k + 1 == len(scores) or scores[k + 1][1] >= 2):
                    # A common character the model has seen after both its predecessors, and before
                    # its successor, is how the language is written: not worth candidates and windows.
                    pos = end
                    continue
                out.append((pos, pos, end, o.margin if rare and not known else o.common_margin))
            elif len(tok) <= 3 and n == 1 and p < o.low_prob:
                out.extend((i, pos, end, 0.0) for i in range(pos, end))
            elif tok in self.confusable_words:
                # A listed word is always put to the model against its partners, however common it is.
                diff = {pos + j for alt in self.confusable_words[tok] for j in range(len(tok)) if alt[j] != tok[j]}
                out.extend((i, pos, end, 0.0) for i in sorted(diff))
            pos = end
        return out

    def _clause(self, clause: str, tokens: tuple[str, ...], masked: frozenset[int], lattice=None) -> list[Correction]:
        words, pos = [], 0
        bounds = {0}
        for t in tokens:
            if len(t) > 1:
                words.append((pos, pos + len(t)))
            pos += len(t)
            bounds.add(pos)
        bounds = frozenset(bounds)
        found: list[Correction] = []
        text = clause
        # The clause's word graph: built when the first window needs segmenting, again after a repair.
        tasks = self.tasks(clause, tokens, masked)
        done: set[int] = set()
        by_pos = {t[0]: t for t in tasks}
        for i, ts, te, margin in tasks:
            if i in done:
                continue
            if lattice is None:
                lattice = self.seg.lattice(text)
            best = self._best(text, lattice, i, ts, te, margin, bounds, words)
            if best is None:
                continue
            # A rival inside the repaired word, or next to it, may be the wrong character instead:
            # in 乡虾 the repair is 乡下, not 鲜虾; in 污然 it is 污染, not 于然. The rival wins when
            # its own repair reaches back over ``i`` and ranks higher.
            c = best[3]
            for j in range(c.word_start - 1, c.word_end + 1):
                if j == i or j in done or j in masked:
                    continue
                tj = by_pos.get(j)
                if tj is None:
                    continue
                rival = self._best(text, lattice, *tj, bounds, words)
                if rival is not None and rival[3].word_start <= i < rival[3].word_end and rival[0] > best[0]:
                    done.add(j)
                    i, best = j, rival
                    break
            _rank, excess, gain, c, suggestions = best
            confidence = round(1.0 / (1.0 + math.exp(-excess)), 3)
            found.append(Correction(i, i + 1, text[i], suggestions, round(gain, 3), confidence, c.word))
            done.add(i)
            text = text[:i] + c.char + text[i + 1:]  # later positions see the repaired context
            lattice = None
        # A person's name is written as its bearer wants it (张爱文 is no typo of 埃文). The tagger is
        # slow, so it reads only clauses where a surname stands up to three characters before a repair.
        if any(clause[j] in self.surnames or clause[j:j + 2] in self.surnames
               for c in found for j in range(max(0, c.start - 3), c.start + 1)):
            names = self.seg.name_spans(clause, self.surnames)
            found = [c for c in found if not any(s <= c.start < e for s, e in names)]
        return found

    def _best(self, text: str, lattice, i: int, ts: int, te: int, margin: float, bounds, words):
        """(rank, excess over the margin, gain, candidate, suggestions) of the best repair at ``i``."""
        o = self.opt
        cands = []
        if margin:
            for c in self.cands.at(text, i, bounds):
                ws, we = c.word_start, c.word_end
                # A repair may join fragments, or extend a whole word, never cut through one.
                if any(ws < e and s < we and not (ws <= s and e <= we) for s, e in words):
                    continue
                swallows = any(ws <= s and e <= we for s, e in words)
                cands.append((c, o.real_word_margin if swallows else margin,
                              "swallow" if swallows else ("rare" if margin == o.margin else "common")))
        kind = "real_word" if te - ts > 1 else "real_char"
        same = self.cands.same_span(text, ts, te, i, o.real_word_min_freq)
        partners = self.confusable_words.get(text[ts:te], ())
        if partners:
            sim = self.cands.similar(text[i])
            same += [Candidate(w[i - ts], sim.get(w[i - ts], 0.4), w, ts, te, self.seg.freq.get(w, 1))
                     for w in partners if w[:i - ts] + w[i - ts + 1:] == text[ts:i] + text[i + 1:te]
                     and not any(w == c.word for c in same)]
        cands += [(c, o.real_word_margin, kind) for c in same if not any(c.char == x.char for x, _m, _k in cands)]
        if not cands:
            return None
        cands = [(c, o.confusable_margin if c.word in partners else self._need(text[i], c.char, need, kind, c.similarity),
                  kind) for c, need, kind in cands]
        lo = min(c.word_start for c, _m, _k in cands)
        hi = max(c.word_end for c, _m, _k in cands)
        a, b = max(0, lo - WINDOW), min(len(text), hi + WINDOW)
        bos, eos = a == 0, b == len(text)
        cut = lattice.cut(a, b)
        # The original gets the benefit of the doubt: its best reading, with or without the
        # model's own words joined, is what a repair must beat.
        old = max(self.lm.score(self.lm.words(cut), bos, eos), self.lm.score(self.lm.words(cut, True), bos, eos))
        ranked = []
        for c, need, kind in cands:
            # The repaired word is kept whole; only the context on either side is segmented.
            seq = lattice.cut(a, c.word_start) + (c.word,) + lattice.cut(c.word_end, b)
            gain = self.lm.score(self.lm.words(seq), bos, eos) - old
            if self.trace is not None:
                self.trace(text, i, c, kind, gain)  # text: the clause with earlier repairs applied
            if gain >= need:
                rank = gain + o.similarity_weight * c.similarity + o.freq_weight * math.log10(c.word_freq)
                ranked.append((rank, gain - need, gain, c))
        if not ranked:
            return None
        ranked.sort(key=lambda r: -r[0])
        rank, excess, gain, best = ranked[0]
        return rank, excess, gain, best, tuple(r[3].char for r in ranked)[: o.max_suggestions]

    def _need(self, wrong: str, right: str, need: float, kind: str, similarity: float = 1.0) -> float:
        o = self.opt
        if kind in ("rare", "common", "real_char") and right in self.confusable.get(wrong, ()):
            return min(need, o.confusable_margin)
        if (kind in ("common", "swallow", "real_char") and self.seg.freq.get(wrong, 0) < o.uncommon_char_freq
                and self.seg.tag(wrong)[:1] not in FUNCTION_TAGS):
            need = min(need, o.uncommon_margin)
        if kind == "real_word" and similarity < 0.7:
            # Swapping one word for another that only looks alike or sounds roughly alike (访客→旅客,
            # 不是→还是) is rarely what a writer meant: typing slips are same-sound slips.
            need += o.unlike_extra
        return need

    def correct(self, text: str) -> str:
        """The text with every first suggestion applied (used by the evaluation)."""
        chars = list(text)
        for c in self.detect(text):
            chars[c.start] = c.suggestions[0]
        return "".join(chars)
