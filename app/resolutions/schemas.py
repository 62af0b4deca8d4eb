"""What the API takes and gives for verdicts, snoozes and proposed verdicts."""

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from app.auth.schemas import Email
from app.models import Outcome, Status
from app.predictions.schemas import Note, Reason, ResolutionPublic
from app.schemas import Day, Input, Page, Url


def _outcome_words(value: object) -> object:
    # JSON true/false mean what the strings "true"/"false" mean (issue 13).
    return str(value).lower() if isinstance(value, bool) else value


OutcomeIn = Annotated[Outcome, BeforeValidator(_outcome_words)]


class SnoozeIn(Input):
    """Put a due prediction off until a re-check date ("not knowable yet")."""

    until: Day
    reason: Reason


class ResolutionIn(Input):
    """A verdict. A second verdict must name the one it `supersedes`."""

    outcome: OutcomeIn = Field(description="`true`, `false` or `void` (JSON true/false too).")
    resolved_on: Day | None = Field(default=None, description="When it became known; today.")
    evidence_urls: list[Url] = Field(default_factory=list, max_length=20)
    note: Note | None = None
    supersedes: int | None = Field(default=None, ge=1, le=2**31 - 1)
    condition_met: bool | None = Field(
        default=None,
        description="Required on a conditional prediction (`conditional_on`), refused on "
        "others: `false` voids it (outcome `void` or left out).",
    )

    @model_validator(mode="before")
    @classmethod
    def _void_when_condition_failed(cls, data: Any) -> Any:
        # A failed condition decides the outcome (issue 13), so it may be left out.
        if isinstance(data, dict) and data.get("condition_met") is False:
            return data | {"outcome": data.get("outcome") or Outcome.void.value}
        return data

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "outcome": "true",
                    "resolved_on": "2025-12-31",
                    "evidence_urls": ["https://www.example.com/news/no-ceasefire"],
                    "note": "No ceasefire took effect in 2025.",
                }
            ]
        }
    )


class ResolutionResult(BaseModel):
    """A verdict and the prediction's status after it."""

    resolution: ResolutionPublic
    status: Status


class ProposalPublic(BaseModel):
    """A verdict an automated check proposes, for an editor to confirm or reject."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    prediction_id: int
    outcome: Outcome
    resolved_on: date
    evidence_url: str
    source: str
    status: str
    created_at: datetime
    decided_by_id: int | None
    decided_at: datetime | None


class RejectIn(Input):
    """Why a proposed verdict is wrong."""

    reason: Reason


ProposalsPage = Page[ProposalPublic]


class QueueItem(BaseModel):
    """A prediction awaiting its verdict."""

    id: int
    author: str
    claim: str
    resolve_by: date
    assignee: str | None = Field(
        description="The journalist to give the verdict: their display name (else the part of "
        "their email before @), shown to signed-in staff; always null for anonymous visitors."
    )
    overdue_days: int
    escalated: bool = Field(description="Overdue long enough for admins to hear of it.")


class AssignIn(Input):
    """Who is to give the verdict."""

    assignee: Email
    previous: str | None = Field(
        default=None,
        max_length=320,
        description='The assignee\'s email you last saw ("" for nobody): if it changed since, 409.',
    )


QueuePage = Page[QueueItem]
