"""Extraction request and response bodies."""

from datetime import date
from typing import Any

from pydantic import BaseModel, Field, field_validator, model_validator

from app.predictions.schemas import Criteria, Words, check_probability
from app.schemas import Input, Instant, Name, Tag, Url
from app.sources.schemas import ArticleText, SourceDetail, Title


class ExtractIn(Input):
    """An article's text, its URL, or both (a paywalled article pasted with its address).

    The same text (by SHA-256) or the same URL reuses the source already archived.
    The author and outlet are remembered for accepted candidates.
    """

    text: ArticleText | None = Field(default=None, description="The article's text.")
    url: Url | None = Field(
        default=None, description="Its address: fetched and archived unless `text` is given."
    )
    title: Title | None = Field(default=None, description="The article's headline.")
    author: Name | None = Field(default=None, description="The author's slug or name.")
    outlet: Name | None = Field(default=None, description="The outlet's slug or name.")
    published_at: Instant | None = Field(default=None, description="Deadlines count from it.")

    @field_validator("text")
    @classmethod
    def _has_words(cls, text: str | None) -> str | None:
        if text is not None and not text.strip():
            raise ValueError("`text` is empty: paste the article's words, or send `url` alone")
        return text

    @model_validator(mode="after")
    def _some_source(self) -> "ExtractIn":
        if self.text is None and self.url is None:
            raise ValueError("give `text` (the article's words), `url`, or both")
        return self


class CandidateOut(BaseModel):
    """A forecast found in the text, for a journalist to accept, edit or reject."""

    n: int
    status: str
    sentence: str
    start: int = Field(description="Offset of the sentence in the archived text.")
    end: int
    span: str = Field(description="The words carrying the forecast: the quote to log.")
    claim: str
    hedge: str | None
    probability: float
    probability_basis: str
    horizon_text: str | None
    resolve_by: date | None
    no_horizon_reason: str | None
    conditional_on: str | None
    attributed_to: str | None
    confidence: float
    reasons: list[str]
    cue_kind: str | None = Field(
        default=None,
        description="Which rule proposed it: modal, verb, idiom, hedge, number, present, pick, "
        "target, projection, would, risks, cannot, foregone, ...; sentence: no rule fired, and the "
        "sentence model reads it as a forecast (its claim is the sentence as written)",
    )
    prediction_id: int | None


class ExtractOut(BaseModel):
    """The archived source and the candidates found in it."""

    source: SourceDetail
    candidates: list[CandidateOut]


class AcceptIn(Input):
    """Optional edits before the candidate becomes a prediction."""

    author: Name | None = Field(default=None, description="Needed unless given at extraction.")
    claim: Criteria | None = None
    probability: float | None = None
    resolve_by: Words | None = Field(default=None, description="An ISO date or words.")
    criteria: Criteria | None = None
    tags: list[Tag] = Field(default_factory=list, max_length=20)
    as_author_of_source: bool = Field(
        default=False,
        description="Log a candidate the article attributes to someone else as the source's "
        "author's forecast; needs `reason`.",
    )
    reason: Criteria | None = Field(
        default=None, description="Why the source's author owns an attributed forecast."
    )
    _probability = field_validator("probability")(check_probability)


class RejectCandidateIn(Input):
    """Why the candidate is not a forecast worth logging (kept to improve the extractor)."""

    reason: Criteria


def candidate_out(row: Any) -> CandidateOut:
    """The stored candidate as the API shows it."""
    return CandidateOut(n=row.n, status=row.status, prediction_id=row.prediction_id, **row.data)
