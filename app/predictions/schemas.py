"""Prediction request and response bodies."""

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    computed_field,
    field_validator,
    model_validator,
)
from pydantic import Tag as Branch

from app import links
from app.authors.schemas import AuthorRef
from app.models import Basis, Outcome, Status
from app.predictions.questions import CheckError, api_url
from app.schemas import Input, Instant, Page, Tag, Url, forms
from app.sources.schemas import SourceCreate

Quote = Annotated[str, StringConstraints(min_length=1, max_length=5000, strip_whitespace=True)]
Claim = Annotated[str, StringConstraints(min_length=1, max_length=2000, strip_whitespace=True)]
Criteria = Annotated[str, StringConstraints(min_length=1, max_length=5000, strip_whitespace=True)]
Words = Annotated[str, StringConstraints(min_length=1, max_length=200, strip_whitespace=True)]
Reason = Annotated[str, StringConstraints(min_length=1, max_length=2000, strip_whitespace=True)]
Note = Annotated[str, StringConstraints(max_length=5000, strip_whitespace=True)]
QuestionKey = Annotated[str, StringConstraints(min_length=1, max_length=300, strip_whitespace=True)]
SourceId = Annotated[int, Field(ge=1, le=2**31 - 1)]
SOURCE_FORMS = (
    "give a source id (12), a recorded source's URL ('https://www.example.com/article') "
    'or an object {"url": ..., "title": ..., "outlet": ..., "published_at": ...}'
)
SourceRef = Annotated[
    Annotated[SourceId, Branch("by-id")]
    | Annotated[Url, Branch("by-text")]
    | Annotated[SourceCreate, Branch("by-object")],
    forms("source", SOURCE_FORMS, with_id=True),
]
Tags = Annotated[list[Tag], Field(max_length=20)]
HedgeFrom = Literal["quote", "editor"]
PolarityIn = Literal["same", "negated"]


def check_probability(value: float | None) -> float | None:
    """0..1, with a hint for percentages."""
    if value is None or 0.0 <= value <= 1.0:
        return value
    hint = f"; for {value:g}% send {value / 100:g}" if 1 < value <= 100 else ""
    raise ValueError(f"{value:g} is outside 0..1: give the probability as a fraction{hint}")


class CheckIn(Input):
    """A linked question on a public forecasting site that can propose the verdict."""

    kind: Literal["manifold", "metaculus"]
    url: Url = Field(description="The question's page, e.g. https://manifold.markets/USER/SLUG.")
    yes_means: Literal["true", "false"] = Field(
        default="true", description="`false` when the claim is the question's negation."
    )

    @model_validator(mode="after")
    def _readable(self) -> "CheckIn":
        try:
            api_url(self.kind, str(self.url))
        except CheckError as exc:
            raise ValueError(str(exc)) from None
        return self


class PredictionCreate(Input):
    """A forecast to log. Give `probability` or `hedge` words (mapped by the codebook)."""

    author: AuthorRef = Field(
        description="An author's slug, exact name (any case), or an object to create one."
    )
    source: SourceRef = Field(
        description="A source id, a recorded source's URL, or an object to record one."
    )
    quote: Quote = Field(description="The author's words, verbatim.")
    claim: Claim = Field(description="A falsifiable sentence: what counts as TRUE.")
    resolution_criteria: Criteria | None = None
    probability: float | None = Field(default=None, description="That the claim is true, 0..1.")
    probability_basis: Literal["stated", "editor"] | None = Field(
        default=None,
        description="With `probability`: `stated` (a number in the text) or `editor` "
        "(a journalist's reading). Guessed from the quote when omitted.",
    )
    hedge: Words | None = Field(
        default=None, description="Hedge words from the quote, e.g. 'almost certainly'."
    )
    hedge_from: HedgeFrom | None = Field(
        default=None, description="`editor` when the hedge is the journalist's, not the quote's."
    )
    polarity: PolarityIn | None = Field(
        default=None,
        description="`negated` when the claim states the opposite of what the hedge is about; "
        "read from the claim and the quote when omitted.",
    )
    reason: Reason | None = Field(
        default=None, description="Why an editor's probability departs from the quote's hedge."
    )
    made_at: Instant | None = Field(default=None, description="Defaults to the source's date.")
    resolve_by: Words = Field(description="An ISO date or words: 'by the end of 2026'.")
    conditional_on: Criteria | None = None
    question: QuestionKey | None = Field(
        default=None, description="A key shared by forecasts on the same question."
    )
    check: CheckIn | None = Field(default=None, description="A linked question to check.")
    tags: Tags = Field(default_factory=list)

    _probability = field_validator("probability")(check_probability)

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "author": "andrew-latham",
                    "source": {
                        "url": "https://www.example.com/2025/03/ceasefire-gamble",
                        "title": "Trump's ceasefire gamble",
                        "published_at": "2025-03-14T09:00:00Z",
                    },
                    "quote": "no ceasefire will materialize",
                    "claim": "No general ceasefire between Russia and Ukraine takes effect "
                    "before the end of 2025.",
                    "resolution_criteria": "FALSE if a ceasefire agreed by both governments "
                    "holds for 7 days before 2025-12-31.",
                    "hedge": "practically guaranteeing",
                    "resolve_by": "by the end of 2025",
                    "tags": ["ukraine", "ceasefire"],
                }
            ]
        }
    )


class PredictionUpdate(Input):
    """A correction: every change needs a reason and leaves a revision."""

    not_null = ("quote", "claim", "resolve_by", "tags", "reason")

    reason: Reason
    quote: Quote | None = None
    claim: Claim | None = None
    resolution_criteria: Criteria | None = None
    probability: float | None = None
    probability_basis: Literal["stated", "editor"] | None = None
    hedge: Words | None = None
    hedge_from: HedgeFrom | None = None
    polarity: PolarityIn | None = None
    resolve_by: Words | None = None
    conditional_on: Criteria | None = None
    tags: Tags | None = None

    _probability = field_validator("probability")(check_probability)


class WithdrawIn(Input):
    """Why a prediction logged in error is withdrawn."""

    reason: Reason


class ResolutionPublic(BaseModel):
    """A verdict with its evidence."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    prediction_id: int
    outcome: Outcome
    resolved_on: date
    evidence_urls: list[str]
    note: str | None
    resolved_by_id: int | None
    supersedes_id: int | None
    condition_met: bool | None = None
    created_at: datetime
    log_index: int | None = Field(
        default=None, description="This verdict's leaf in the Merkle log (/api/v1/log/entries)."
    )


class RevisionPublic(BaseModel):
    """One change to a prediction."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    action: str
    reason: str
    before: dict[str, Any]
    after: dict[str, Any]
    changed_by_id: int | None
    changed_at: datetime


class PredictionPublic(BaseModel):
    """A prediction as lists show it."""

    id: int
    log_index: int | None = Field(
        default=None,
        description="The leaf that logged it in the Merkle log: prove it with "
        "/api/v1/log/proof/inclusion?prediction_id=…",
    )
    author: str = Field(description="The author's slug.")
    author_name: str
    source_id: int
    source_url: str | None
    outlet: str | None
    quote: str
    claim: str
    resolution_criteria: str | None
    probability: float
    probability_basis: Basis
    hedge: str | None
    codebook_version: str | None
    probability_note: str | None = Field(
        default=None, description="How the probability was read, e.g. a negated claim."
    )
    polarity: str | None = None
    hedge_from: str | None = None
    made_at: datetime
    resolve_by: date
    horizon_text: str | None
    conditional_on: str | None
    question: str | None
    check: dict[str, Any] | None = Field(
        default=None, validation_alias=AliasChoices("resolution_check", "check")
    )
    tags: list[str]
    status: Status
    snoozed_until: date | None
    outcome: Outcome | None = Field(description="The current verdict, if any.")
    resolved_on: date | None
    logged_by_id: int | None
    created_at: datetime
    updated_at: datetime

    @computed_field(  # type: ignore[prop-decorator]
        description="`html`: the prediction's page, for a person; `self`: this record in the "
        "API, for a program; `author` and `author_html`: the author's, likewise. All start "
        "with HINDSIGHT_BASE_URL."
    )
    @property
    def links(self) -> dict[str, str]:
        return links.current().prediction(self.id, self.author)


class PredictionDetail(PredictionPublic):
    """A prediction with its full history."""

    revisions: list[RevisionPublic]
    resolutions: list[ResolutionPublic]


PredictionsPage = Page[PredictionPublic]

SortKey = Literal[
    "made_at", "-made_at", "resolve_by", "-resolve_by", "id", "-id", "author", "-author"
]


class ImportResult(BaseModel):
    """What an import wrote (or would write, on a dry run)."""

    rows: int
    predictions: int
    resolutions: int
    authors_created: int
    outlets_created: int
    sources_created: int
    dry_run: bool
    errors: list[dict[str, Any]]
