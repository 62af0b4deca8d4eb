"""Hedge codebooks: the probability a pundit's hedge words imply, and the source of each value.

Codebooks are versioned data shipped in the package (codebooks/<name>.json), so a score can
name the codebook that produced it and be recomputed under another (DESIGN §1). Each file
cites its sources: Kent (1964), ICD 203 (2015), the zonination/perceptions survey medians.
"""

import difflib
import json
import re
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources
from importlib.resources.abc import Traversable

DEFAULT_CODEBOOK = "hindsight-v1"

_QUOTES_AND_DASHES = str.maketrans(
    {"’": "'", "‘": "'", "ʼ": "'", "“": '"', "”": '"', "-": " ", "–": " ", "—": " "}
)
_FALLBACK_SUGGESTIONS = ("likely", "unlikely", "almost certainly")


class UnknownHedge(ValueError):
    """No phrase of the codebook occurs in the words."""

    words: str

    def __init__(self, words: str, suggestions: list[str]) -> None:
        shown = ", ".join(f"'{phrase}'" for phrase in suggestions)
        super().__init__(
            f"no probability is known for the hedge '{words}': use a phrase such as {shown}, "
            "or give a probability between 0 and 1"
        )
        self.words = words


class UnknownCodebook(KeyError):
    """No codebook of that name ships with Hindsight."""

    name: str

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name

    def __str__(self) -> str:
        return f"no codebook named '{self.name}'; known: {', '.join(codebook_names())}"


@dataclass(frozen=True)
class HedgeEntry:
    """A phrase, the probability it implies, and the full citation behind that value."""

    phrase: str
    probability: float
    source: str


@dataclass(frozen=True)
class Codebook:
    """A named, versioned table of hedge phrases."""

    name: str
    title: str
    description: str
    entries: tuple[HedgeEntry, ...]

    def match(self, words: str) -> HedgeEntry | None:
        """The entry that is the words, else the longest phrase found in them as whole words."""
        text = _normalise(words)
        if exact := self._by_key.get(text):
            return exact
        hits = [
            (len(key), -m.start(), entry)
            for key, entry in self._by_key.items()
            if (m := _whole(key).search(text))
        ]
        return max(hits, key=lambda hit: hit[:2])[2] if hits else None

    def probability_of(self, words: str) -> float:
        """The probability the words imply; UnknownHedge when no phrase occurs in them."""
        entry = self.match(words)
        if entry is None:
            raise UnknownHedge(words, self._suggestions(words))
        return entry.probability

    @cached_property
    def _by_key(self) -> dict[str, HedgeEntry]:
        return {_normalise(entry.phrase): entry for entry in self.entries}

    def _suggestions(self, words: str) -> list[str]:
        phrases = [entry.phrase for entry in self.entries]
        close = difflib.get_close_matches(_normalise(words), phrases, n=3)
        return close or [p for p in _FALLBACK_SUGGESTIONS if p in phrases] or phrases[:3]


@cache
def get_codebook(name: str = DEFAULT_CODEBOOK) -> Codebook:
    """The codebook of that name, read once from the package's data."""
    if name not in codebook_names():
        raise UnknownCodebook(name)
    data = json.loads(_folder().joinpath(f"{name}.json").read_text(encoding="utf-8"))
    sources = data["sources"]
    entries = tuple(
        HedgeEntry(e["phrase"], float(e["probability"]), sources[e["source"]])
        for e in data["entries"]
    )
    return Codebook(data["name"], data["title"], data["description"], entries)


def codebook_names() -> list[str]:
    """The names of the codebooks shipped with Hindsight."""
    files = (item.name for item in _folder().iterdir() if item.name.endswith(".json"))
    return sorted(name.removesuffix(".json") for name in files)


def _folder() -> Traversable:
    return resources.files("app.language").joinpath("codebooks")


def _normalise(words: str) -> str:
    """Lower case, straight quotes, hyphens as spaces, single spaces, no outer punctuation."""
    text = " ".join(words.translate(_QUOTES_AND_DASHES).casefold().split())
    return text.strip(" .,;:!?\"'()")


@cache
def _whole(key: str) -> re.Pattern[str]:
    """The phrase as whole words: 'likely' is not found in 'unlikely', nor 'won' in "won't"."""
    return re.compile(rf"(?<![\w']){re.escape(key)}(?![\w'])")
