"""A small demo data set, written for Hindsight: fictional pundits, real-looking forecasts."""

import json
from datetime import date
from typing import Any

from sqlmodel import Session, select

from app.models import Source
from app.predictions import imports
from app.predictions.columns import Format

_LEDGER = {"outlet": "The Weekly Ledger"}
_REVIEW = {"outlet": "Northbridge Review"}
_RATES = {
    **_LEDGER,
    "source_url": "https://ledger.example.org/2024/11/rates-outlook",
    "source_title": "Where rates go from here",
    "published_at": "2024-11-04T08:00:00Z",
}
_ENERGY = {
    **_REVIEW,
    "source_url": "https://review.example.org/2025/01/energy-winter",
    "source_title": "Europe's energy winter is over",
    "published_at": "2025-01-20T07:30:00Z",
}
_CHIPS = {
    **_REVIEW,
    "source_url": "https://review.example.org/2025/02/chip-race",
    "source_title": "The chip race has a new leader",
    "published_at": "2025-02-11T10:00:00Z",
}
_TALKS = {
    **_LEDGER,
    "source_url": "https://ledger.example.org/2025/03/talks-stall",
    "source_title": "Why the talks will stall",
    "published_at": "2025-03-17T06:00:00Z",
}

ROWS: list[dict[str, Any]] = [
    {
        **_RATES,
        "author": "Daniel Osei",
        "quote": "the central bank will cut at least twice by mid-2025",
        "claim": "The Federal Reserve cuts its policy rate at least twice between 2024-11-04 and 2025-06-30.",
        "hedge": "will",
        "resolve_by": "by mid-2025",
        "tags": "economy;fed",
        "outcome": "false",
        "resolved_on": "2025-06-18",
        "evidence_url": "https://www.federalreserve.gov/",
        "note": "One cut in December 2024, none in H1 2025.",
    },
    {
        **_RATES,
        "author": "Daniel Osei",
        "quote": "inflation is likely to sit above 2.5% through 2025",
        "claim": "US CPI inflation (year on year) stays above 2.5% in every month of 2025.",
        "hedge": "likely",
        "resolve_by": "by the end of 2025",
        "tags": "economy;inflation",
        "outcome": "true",
        "resolved_on": "2026-01-14",
        "evidence_url": "https://www.bls.gov/cpi/",
    },
    {
        **_RATES,
        "author": "Daniel Osei",
        "quote": "a recession in 2025 is a real possibility, maybe one in three",
        "claim": "The NBER dates the start of a US recession in 2025.",
        "probability": "0.33",
        "resolve_by": "2026-12-31",
        "tags": "economy;recession",
    },
    {
        **_ENERGY,
        "author": "Marta Kovac",
        "quote": "gas prices will almost certainly stay below last winter's peak",
        "claim": "The Dutch TTF front-month gas price stays below EUR 100/MWh until 2025-03-31.",
        "hedge": "almost certainly",
        "resolve_by": "by the end of March 2025",
        "tags": "energy;europe",
        "outcome": "true",
        "resolved_on": "2025-03-31",
        "evidence_url": "https://www.ice.com/",
    },
    {
        **_ENERGY,
        "author": "Marta Kovac",
        "quote": "Germany is unlikely to restart a nuclear plant this decade",
        "claim": "Germany returns at least one shut-down nuclear reactor to commercial operation before 2030.",
        "hedge": "unlikely",
        "resolve_by": "this decade",
        "tags": "energy;germany",
    },
    {
        **_TALKS,
        "author": "Marta Kovac",
        "quote": "no ceasefire will hold before the summer",
        "claim": "No ceasefire between Russia and Ukraine holds for 30 days before 2025-08-31.",
        "hedge": "will",
        "resolve_by": "by the end of summer 2025",
        "tags": "ukraine;ceasefire",
        "outcome": "true",
        "resolved_on": "2025-09-01",
    },
    {
        **_TALKS,
        "author": "Marta Kovac",
        "quote": "a summit between the two presidents is probable within six months",
        "claim": "The US and Russian presidents meet in person within six months of 2025-03-17.",
        "hedge": "probable",
        "resolve_by": "within six months",
        "tags": "ukraine;diplomacy",
        "outcome": "true",
        "resolved_on": "2025-08-15",
        "evidence_url": "https://en.wikipedia.org/wiki/2025_Russia%E2%80%93United_States_summit",
    },
    {
        **_CHIPS,
        "author": "Priya Raman",
        "quote": "there's a 60% chance a 2nm phone chip ships by Q3 2026",
        "claim": "A smartphone with a 2 nm-class system-on-chip is on sale to consumers by 2026-09-30.",
        "probability": "0.6",
        "resolve_by": "by Q3 2026",
        "tags": "technology;chips",
    },
    {
        **_CHIPS,
        "author": "Priya Raman",
        "quote": "export controls will probably be tightened again next year",
        "claim": "The US publishes new semiconductor export-control rules in 2026.",
        "hedge": "probably",
        "resolve_by": "next year",
        "tags": "technology;policy",
    },
    {
        **_CHIPS,
        "author": "Priya Raman",
        "quote": "the merger is highly unlikely to clear regulators",
        "claim": "The announced chip-design merger receives every required antitrust approval by 2025-12-31.",
        "hedge": "highly unlikely",
        "resolve_by": "by the end of 2025",
        "tags": "technology;antitrust",
        "outcome": "false",
        "resolved_on": "2025-12-31",
    },
]


def load(*, session: Session, today: date) -> str:
    """Import the demo rows unless they are there already; says what happened."""
    if session.exec(select(Source.id).where(Source.url == _RATES["source_url"])).first():
        return "the demo data is loaded already"
    data = "\n".join(json.dumps(row) for row in ROWS).encode()
    report = imports.import_predictions(
        session=session, data=data, fmt=Format.jsonl, user_id=None, today=today
    )
    return (
        f"loaded {report.predictions} demo predictions ({report.resolutions} resolved) by "
        f"{report.authors_created} authors from {report.sources_created} articles"
    )
