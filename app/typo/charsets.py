"""pycorrector's bundled character data, read as plain files.

``import pycorrector`` pulls in torch and transformers (seconds, gigabytes), so the package is only
located (``find_spec`` does not execute it) and its ``data/`` files are parsed here.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path


def pycorrector_data_dir() -> Path | None:
    try:
        spec = importlib.util.find_spec("pycorrector")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    d = Path(list(spec.submodule_search_locations)[0]) / "data"
    return d if d.is_dir() else None


def sighan_path() -> Path | None:
    d = pycorrector_data_dir()
    if d is None:
        return None
    p = d / "sighan2015_test.tsv"
    if p.is_file():
        return p
    found = sorted(d.parent.rglob("sighan2015_test.tsv"))
    return found[0] if found else None


SHAPE_AND_SOUND = 0.3  # similarity bonus of a character alike in sound and in shape


@dataclass(frozen=True)
class CharSets:
    same_tone: dict[str, str]  # char -> characters with the same pinyin and tone
    other_tone: dict[str, str]  # char -> characters with the same pinyin, another tone
    same_shape: dict[str, str]  # char -> characters that look alike
    common: frozenset[str]
    near_sound: dict[str, str]  # char -> characters whose pinyin differs only by a common confusion (in/ing, z/zh)

    def similar(self, ch: str) -> dict[str, float]:
        """Candidate replacements of ``ch`` with a similarity weight (same sound and tone highest)."""
        out: dict[str, float] = {}
        for chars, weight in ((self.near_sound.get(ch, ""), 0.4), (self.same_shape.get(ch, ""), 0.6),
                              (self.other_tone.get(ch, ""), 0.7),
                              (self.same_tone.get(ch, ""), 1.0)):
            for c in chars:
                if c != ch and c in self.common:
                    out[c] = max(out.get(c, 0.0), weight)
        # A character that both sounds and looks alike (座/坐) is the likeliest slip of all.
        for c in self.same_shape.get(ch, ""):
            if out.get(c, 0.0) >= 0.7:
                out[c] += SHAPE_AND_SOUND
        return out


def _read(path: Path) -> list[str]:
    return [ln.strip("\r\n") for ln in path.read_text(encoding="utf-8").splitlines()
            if ln.strip() and not ln.startswith("#")]


@lru_cache(maxsize=1)
def load() -> CharSets | None:
    d = pycorrector_data_dir()
    if d is None or not (d / "same_pinyin.txt").is_file():
        return None
    same_tone: dict[str, str] = {}
    other_tone: dict[str, str] = {}
    for line in _read(d / "same_pinyin.txt"):
        parts = line.split("\t")
        if len(parts) >= 2 and len(parts[0]) == 1:
            same_tone[parts[0]] = parts[1].strip()
            other_tone[parts[0]] = parts[2].strip() if len(parts) > 2 else ""
    same_shape: dict[str, set[str]] = {}
    if (d / "same_stroke.txt").is_file():
        for line in _read(d / "same_stroke.txt"):
            group = [c for c in line.split() if len(c) == 1]
            for c in group:
                same_shape.setdefault(c, set()).update(x for x in group if x != c)
    common = frozenset(_read(d / "common_char_set.txt")) if (d / "common_char_set.txt").is_file() else frozenset()
    if not common:
        common = frozenset(same_tone)
    return CharSets(same_tone, other_tone, {k: "".join(sorted(v)) for k, v in same_shape.items()}, common,
                    _near_sound(common))


# Sounds that speakers and typists mix up: front/back nasals, flat/retroflex initials.
_FUZZY = (("ing", "in"), ("eng", "en"), ("ang", "an"), ("zh", "z"), ("ch", "c"), ("sh", "s"))


def _fuzzy(syllable: str) -> str:
    for a, b in _FUZZY:
        syllable = syllable.replace(a, b)
    return syllable


def _near_sound(chars: frozenset[str]) -> dict[str, str]:
    try:
        from pypinyin import Style, pinyin
    except ImportError:
        return {}
    by_key: dict[str, set[str]] = {}
    keys: dict[str, set[str]] = {}
    for ch in chars:
        readings = pinyin(ch, style=Style.NORMAL, heteronym=True)[0]
        ks = {_fuzzy(r) for r in readings}
        keys[ch] = ks
        for k in ks:
            by_key.setdefault(k, set()).add(ch)
    return {ch: "".join(sorted({c for k in ks for c in by_key[k]} - {ch})) for ch, ks in keys.items()}
