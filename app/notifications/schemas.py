"""Subscription and delivery bodies."""

from datetime import datetime
from typing import Annotated, Literal
from zoneinfo import available_timezones

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from app.auth.schemas import Email
from app.schemas import Input, Page, Slug, Tag, Url

Event = Literal[
    "digest.weekly", "prediction.due", "prediction.resolved", "prediction.logged", "log.checkpoint"
]
_DIGEST_ONLY: list[Event] = ["digest.weekly"]


def _known_zone(value: str) -> str:
    if value not in available_timezones():
        raise ValueError(f"unknown time zone '{value}': use an IANA name such as Europe/Paris")
    return value


TimeZone = Annotated[str, AfterValidator(_known_zone)]
Secret = Annotated[str, Field(pattern=r"^whsec_[A-Za-z0-9+/=]{16,}$", max_length=200)]


class SubscriptionCreate(Input):
    """An email address or a webhook to notify; without authors or tags, your own queue."""

    channel: Literal["email", "webhook"]
    address: Email | None = None
    url: Url | None = None
    secret: Secret | None = Field(default=None, description="whsec_…; generated when omitted.")
    events: list[Event] = Field(default_factory=lambda: _DIGEST_ONLY.copy(), min_length=1)
    authors: list[Slug] = Field(default_factory=list, max_length=100)
    tags: list[Tag] = Field(default_factory=list, max_length=100)
    timezone: TimeZone = "UTC"

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"channel": "email", "address": "desk@example.org", "events": ["digest.weekly"]},
                {
                    "channel": "webhook",
                    "url": "https://hooks.example.org/hindsight",
                    "events": ["prediction.resolved"],
                    "tags": ["ukraine"],
                },
            ]
        }
    )

    @model_validator(mode="after")
    def _target(self) -> "SubscriptionCreate":
        if self.channel == "email" and (self.address is None or self.url is not None):
            raise ValueError("an email subscription needs `address` (and no `url`)")
        if self.channel == "webhook" and (self.url is None or self.address is not None):
            raise ValueError("a webhook subscription needs `url` (and no `address`)")
        if self.channel == "email" and self.events != ["digest.weekly"]:
            raise ValueError(
                "email subscriptions receive the weekly digest: events must be ['digest.weekly']"
            )
        return self


class SubscriptionPublic(BaseModel):
    """A subscription; a webhook's secret is shown only when it is created."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    channel: str
    address: str | None
    url: str | None
    events: list[str]
    authors: list[str]
    tags: list[str]
    timezone: str
    active: bool
    created_at: datetime


class SubscriptionCreated(SubscriptionPublic):
    """A new subscription, with its webhook secret this once."""

    secret: str | None


class DeliveryPublic(BaseModel):
    """One webhook event's delivery state."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    event_id: str
    event_type: str
    status: str
    attempts: int
    next_attempt_at: datetime
    last_status_code: int | None
    last_error: str | None
    created_at: datetime
    delivered_at: datetime | None


class DigestPreview(BaseModel):
    """Exactly what the weekly digest would send to one recipient."""

    recipient: str
    week: str
    already_sent: bool
    subject: str
    text: str
    html: str


SubscriptionsPage = Page[SubscriptionPublic]
DeliveriesPage = Page[DeliveryPublic]
