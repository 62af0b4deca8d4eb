"""Recall (issue 14): forecasts without a future modal become candidates, each marked with the
rule that proposed it (`cue_kind`), and the forecast is given to whoever the text says holds it.

The rules propose generously (the learned decision filters), so these tests read the rules'
own candidates (`rule_candidates`) as well as `extract()` on rules alone.
"""

from datetime import date

import pytest

from app.extraction.extract import extract, rule_candidates

PUBLISHED = date(2025, 9, 1)


def only_claim(sentence: str) -> tuple[str, float]:
    """The claim and probability of the one candidate the rules propose in a sentence."""
    (found,) = rule_candidates(sentence, published_at=PUBLISHED)
    return found.claim, found.probability


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("Face it: the incumbent is toast.", "present"),
        ("This title race is over, and everyone at the club knows it.", "present"),
        ("They're not getting out of the first round with that back four.", "present"),
        ("Rates aren't coming back down this year.", "present"),
        ("Alcaraz wins this in five sets.", "present"),
        ("Leeds are going straight back down.", "present"),
        ("The leasehold reform is going nowhere before the election.", "present"),
        ("I think the truce holds until the spring.", "present"),
        ("Four: US crude output peaks at 13.8 million barrels a day in 2027.", "present"),
        ("There is no scenario in which the Selic comes down this year.", "hedge"),
        ("My pick is Lyon over Porto.", "pick"),
        ("I'm taking the over.", "pick"),
        ("Nuggets in six.", "pick"),
        ("I like the Rams to cover at home.", "pick"),
        ("Best Director goes to Anya Petrov.", "pick"),
        ("Brent ends the year north of $90, in our view.", "target"),
        ("The target is 5,200.", "target"),
        ("We target $4.50 for the Henry Hub contract by the fourth quarter.", "target"),
        ("We see the index at 5,200 by year-end.", "projection"),
        ("Our base case is two cuts this year.", "projection"),
        ("Our central scenario for 2026 is a shallow recession.", "projection"),
        ("The model has the Social Alliance winning 148 seats.", "projection"),
        ("Our model has the Conservatives at 55%.", "number"),
        ("It's a 60/40 call in favour of the Democrats.", "number"),
        ("A cut this month would reignite inflation.", "would"),
        ("The plan risks alienating the party's base.", "risks"),
        ("The coalition cannot survive another budget fight.", "cannot"),
        ("Her re-election is a foregone conclusion.", "foregone"),
    ],
)
def test_a_forecast_without_will_is_a_candidate_of_its_kind(sentence: str, kind: str) -> None:
    found = rule_candidates(sentence, published_at=PUBLISHED)
    assert [c.cue_kind for c in found] == [kind], [(c.cue_kind, c.claim) for c in found]


@pytest.mark.parametrize(
    "sentence",
    [
        "The war is over, and the rebuilding has begun.",  # 'over' of no contest
        "I'm taking a few days off next week.",  # 'taking' no side
        "Markets are falling this morning.",  # a present description, not negated
        "We see no reason to change the forecast.",  # 'see no'
        "The project will be reviewed by the board.",  # 'project' the noun: a plain modal
        "Two: sales fell 3% last year.",  # a list item in the past
        "If they had acted sooner, prices would have fallen.",  # a counterfactual
    ],
)
def test_look_alikes_do_not_get_the_new_cues(sentence: str) -> None:
    kinds = {c.cue_kind for c in rule_candidates(sentence, published_at=PUBLISHED)}
    assert not kinds & {"present", "pick", "target", "projection"}


@pytest.mark.parametrize(
    ("sentence", "who"),
    [
        ("Growth will slow to 1% next year, according to the IMF.", "the IMF"),
        ("Analysts at Goldman see the dollar weakening into the summer.", "Analysts at Goldman"),
        ("Her campaign expects to win Ohio.", "Her campaign"),
        ("'We will win the league,' the coach said.", "the coach"),
        ("Most economists expect two more hikes before Christmas.", "Most economists"),
        ("She thinks the standoff ends with a quiet withdrawal.", "She"),
        (
            "09:15 – Weather officers give an 80 percent chance of a launch today.",
            "Weather officers",
        ),
        ("Futures markets are pricing two cuts this year.", "Futures markets"),
        ("Finland, she thinks, will host a brigade within five years.", "she"),
        ("She is blunt: 'The ruling family is not going to allow an open vote.'", "She"),
        ("'Consolidation will come,' he says, 'the only question is who buys whom.'", "he"),
        ("The trade body is upbeat, predicting growth of 4% next year.", "The trade body"),
        ("Prices will fall, she told me on the bridge.", "she"),
    ],
)
def test_a_forecast_the_text_gives_to_someone_else_is_attributed(sentence: str, who: str) -> None:
    found = rule_candidates(sentence, published_at=PUBLISHED)
    assert [c.attributed_to for c in found] == [who]


@pytest.mark.parametrize(
    "sentence",
    [
        "I expect the bill to pass.",
        "We see the index at 5,200 by year-end.",
        "My pick is Lyon over Porto.",
        "Brent ends the year north of $90, in our view.",
        "Our rental model, which links rents to completions, projects growth slowing to 4.5%.",
        "Air conditioning use will double within five years, whatever the council thinks.",
    ],
)
def test_the_authors_own_forecast_is_not_attributed(sentence: str) -> None:
    assert [c.attributed_to for c in rule_candidates(sentence, published_at=PUBLISHED)] == [None]


def test_a_condition_is_kept_apart_from_the_claim() -> None:
    found = extract(
        "If the Fed cuts in March, the dollar will fall.", published_at=PUBLISHED, parser=None
    )
    assert [(c.claim, c.conditional_on) for c in found] == [
        ("The dollar will fall.", "the Fed cuts in March")
    ]


def test_a_target_claim_names_the_year_and_stays_checkable() -> None:
    (found,) = rule_candidates(
        "Brent ends the year north of $90, in our view.", published_at=PUBLISHED
    )
    assert found.claim == "Brent will end 2025 above $90."


@pytest.mark.parametrize(
    ("sentence", "claim", "probability"),
    [
        ("Honestly, Harker 5-2.", "Harker will win 5-2.", 0.7),
        ("LENA: Sweden by fifty points.", "Sweden will win by fifty points.", 0.7),
        ("The title is Lech's to lose.", "Lech will win the title.", 0.7),
        ("With inflation at 34%, another hike is a given.", "Another hike will go ahead.", 0.97),
        (
            "The court is not expected to rule before 2026.",
            "The court will not rule before 2026.",
            0.7,
        ),
        (
            "Sales are not forecast to recover until 2027.",
            "Sales will not recover until 2027.",
            0.9,
        ),
        ("We look for 75 bp of cuts this year.", "There will be 75 bp of cuts this year.", 0.7),
    ],
)
def test_picks_favourites_and_denied_expectations_are_stated_as_claims(
    sentence: str, claim: str, probability: float
) -> None:
    # The values are the guideline's: a pick or "X's to lose" 0.7, "a given" as "certain" 0.97,
    # "expected" 0.7, "forecast to" a plain 'will' 0.9 (docs/extraction-guidelines.md, R-p).
    assert only_claim(sentence) == (claim, probability)


@pytest.mark.parametrize(
    "sentence",
    [
        "FT: Arsenal 2-1.",  # a result
        "Labour won the seat by 2,000 votes in 2019.",
        "Sales rose 4% in March, Tesco's by 5%.",
    ],
)
def test_results_and_past_margins_are_no_picks(sentence: str) -> None:
    assert not rule_candidates(sentence, published_at=PUBLISHED)


@pytest.mark.parametrize(
    ("sentence", "claim", "probability"),
    [
        (  # reported speech shifts tense: "was likely" is her "is likely" (R-attr, R-p 2)
            "Opposition lawmakers said the increase was likely to be scaled back next year.",
            "The increase will be scaled back next year.",
            0.7,
        ),
        (
            "Analysts said prices were on course to exceed $100 by year-end.",
            "Prices will exceed $100 by year-end.",
            0.7,
        ),
        (  # an epistemic "should" with a time and nobody addressed (guideline, section 4)
            "Digital media should pass half of all advertising spending in 2026.",
            "Digital media will pass half of all advertising spending in 2026.",
            0.7,
        ),
        (
            "A judgement against Poland is almost sure to arrive before the end of next year.",
            "A judgement against Poland will arrive before the end of next year.",
            0.97,
        ),
        (
            "A price undertaking, which Beijing has pushed for, remains the most likely outcome.",
            "A price undertaking will happen.",
            0.7,
        ),
        (
            "Finance directors are budgeting for a 10% drop in intake this September.",
            "There will be a 10% drop in intake this September.",
            0.7,
        ),
        (
            "The betting among shippers is that the union walks out on Tuesday.",
            "The union will walk out on Tuesday.",
            0.7,
        ),
    ],
)
def test_reported_and_working_assumptions_are_read_as_forecasts(
    sentence: str, claim: str, probability: float
) -> None:
    # Values from the guideline's table: "likely", "on course to", epistemic "should", "most
    # likely", "pencilling in" 0.7; "sure" as "certain" 0.97 (docs/extraction-guidelines.md, R-p).
    assert only_claim(sentence) == (claim, probability)


@pytest.mark.parametrize(
    "sentence",
    [
        "Investors should trim risk before the summer.",  # advice: an addressee
        "She said last year the deal was done.",  # reported, but past and no hedge
        "Ministers should not wait until 2026.",
    ],
)
def test_advice_and_past_reports_get_no_should_or_backshift_cue(sentence: str) -> None:
    assert not rule_candidates(sentence, published_at=PUBLISHED)


@pytest.mark.parametrize(
    ("sentence", "claim", "probability"),
    [
        # A line taken is a pick (0.7); a bare American price is its implied chance, +220 →
        # 100/320, and decimal odds d are 1/d (docs/extraction-guidelines.md, writers R and U).
        ("Knicks +4.5 tonight.", "Knicks will cover the +4.5 spread.", 0.7),
        (
            "Houston -2.5 over Pittsburgh on Saturday.",
            "Houston will cover the -2.5 spread against Pittsburgh on Saturday.",
            0.7,
        ),
        (
            "Dante Reyes over 64.5 receiving yards (-115, 1.5u).",
            "Dante Reyes will go over 64.5 receiving yards.",
            0.7,
        ),
        ("Troy Abernathy anytime touchdown (+220, 0.5u).", "Troy Abernathy will score.", 0.312),
        ("The Proteas are 1.40 with most bookmakers.", "The Proteas will win.", 0.714),
        ("India to win 3-1.", "India will win 3-1.", 0.7),
        (
            "I fancy them to edge the title this season.",
            "They will edge the title this season.",
            0.7,
        ),
        ("Sydney are a good thing here.", "Sydney will win.", 0.7),
    ],
)
def test_tipsters_lines_prices_and_picks_are_read(
    sentence: str, claim: str, probability: float
) -> None:
    assert only_claim(sentence) == (claim, probability)


@pytest.mark.parametrize(
    "sentence",
    [
        "Odds via FanDuel and BetMGM; please bet responsibly. 21+.",
        "Premier League Week 35 Betting Preview: Three Picks for American Bettors",
        "Lines from ESPN BET, Thursday 10 a.m. ET.",
        "Over 14: Somerset 112-3.",  # a live score, not a pick
        "Key risks: a sustained fall in the bitcoin price.",
        "Revenue rose to $1.45 a share.",
    ],
)
def test_page_text_scores_and_labels_are_no_forecasts(sentence: str) -> None:
    assert not rule_candidates(sentence, published_at=PUBLISHED)
