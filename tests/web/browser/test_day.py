"""The whole day in a real browser (issue 15): sign in → the review queue → assign → confirm a
proposal → resolve another prediction with evidence → the digest preview shows both → the
author's page shows the new score. The data is seeded through the API on the fixture clock."""

import re
from datetime import date

from playwright.sync_api import Page, expect

from app.models import ProposedVerdict, Role
from tests.web.browser.conftest import Live, labelled, nav, sign_in

CEASEFIRE = "No general ceasefire between Russia and Ukraine takes effect before 2026."
OFFENSIVE = "The spring offensive stalls before the end of 2025."
EVIDENCE = "https://news.example.org/2025/12/offensive-advances"


def seed(live: Live) -> tuple[int, int, int]:
    """Two overdue forecasts by Andrew Latham and a check's proposal for the first."""
    ceasefire = live.log_prediction()  # "practically guaranteeing": 0.97 (hindsight-v2)
    offensive = live.log_prediction(
        quote="the spring offensive will stall", claim=OFFENSIVE, hedge=None, probability=0.8
    )
    with live.writing() as session:
        proposal = ProposedVerdict(
            prediction_id=ceasefire,
            outcome="true",
            resolved_on=date(2026, 11, 24),
            evidence_url="https://forecasts.example.org/q/ceasefire-2025",
            source="manifold",
            status="proposed",
            created_at=live.clock.now(),
        )
        session.add(proposal)
        session.commit()
        assert proposal.id is not None
        return ceasefire, offensive, proposal.id


def assign_to_me(page: Page, pid: int, email: str) -> None:
    item = page.locator(f"#item-{pid}")
    labelled(item, f"Assign #{pid} to").select_option(email)
    item.get_by_role("button", name="Assign").click()
    expect(page.get_by_role("status")).to_have_text(f"Prediction #{pid} assigned to {email}.")
    expect(page.locator(f"#item-{pid} .assignee")).to_contain_text("Assigned to editor by editor")


def test_a_whole_day_at_the_review_desk(live: Live, page: Page) -> None:
    ceasefire, offensive, _proposal = seed(live)
    email = live.user(Role.editor)
    sign_in(page, email)

    nav(page, "Review").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Review desk")
    queue = page.locator("ol.queue > li")
    expect(queue).to_have_count(2)
    # Both were due on 31 Dec 2025; 25 Nov 2026 is 329 days later (counted by hand).
    expect(queue.first).to_contain_text("329 days overdue")
    assign_to_me(page, ceasefire, email)
    assign_to_me(page, offensive, email)
    page.get_by_role("link", name="Assigned to me").click()
    expect(queue).to_have_count(2)

    page.get_by_role("button", name=f"Confirm true for #{ceasefire}").click()
    expect(page.get_by_role("status")).to_have_text(
        f"Verdict recorded on prediction #{ceasefire}: true."
    )
    expect(queue).to_have_count(1)

    page.get_by_role("link", name=re.compile(rf"^#{offensive} ")).click()
    expect(page).to_have_url(f"{live.url}/predictions/{offensive}")
    page.get_by_role("radio", name=re.compile("^False")).check()
    labelled(page, "Known on").fill("2026-11-25")
    labelled(page, "Evidence links").fill(EVIDENCE)
    labelled(page, "Note").fill("The offensive took two towns in December.")
    page.get_by_role("button", name="Record verdict").click()
    expect(page.get_by_role("status")).to_contain_text("Verdict recorded: false")

    nav(page, "Review").click()
    expect(page.locator("ol.queue")).to_have_count(0)
    page.get_by_role("link", name="My digest this week").click()
    preview = page.get_by_role("article", name="Digest preview")
    expect(preview).to_contain_text("Resolved this week")
    resolved = preview.inner_text().split("Resolved this week", 1)[1]
    assert CEASEFIRE in resolved
    assert OFFENSIVE in resolved

    page.goto("/authors/andrew-latham")
    record = page.get_by_role("region", name="Track record", exact=True)
    # Brier by hand: ((0.97 - 1)² + (0.8 - 0)²) / 2 = (0.0009 + 0.64) / 2 = 0.32045.
    expect(record).to_contain_text("Brier score 0.320")
    resolved_stat = record.locator("dl.stats > div").filter(
        has=page.locator("dt", has_text="Resolved")
    )
    expect(resolved_stat.locator("dd").first).to_have_text("2")
