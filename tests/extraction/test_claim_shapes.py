"""Recurring shapes of commentary, and the claim each is rewritten into (guidelines section 7).

Sentences written for these tests in the voice of commentary; none is copied from the corpus.
"""

from datetime import date

import pytest

from app.extraction.claims import _clause_text
from app.extraction.cues import Cue
from app.extraction.extract import extract
from app.extraction.verbforms import base, will_clause

PUBLISHED = date(2025, 3, 14)


def claims_of(sentence: str) -> list[str]:
    return [c.claim for c in extract(sentence, published_at=PUBLISHED, parser=None)]


@pytest.mark.parametrize(
    ("sentence", "claim"),
    [
        (
            "Management's guidance implies revenue of $4bn for the full year.",
            "Revenue will be $4bn for the full year.",
        ),
        (
            "The new guidance implies full-year revenue of $4.2 billion.",
            "Full-year revenue will be $4.2 billion.",
        ),
        ("Our base case is revenue growth of 6% in 2026.", "Revenue growth will be 6% in 2026."),
        (
            "Our base case is a full-year loss of $900 million.",
            "The full-year loss will be $900 million.",
        ),
        ("Our base case is two cuts this year.", "There will be two cuts this year."),
    ],
)
def test_an_amount_of_a_measure_is_what_the_measure_will_be(sentence: str, claim: str) -> None:
    assert claims_of(sentence) == [claim]


@pytest.mark.parametrize(
    ("sentence", "claim"),
    [
        ("The model has Labour at 62%.", "Labour will win."),
        ("The model has Labour at 62% to win Hartlepool.", "Labour will win Hartlepool."),
        ("Our model puts the Democrats at 224 seats.", "The Democrats will win 224 seats."),
    ],
)
def test_a_model_reading_is_a_claim_about_the_contest(sentence: str, claim: str) -> None:
    assert claims_of(sentence) == [claim]


@pytest.mark.parametrize(
    ("clause", "rewritten"),
    [
        ("Arsenal win the league", "Arsenal will win the league"),
        ("the Knicks make the conference finals", "the Knicks will make the conference finals"),
        ("the index doesn't make a new high", "the index will not make a new high"),
        ("fire danger across the north", "fire danger across the north"),
        ("a type 2 diagnosis", "a type 2 diagnosis"),
    ],
)
def test_a_claim_clause_reads_its_present_verb_as_will(clause: str, rewritten: str) -> None:
    assert will_clause(clause) == rewritten


def test_the_base_of_a_verb_in_aging_keeps_its_e() -> None:
    assert [base(v) for v in ("averaging", "managing", "dragging")] == ["average", "manage", "drag"]


@pytest.mark.parametrize(
    ("sentence", "claim"),
    [
        ("I'd be surprised if the Fed cuts before June.", "The Fed will not cut before June."),
        ("I'd be amazed if Arsenal win the league.", "Arsenal will not win the league."),
        (
            "I'd be surprised if the index doesn't make a new high this year.",
            "The index will make a new high this year.",
        ),
        (
            "I wouldn't be shocked if the Knicks make the conference finals.",
            "The Knicks will make the conference finals.",
        ),
        ("It would surprise me if the ECB moves in April.", "The ECB will not move in April."),
        (
            "I would not be surprised to see Brent at $100 by Christmas.",
            "Brent will be at $100 by Christmas.",
        ),
        (
            'I wouldn\'t be surprised to see the veteran from "Harbour Lights" take it.',
            'The veteran from "Harbour Lights" will take it.',
        ),
    ],
)
def test_the_clause_after_surprised_if_becomes_a_will_claim(sentence: str, claim: str) -> None:
    assert claims_of(sentence) == [claim]


@pytest.mark.parametrize(
    ("sentence", "claim"),
    [
        ("The incumbent is toast.", "The incumbent will lose."),
        ("This race is over.", "The current leader will win this race."),
        ("The Lakers are done.", "The Lakers will lose."),
        ("My pick is Lyon over Porto.", "Lyon will beat Porto."),
        ("Give me the under.", "The combined score will stay under the posted total."),
        ("The deal is a lock.", "The deal will go ahead."),
        ("A June cut is nailed on.", "A June cut will come about."),
        ("Arsenal are nailed on for the top four.", "Arsenal will finish in the top four."),
        ("Villa are a lock for the playoffs.", "Villa will make the playoffs."),
        ("The Celtics are a lock.", "The Celtics will win."),
    ],
)
def test_an_idiom_or_a_pick_becomes_a_will_claim(sentence: str, claim: str) -> None:
    assert claims_of(sentence) == [claim]


@pytest.mark.parametrize(
    ("sentence", "claim"),
    [
        (
            "In its new forecast, the bank sees inflation averaging 2.1% in 2026.",
            "Inflation will average 2.1% in 2026.",
        ),
        (
            "Our climate projections show coral spawning events shifting earlier by the 2050s.",
            "Coral spawning events will shift earlier by the 2050s.",
        ),
        (
            "On current trends, the number of licensed taxis is projected to fall below 9,000.",
            "The number of licensed taxis will fall below 9,000.",
        ),
    ],
)
def test_a_projection_names_what_will_happen_not_who_sees_it(sentence: str, claim: str) -> None:
    assert claims_of(sentence) == [claim]


@pytest.mark.parametrize(
    ("sentence", "claim"),
    [
        (
            "In our scenarios the treaty survives through 2027 with a probability of roughly 70%.",
            "The treaty will survive through 2027.",
        ),
        (
            "Bookmakers make the former governor, Tomas Brandt, a 1-to-3 favourite, which implies "
            "a chance of about 75%.",
            "Tomas Brandt will win.",
        ),
        (
            "Bookmakers have Japan as 5/4 favourites to retain the trophy, implying a chance of "
            "around 44%.",
            "Japan will retain the trophy.",
        ),
        (
            "Pollsters put the senator's chances of winning the primary outright at roughly two "
            "in three.",
            "The senator will win the primary outright.",
        ),
    ],
)
def test_a_stated_chance_leaves_its_odds_wording_out_of_the_claim(
    sentence: str, claim: str
) -> None:
    assert claims_of(sentence) == [claim]


@pytest.mark.parametrize(
    ("sentence", "claim"),
    [
        (
            "If the Fed cuts twice by June, as futures now imply, the recovery will look solid.",
            "The recovery will look solid.",
        ),
        (
            "Unless the board relents, which nobody in the building expects, the strike will run "
            "into March.",
            "The strike will run into March.",
        ),
        (
            'She was blunt: "Within two years, half of these start-ups will be gone."',
            "Within two years, half of these start-ups will be gone.",
        ),
        (
            '"Shortages? No. But prices will double by the winter," he told me.',
            "Prices will double by the winter.",
        ),
        (
            "The levy would raise perhaps £3 billion a year by the end of the decade.",
            "The levy will raise about £3 billion a year by the end of the decade.",
        ),
        (
            "The peso will hit 20 to the dollar 'by the summer, maybe sooner'.",
            "The peso will hit 20 to the dollar 'by the summer'.",
        ),
    ],
)
def test_asides_quotes_and_hedges_around_the_clause_are_dropped(sentence: str, claim: str) -> None:
    assert claims_of(sentence) == [claim]


@pytest.mark.parametrize(
    ("sentence", "claim"),
    [
        (
            "Scrapping the toll, as the mayor is said to want, would push traffic back onto the "
            "ring road.",
            "Scrapping the toll will push traffic back onto the ring road.",
        ),
        (
            "A windfall tax, which the opposition has floated, will drive investment offshore.",
            "A windfall tax will drive investment offshore.",
        ),
        (
            "Should the rains fail again, the harvest will come in a fifth below last year's.",
            "The harvest will come in a fifth below last year's.",
        ),
        (
            "A second strike would close the port for a week and would cost exporters dearly.",
            "A second strike will close the port for a week and will cost exporters dearly.",
        ),
    ],
)
def test_a_claim_leaves_out_other_views_the_condition_and_would(sentence: str, claim: str) -> None:
    assert claims_of(sentence) == [claim]


@pytest.mark.parametrize(
    ("sentence", "claim"),
    [
        ("I'd be surprised if the Fed cuts in May.", "The Fed will not cut in May."),
        (
            "Don't be surprised if the bill clears the Lords in May.",
            "The bill will clear the Lords in May.",
        ),
        (
            'The panel would "reward ambition over polish", the chair said.',
            'The panel will "reward ambition over polish".',
        ),
    ],
)
def test_the_month_of_may_and_a_quoted_verb_phrase_keep_the_will_claim(
    sentence: str, claim: str
) -> None:
    assert claims_of(sentence) == [claim]


def test_a_hedge_adverb_before_a_present_verb_reads_will() -> None:
    assert will_clause("the Fed cuts in May") == "the Fed will cut in May"
    text = "the top of the ticket probably drags the House seat along"
    hedge = Cue("hedge", 22, 30, "probably", "probably", 0.75)
    assert _clause_text(text, 0, len(text), hedge, hedge, None) == (
        "the top of the ticket will drag the House seat along"
    )


@pytest.mark.parametrize(
    ("sentence", "claim"),
    [
        (
            "Boston's odds of making the playoffs have slipped to 58%.",
            "Boston will make the playoffs.",
        ),
        (
            "The projection for gilt yields is less exciting: the ten-year ends the year close "
            "to 4.1%.",
            "The ten-year will end the year close to 4.1%.",
        ),
    ],
)
def test_odds_that_moved_and_a_judgement_before_a_colon_give_the_event(
    sentence: str, claim: str
) -> None:
    assert claims_of(sentence)[:1] == [claim]


@pytest.mark.parametrize(
    ("sentence", "claim"),
    [
        (
            "Our base case is that the league moves the final to a neutral venue next season.",
            "The league will move the final to a neutral venue next season.",
        ),
        (
            "If exports keep running above 1,500,000 tonnes a month, the surplus will double.",
            "The surplus will double.",
        ),
        ("I'd call it 70/30 Marlow, with the rest of the field nowhere.", "Marlow will win."),
    ],
)
def test_a_present_clause_a_number_in_a_condition_and_a_ratio_pick(
    sentence: str, claim: str
) -> None:
    assert claims_of(sentence) == [claim]


def test_a_plural_noun_before_its_verb_is_not_read_as_the_verb() -> None:
    assert will_clause("the offshore projects in the north are out of this round") == (
        "the offshore projects in the north will be out of this round"
    )
