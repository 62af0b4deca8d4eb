"""Probabilities (issue 14, deliverable 5): the strongest hedge on the main clause, numbers and
odds over words, a pick like 'expect', present-tense certainty like plain 'will'.
The values are the rules' (`rule_candidates`), before the learned decision keeps or drops them.

Expected values are the hindsight-v2 codebook's own figures (app/language/codebooks/
hindsight-v2.json: 'likely' 0.7, 'almost certainly' 0.95, 'cannot' 0.03, 'risks' 0.4) or the
arithmetic of the stated number ('1 in 5' = 0.2, '3-to-1' = 3/4), worked by hand.
"""

from datetime import date

import pytest

from app.extraction.extract import Candidate, rule_candidates

PUBLISHED = date(2025, 6, 2)


def only(sentence: str) -> Candidate:
    found = rule_candidates(sentence, published_at=PUBLISHED)
    assert len(found) == 1, [c.claim for c in found]
    return found[0]


@pytest.mark.parametrize(
    ("sentence", "p", "hedge"),
    [
        ("The housing bill will likely clear the upper house before the recess.", 0.7, "likely"),
        ("The central bank will almost certainly hold rates in July.", 0.95, "almost certainly"),
        ("Probably the strike will end by the weekend.", 0.75, "Probably"),
        ("The summit will very likely end without a communique.", 0.875, "very likely"),
        ("Copper may well test its record high this autumn.", 0.6, "may well"),
        ("Her second term is a foregone conclusion.", 0.97, "a foregone conclusion"),
    ],
)
def test_the_hedge_on_the_main_clause_gives_the_codebook_value(
    sentence: str, p: float, hedge: str
) -> None:
    found = only(sentence)
    assert (found.probability, found.probability_basis, found.hedge) == (p, "codebook", hedge)


@pytest.mark.parametrize(
    ("sentence", "p"),
    [
        ("The merger is a 50-50 proposition at this point.", 0.5),
        ("I'd call the runoff a 60/40 call in favour of the mayor.", 0.6),
        ("We put the odds of a snap election at 1 in 5.", 0.2),
        ("There is a 30% chance the pipeline is cancelled this year.", 0.3),
        ("The odds are 3-to-1 that the tariff is withdrawn by autumn.", 0.75),
        ("Our model has the Greens at 35% to hold the seat.", 0.35),
        ("We simulated the race and the challenger wins 68 times out of 100.", 0.68),
    ],
)
def test_a_number_in_the_text_wins_and_is_stated(sentence: str, p: float) -> None:
    found = rule_candidates(sentence, published_at=PUBLISHED)
    assert found, sentence
    assert (found[0].probability, found[0].probability_basis) == (pytest.approx(p), "stated")


def test_a_number_wins_over_a_hedge_in_the_same_clause() -> None:
    found = only("The deal will probably close, though I'd put it at 55% at best.")
    assert (found.probability, found.probability_basis) == (0.55, "stated")


def test_a_coin_toss_is_even_by_the_codebook() -> None:
    found = only("It's a coin toss whether the board approves the buyback.")
    assert (found.probability, found.hedge) == (0.5, "a coin toss")
    assert found.claim == "The board will approve the buyback."


@pytest.mark.parametrize(
    "sentence",
    [
        "My pick is Lyon over Porto.",
        "I'm taking the Bills -3.5 on Sunday.",
        "Give me Sinner in straight sets.",
        "Best Actress goes to Mara Quinn, and it won't be close.",
    ],
)
def test_a_pick_of_a_side_is_valued_like_expect(sentence: str) -> None:
    found = rule_candidates(sentence, published_at=PUBLISHED)[0]
    assert (found.probability, found.probability_basis, found.cue_kind) == (0.7, "codebook", "pick")
    assert "house rule" in found.reasons[1]


@pytest.mark.parametrize(
    "sentence",
    [
        "The incumbent is toast.",
        "This title race is over.",
        "The reform is dead in the water.",
        "They're not getting out of the group stage.",
    ],
)
def test_a_present_tense_certainty_idiom_is_plain_will(sentence: str) -> None:
    found = only(sentence)
    assert (found.probability, found.cue_kind) == (0.9, "present")
    assert " will " in found.claim


def test_cannot_turns_the_claim_round_at_one_minus_its_value() -> None:
    found = only("The coalition cannot survive another budget fight.")
    assert found.probability == pytest.approx(0.97)
    assert (found.claim, found.cue_kind) == (
        "The coalition will not survive another budget fight.",
        "cannot",
    )


def test_risks_is_a_possibility() -> None:
    found = only("The plan risks alienating the party's base.")
    assert (found.probability, found.cue_kind) == (0.4, "risks")


def test_a_doubt_with_a_present_clause_is_turned_round() -> None:
    found = only("I doubt the bill gets through the Senate this year.")
    assert found.probability == pytest.approx(0.75)
    assert found.claim == "The bill will not get through the Senate this year."


@pytest.mark.parametrize(
    ("sentence", "p", "claim"),
    [
        (
            "A cut this month would probably push the pound lower.",
            0.75,
            "A cut this month will push the pound lower.",
        ),
        (
            "A first-round exit for the champions would not surprise me.",
            0.6,
            "A first-round exit for the champions will come about.",
        ),
        (
            "I'd be surprised if the merger closed this year.",
            0.8,
            "The merger will not close this year.",
        ),
        (
            "The maths might flip if rates drop a full point, which I'd put at one chance in four.",
            0.25,
            "The maths will flip if rates drop a full point.",
        ),
        (
            "The ceasefire will, in all likelihood, hold until the spring.",
            0.75,
            "The ceasefire will hold until the spring.",
        ),
    ],
)
def test_the_hedge_on_would_and_the_authors_own_odds_set_the_value(
    sentence: str, p: float, claim: str
) -> None:
    found = only(sentence)
    assert (found.probability, found.claim) == (pytest.approx(p), claim)


def test_a_hedge_in_a_side_clause_does_not_count() -> None:
    found = only("Air conditioning use will double within five years, whatever the council thinks.")
    assert found.probability == 0.9
    assert found.claim == "Air conditioning use will double within five years."
