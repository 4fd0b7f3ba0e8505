"""Engine 3 (optional): a MacBERT spelling corrector from a local model directory.

The model is pycorrector's ``macbert4csc`` layout (a BERT masked-LM with its tokenizer files); the
correction is the same as pycorrector's: the arg-max character at every position, kept where it
differs from the input and both are Chinese characters. torch and transformers are heavy and come
only with ``pip install precheck[deep]``; without them the engine reports why it is off.
"""

from __future__ import annotations

import threading
from pathlib import Path

from ..text import is_uro

MAX_LEN = 128  # characters per chunk; BERT's position table is small in the bundled models


# The unified block only, as the language-model detector: the models' vocabularies stop there.
_cjk = is_uro


class MacBert:
    def __init__(self, path: Path):
        import torch  # noqa: F401  (the import error is the signal that [deep] is not installed)
        from transformers import AutoTokenizer, BertForMaskedLM

        self.path = path
        self.tokenizer = AutoTokenizer.from_pretrained(str(path))
        self.model = BertForMaskedLM.from_pretrained(str(path))
        self.model.eval()
        self._lock = threading.Lock()  # one forward pass at a time keeps memory flat under load

    def detect(self, text: str) -> list[tuple[int, int, str, str]]:
        """(start, end, wrong, right) for each character the model would change."""
        import torch

        out: list[tuple[int, int, str, str]] = []
        for base in range(0, len(text), MAX_LEN):
            chunk = text[base:base + MAX_LEN]
            if not any(_cjk(c) for c in chunk):
                continue
            chars = list(chunk)
            enc = self.tokenizer(chars, is_split_into_words=True, return_tensors="pt", truncation=True,
                                 max_length=MAX_LEN + 2)
            with self._lock, torch.no_grad():
                logits = self.model(**enc).logits[0]
            ids = logits.argmax(-1).tolist()
            word_ids = enc.word_ids(0)
            for tok_i, w in enumerate(word_ids):
                if w is None or w >= len(chars):
                    continue
                pred = self.tokenizer.convert_ids_to_tokens(ids[tok_i])
                orig = chars[w]
                if pred and len(pred) == 1 and pred != orig and _cjk(pred) and _cjk(orig):
                    out.append((base + w, base + w + 1, orig, pred))
        return out


def load(path: Path | str | None) -> tuple[MacBert | None, str | None]:
    """The engine, or None and why (None, None when it was not asked for)."""
    if not path:
        return None, None
    path = Path(path)
    if not path.is_dir():
        return None, f"MacBERT model directory not found: {path}"
    try:
        return MacBert(path), None
    except ImportError:
        return None, "PRECHECK_MACBERT_PATH is set but torch/transformers are not installed (pip install precheck[deep])"
    except (OSError, ValueError, RuntimeError) as e:
        return None, f"MacBERT model {path} could not be loaded: {type(e).__name__}: {e}"[:300]
