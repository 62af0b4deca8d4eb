"""Hedge codebooks: the probability a pundit's hedge words imply, and the source of each value.

Codebooks are versioned data shipped in the package (codebooks/<name>.json), so a score can
name the codebook that produced it and be recomputed under another (DESIGN §1). Each file
cites its sources: Kent (1964), ICD 203 (2015), the zonination/perceptions survey medians.
"""

import json
import re
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources
from importlib.resources.abc import Traversable

DEFAULT_CODEBOOK = "hindsight-v2"

_QUOTES_AND_DASHES = str.maketrans(
    {"’": "'", "‘": "'", "ʼ": "'", "“": '"', "”": '"', "-": " ", "–": " ", "—": " "}
)
_FALLBACK_SUGGESTIONS = ("likely", "unlikely", "almost certainly")

# A miss is answered with phrases of the same meaning, not the same spelling (issue 13):
# difflib offered 'could' (0.4) for 'would' (an assertion, read like 'will'). The head words
# of hedges map to the probability they usually carry (the codebook's own conventions); the
# suggestions are the phrases in that probability's band, the closest in value first.
_BANDS = (0.93, 0.6, 0.45, 0.3, 0.1, 0.0)  # certain, likely, even, possible, unlikely, remote
_HEAD_WORDS = {
    **dict.fromkeys(("surely", "sure", "assured", "undoubtedly", "doubtless"), 0.97),
    **dict.fromkeys(("unquestionably", "guarantee", "foregone", "bound", "definite"), 0.97),
    **dict.fromkeys(("would", "will", "shall", "should", "set", "poised", "doomed"), 0.9),
    **dict.fromkeys(("finished", "expect", "expects", "expected", "anticipate"), 0.9),
    **dict.fromkeys(("likely", "probably", "favourite", "favorite", "odds", "believe"), 0.7),
    **dict.fromkeys(("even", "evens", "toss", "coin", "fifty", "50", "flip", "uncertain"), 0.5),
    **dict.fromkeys(("could", "can", "might", "may", "possibly", "perhaps", "maybe"), 0.4),
    **dict.fromkeys(("risk", "risks", "chance", "conceivable", "potential", "plausible"), 0.4),
    **dict.fromkeys(("doubt", "doubts", "doubtful", "improbable", "slim", "slight"), 0.2),
    **dict.fromkeys(("outside", "longshot", "unlikely", "hardly", "scarcely"), 0.1),
    **dict.fromkeys(("never", "cannot", "impossible", "inconceivable", "unthinkable"), 0.03),
    **dict.fromkeys(("nil", "zero", "remote"), 0.03),
}


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
            raise UnknownHedge(words, self.suggestions(words))
        return entry.probability

    @cached_property
    def _by_key(self) -> dict[str, HedgeEntry]:
        return {_normalise(entry.phrase): entry for entry in self.entries}

    def suggestions(self, words: str) -> list[str]:
        """Up to three phrases that mean what the words seem to: the same band of probability."""
        phrases = [entry.phrase for entry in self.entries]
        meant = _meaning_of(words)
        if meant is None:
            return [p for p in _FALLBACK_SUGGESTIONS if p in phrases] or phrases[:3]
        alike = [e for e in self.entries if _band(e.probability) == _band(meant)]
        alike.sort(key=lambda e: (abs(e.probability - meant), len(e.phrase), e.phrase))
        return [e.phrase for e in alike[:3]]


def _meaning_of(words: str) -> float | None:
    """The probability the first known head word in the words usually carries."""
    for word in re.findall(r"[\w']+", _normalise(words)):
        if (meant := _HEAD_WORDS.get(word)) is not None:
            return meant
    return None


def _band(probability: float) -> int:
    return next(i for i, floor in enumerate(_BANDS) if probability >= floor)


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
