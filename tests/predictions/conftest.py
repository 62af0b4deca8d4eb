"""Helpers for logging predictions through the API."""

from typing import Any

SOURCE = {
    "url": "https://www.example.com/2025/03/ceasefire-gamble",
    "title": "A ceasefire gamble",
    "outlet": {"name": "Example Review"},
    "published_at": "2025-03-14T09:00:00Z",
}


def prediction_body(**overrides: Any) -> dict[str, Any]:
    """A valid POST /predictions body, changed by the overrides.

    Another quote keeps the default hedge and claim only as the editor's reading
    (`hedge_from: editor`, `polarity: same`); tests of polarity send their own.
    """
    body: dict[str, Any] = {
        "author": {"name": "Andrew Latham"},
        "source": SOURCE,
        "quote": "practically guaranteeing that no ceasefire will materialize",
        "claim": "No general ceasefire between Russia and Ukraine takes effect before 2026.",
        "resolution_criteria": "FALSE if both governments agree a ceasefire holding 7 days.",
        "hedge": "practically guaranteeing",
        "resolve_by": "by the end of 2025",
        "tags": ["Ukraine", "ceasefire"],
    }
    if "quote" in overrides and "hedge" not in overrides:
        body |= {"hedge_from": "editor", "polarity": "same"}
    body.update(overrides)
    return {k: v for k, v in body.items() if v is not None}
