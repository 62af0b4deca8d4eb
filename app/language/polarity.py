"""Does the claim state the event the quote's hedge is about, or its negation? (issue 13)

A hedge gives the probability of the event in its clause: "a peace agreement is almost
inconceivable" puts a peace agreement at 3%. A claim written as "No peace agreement is
signed" states the negation, so its probability is 97%. The reading counts negation cues
in the claim and in the quote's clause that carries the hedge (the hedge's own words left
out: "no chance" and "cannot" are already in its number), and gives up rather than guess
when a text holds more than one cue.
"""

import re
from dataclasses import dataclass
from typing import Literal

Polarity = Literal["same", "negated"]

_CUES = re.compile(
    r"(?<![\w'])(no|not|never|none|nobody|nothing|neither|nor|without|cannot|no longer|"
    r"fails? to|failed to|failing to|\w+n't)(?![\w'])",
    re.IGNORECASE,
)
# Hedges that assert the negated event ("Russia will not win": 90% that it does not).
_NEGATING_HEDGE = re.compile(r"\b(will|would|shall|is|are) not\b|\b(won|wouldn|isn|aren)'t\b")
_CLAUSES = re.compile(r"[.;:!?]|\s[-–—]\s|\s(?:but|whereas|although|though|while)\s", re.IGNORECASE)
# Idioms with a negation word that negate nothing.
_IDIOMS = re.compile(r"\b(whether or not|not only|no later than|no sooner)\b", re.IGNORECASE)
_LINK_WORDS = re.compile(
    r"\s*\b(is|are|was|were|seems|looks|remains|will be|would be|be)\s*$", re.IGNORECASE
)
_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})


@dataclass(frozen=True)
class Reading:
    """The verdict on polarity, the cues behind it, and what the hedge is said of."""

    polarity: Polarity | None
    claim_cues: tuple[str, ...]
    quote_cues: tuple[str, ...]
    subject: str

    @property
    def why(self) -> str:
        """The cues, in words, for an error message."""
        claim = ", ".join(f"'{c}'" for c in self.claim_cues) or "none"
        quote = ", ".join(f"'{c}'" for c in self.quote_cues) or "none"
        return f"negation in the claim: {claim}; in the quote's hedged clause: {quote}"


def cues(text: str) -> tuple[str, ...]:
    """The negation cues in the text, in order, lower case."""
    return tuple(m.group(1).lower() for m in _CUES.finditer(_IDIOMS.sub(" ", _fold(text))))


def read_polarity(*, claim: str, quote: str, hedge: str | None) -> Reading:
    """Compare the claim's negations with those of the clause carrying the hedge."""
    clause, before = _hedged_clause(_fold(quote), _fold(hedge) if hedge else None)
    quote_cues = cues(clause)
    if hedge and _NEGATING_HEDGE.search(_fold(hedge).lower()):
        quote_cues += ("not",)
    claim_cues = cues(claim)
    subject = _LINK_WORDS.sub("", before).strip(" ,\"'") if before else ""
    if len(claim_cues) > 1 or len(quote_cues) > 1:
        return Reading(None, claim_cues, quote_cues, subject)
    polarity: Polarity = "same" if len(claim_cues) == len(quote_cues) else "negated"
    return Reading(polarity, claim_cues, quote_cues, subject)


def occurs(hedge: str, quote: str) -> bool:
    """Whether the hedge is in the quote, whatever the case, curly quotes or spacing."""
    return _squash(hedge) in _squash(quote)


def _hedged_clause(quote: str, hedge: str | None) -> tuple[str, str]:
    """The clause holding the hedge with the hedge cut out, and the words before the hedge."""
    if hedge is None:
        return quote, ""
    found = re.search(re.escape(" ".join(hedge.split())), " ".join(quote.split()), re.I)
    if found is None:
        return quote, ""
    text = " ".join(quote.split())
    starts = [0, *(m.end() for m in _CLAUSES.finditer(text) if m.end() <= found.start())]
    ends = [m.start() for m in _CLAUSES.finditer(text) if m.start() >= found.end()]
    start, end = starts[-1], (ends[0] if ends else len(text))
    return text[start : found.start()] + " " + text[found.end() : end], text[start : found.start()]


def _fold(text: str) -> str:
    return text.translate(_QUOTES)


def _squash(text: str) -> str:
    return " ".join(_fold(text).casefold().split())
