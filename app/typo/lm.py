"""The word trigram language model (KenLM; Debian's libime ``zh_CN.lm`` by default)."""

from __future__ import annotations

import glob
from functools import lru_cache
from pathlib import Path

DEBIAN_GLOB = "/usr/lib/*/libime/zh_CN.lm"


def default_path() -> Path | None:
    found = sorted(glob.glob(DEBIAN_GLOB))
    return Path(found[0]) if found else None


class LanguageModel:
    """Log10 probabilities of segmented text, with a cache: the detector rescored the same windows often."""

    def __init__(self, path: Path):
        import kenlm  # imported here so a missing wheel degrades the check instead of failing the import

        self.path = path
        self.model = kenlm.Model(str(path))
        self.order = self.model.order
        self.score = lru_cache(maxsize=200_000)(self._score)

    def _score(self, words: tuple[str, ...], bos: bool, eos: bool) -> float:
        return self.model.score(" ".join(words), bos=bos, eos=eos)

    def token_scores(self, words: list[str], bos: bool = True, eos: bool = False) -> list[tuple[float, int]]:
        """Per word: (log10 probability, n-gram length used); length 1 means the context was unseen."""
        return [(p, n) for p, n, _oov in self.model.full_scores(" ".join(words), bos=bos, eos=eos)][: len(words)]

    def __contains__(self, word: str) -> bool:
        return word in self.model

    def pieces(self, word: str) -> tuple[str, ...]:
        """A word the model does not know, split into the longest pieces it does (下个星期 → 下 个 星期):
        jieba's dictionary and the model's vocabulary differ, and an unknown word scores as <unk>."""
        return self._pieces(word)

    @lru_cache(maxsize=100_000)
    def _pieces(self, word: str) -> tuple[str, ...]:
        if len(word) == 1 or word in self.model:
            return (word,)
        out, i = [], 0
        while i < len(word):
            for j in range(len(word), i, -1):
                if j - i == 1 or word[i:j] in self.model:
                    out.append(word[i:j])
                    i = j
                    break
        return tuple(out)

    def words(self, tokens, join: bool = False) -> tuple[str, ...]:
        """Tokens as the model's words: unknown words split into known pieces; with ``join``, pairs of
        single characters that the model knows as one word are joined (jieba lacks 入职, the model has it)."""
        out: list[str] = []
        for t in tokens:
            for p in self.pieces(t):
                if join and len(p) == 1 and out and len(out[-1]) == 1 and out[-1] + p in self.model:
                    out[-1] += p
                else:
                    out.append(p)
        return tuple(out)


def load(path: Path | None) -> tuple[LanguageModel | None, str | None]:
    """The model, or None and the reason it is unavailable."""
    path = path or default_path()
    if path is None:
        return None, f"no language model: set PRECHECK_LM_PATH or install libime-data-language-model ({DEBIAN_GLOB})"
    if not Path(path).is_file():
        return None, f"language model not found: {path}"
    try:
        return LanguageModel(Path(path)), None
    except ImportError:
        return None, "the kenlm package is not installed"
    except (OSError, RuntimeError) as e:  # kenlm raises OSError on a corrupt file
        return None, f"language model {path} could not be loaded: {e}"
