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
    by_sound: dict[str, str]  # a reading (with tone, toneless, or fuzzy; see ``sound_keys``) -> common characters

    def similar(self, ch: str) -> dict[str, float]:
        """Candidate replacements of ``ch`` with a similarity weight (same sound and tone highest)."""
        out: dict[str, float] = {}
        if ch in self.same_tone or ch in self.common:
            groups = ((self.near_sound.get(ch, ""), 0.4), (self.same_shape.get(ch, ""), 0.6),
                      (self.other_tone.get(ch, ""), 0.7), (self.same_tone.get(ch, ""), 1.0))
        else:
            groups = self._rare(ch)
        for chars, weight in groups:
            for c in chars:
                if c != ch and c in self.common:
                    out[c] = max(out.get(c, 0.0), weight)
        # A character that both sounds and looks alike (座/坐) is the likeliest slip of all.
        for c in self.same_shape.get(ch, ""):
            if out.get(c, 0.0) >= 0.7:
                out[c] += SHAPE_AND_SOUND
        return out

    def _rare(self, ch: str) -> tuple[tuple[str, float], ...]:
        """A character outside pycorrector's tables (塶, 埤, 馀: rare, variant or traditional forms, often
        an input-method slip for a common character that sounds the same) gets the common characters
        that share one of its readings."""
        keys = sound_keys(ch)
        if not keys:
            return ()
        tone, plain, fuzzy = ("".join(self.by_sound.get(k, "") for k in ks) for ks in keys)
        return (fuzzy, 0.4), (self.same_shape.get(ch, ""), 0.6), (plain, 0.7), (tone, 1.0)


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
    near, by_sound = _sounds(common)
    return CharSets(same_tone, other_tone, {k: "".join(sorted(v)) for k, v in same_shape.items()}, common,
                    near, by_sound)


# Sounds that speakers and typists mix up: front/back nasals, flat/retroflex initials, ü written u.
_FUZZY = (("ing", "in"), ("eng", "en"), ("ang", "an"), ("zh", "z"), ("ch", "c"), ("sh", "s"), ("v", "u"))


def _fuzzy(syllable: str) -> str:
    for a, b in _FUZZY:
        syllable = syllable.replace(a, b)
    return syllable


def sound_keys(ch: str) -> tuple[set[str], set[str], set[str]] | None:
    """The readings of ``ch`` with tone (``lv4``), without (``=lv``) and fuzzy (``~lu``); None without pypinyin."""
    try:
        from pypinyin import Style, pinyin
    except ImportError:
        return None
    readings = [r for r in pinyin(ch, style=Style.TONE3, heteronym=True, neutral_tone_with_five=True)[0]
                if r != ch]
    plain = {r.rstrip("12345") for r in readings}
    return set(readings), {"=" + r for r in plain}, {"~" + _fuzzy(r) for r in plain}


def _sounds(chars: frozenset[str]) -> tuple[dict[str, str], dict[str, str]]:
    """Near-sound groups of the common characters, and the common characters by each sound key."""
    by_key: dict[str, set[str]] = {}
    keys: dict[str, set[str]] = {}
    for ch in chars:
        found = sound_keys(ch)
        if found is None:
            return {}, {}
        for ks in found:
            for k in ks:
                by_key.setdefault(k, set()).add(ch)
        keys[ch] = found[2]
    near = {ch: "".join(sorted({c for k in ks for c in by_key[k]} - {ch})) for ch, ks in keys.items()}
    return near, {k: "".join(sorted(v)) for k, v in by_key.items()}
