"""Forecast extraction: the example op-ed, offsets, negation and hedges, filters, deadlines."""

import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.extraction.extract import NO_HORIZON, Candidate, extract
from app.extraction.sentences import split_sentences
from tests.conftest import shared_path

PUBLISHED = date(2025, 3, 14)
DEV_SET = Path(__file__).resolve().parent.parent / "data" / "extraction-dev.jsonl"


@pytest.fixture(scope="module")
def op_ed() -> str:
    return shared_path("examples", "seed-op-ed.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def op_ed_found(op_ed: str) -> list[Candidate]:
    return extract(op_ed, published_at=PUBLISHED)


def one(found: list[Candidate], words: str) -> Candidate:
    """The single candidate whose quoted span contains the words."""
    hits = [c for c in found if words in c.span]
    assert len(hits) == 1, [c.span for c in found]
    return hits[0]


def only(sentence: str) -> Candidate:
    """The single candidate of a one-sentence text."""
    found = extract(sentence, published_at=PUBLISHED)
    assert len(found) == 1, found
    return found[0]


# The example op-ed (someone else's text, read from ../shared; skipped when absent).


def test_op_ed_peace_agreement_almost_inconceivable_is_a_claim_that_none_comes(
    op_ed_found: list[Candidate],
) -> None:
    found = one(op_ed_found, "almost inconceivable")
    assert found.claim.startswith("No peace agreement")
    assert found.probability == pytest.approx(0.97)
    assert found.probability_basis == "codebook"
    assert found.hedge == "almost inconceivable"


def test_op_ed_no_ceasefire_keeps_its_negation_at_the_hedge_value(
    op_ed_found: list[Candidate],
) -> None:
    found = one(op_ed_found, "no ceasefire will materialize")
    assert found.claim == "No ceasefire will materialize."
    assert found.probability == pytest.approx(0.97)
    assert found.hedge == "practically guaranteeing"


def test_op_ed_it_wont_is_the_claim_that_the_strategy_fails(op_ed_found: list[Candidate]) -> None:
    found = one(op_ed_found, "it won’t")
    assert "strategy will not succeed" in found.claim
    assert found.probability == pytest.approx(0.9)
    assert found.span.startswith("whether or not")


def test_op_ed_russia_will_consolidate_its_gains(op_ed_found: list[Candidate]) -> None:
    found = one(op_ed_found, "consolidate its gains, pushing")
    assert "Russia will consolidate its gains" in found.claim
    assert found.attributed_to is None


def test_op_ed_putin_takes_what_he_can_get_if_the_us_offers_incentives(
    op_ed_found: list[Candidate],
) -> None:
    found = one(op_ed_found, "take what he can get")
    assert found.claim.startswith("Putin will take what he can get")
    assert found.conditional_on is not None
    assert found.conditional_on.startswith("the U.S. offers Russia incentives")


def test_op_ed_what_putin_believes_is_attributed_to_putin(op_ed_found: list[Candidate]) -> None:
    found = one(op_ed_found, "grind down")
    assert found.attributed_to == "Putin"
    assert one(op_ed_found, "patience will eventually wear thin").attributed_to == "Putin"


@pytest.mark.parametrize(
    "opening",
    [
        "Compounding this impasse",
        "The war is not just a dispute over borders",
        "Putin has spent years preparing",
        "Russia’s ongoing Kursk offensive",
        "Trump’s approach has already failed",
        "If Trump truly wants",  # advice: "he will have to"
        "The only question now is how long",  # indirect questions
    ],
)
def test_op_ed_analysis_of_the_present_yields_no_candidate(
    op_ed_found: list[Candidate], opening: str
) -> None:
    assert not [c for c in op_ed_found if c.sentence.startswith(opening)]


def test_op_ed_invents_no_deadline(op_ed_found: list[Candidate]) -> None:
    assert op_ed_found
    assert all(c.resolve_by is None and c.horizon_text is None for c in op_ed_found)
    assert all(c.no_horizon_reason == NO_HORIZON for c in op_ed_found)


def test_op_ed_offsets_point_into_the_text(op_ed: str, op_ed_found: list[Candidate]) -> None:
    for found in op_ed_found:
        assert op_ed[found.start : found.end] == found.sentence
        assert op_ed[found.span_start : found.span_end] == found.span
        assert found.start <= found.span_start < found.span_end <= found.end


# Offsets on our own text.


def test_sentences_keep_offsets_across_paragraphs_quotes_and_wrapped_lines() -> None:
    text = (
        "Title line\n\n  The minister said: “Prices will fall.” Nobody believed him.\n"
        "Growth will\nreturn by the end of 2026, analysts say.\n\nA new paragraph ends here"
    )
    sentences = split_sentences(text)
    assert [text[s.start : s.end] == s.text for s in sentences] == [True] * len(sentences)
    assert [s.text for s in sentences][-2:] == [
        "Growth will\nreturn by the end of 2026, analysts say.",
        "A new paragraph ends here",
    ]


def test_every_candidate_span_lies_inside_its_sentence() -> None:
    text = (
        "Markets are calm. The coalition will collapse before the end of the year, and "
        "voters will be back at the polls. If the vote fails, the premier — who is "
        "stubborn — will resign."
    )
    found = extract(text, published_at=PUBLISHED)
    assert len(found) == 3
    for c in found:
        assert text[c.start : c.end] == c.sentence
        assert text[c.span_start : c.span_end] == c.span
        assert c.sentence.find(c.span) == c.span_start - c.start


PUNCTUATION = ["?", ".", ",", "–", "—", "“", "”", "’", ";", ":", "\n", "\n\n", "3-to-1", "70%"]
FRAGMENTS = (
    sorted(
        {
            word
            for line in DEV_SET.read_text(encoding="utf-8").splitlines()
            for word in json.loads(line)["text"].split()
        }
    )
    + PUNCTUATION
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=25), st.text(max_size=10))
def test_offsets_and_ranges_hold_for_any_text(words: list[str], tail: str) -> None:
    text = " ".join(words) + tail
    for c in extract(text, published_at=PUBLISHED):
        assert text[c.start : c.end] == c.sentence
        assert text[c.span_start : c.span_end] == c.span
        assert c.start <= c.span_start < c.span_end <= c.end
        assert 0 <= c.probability <= 1
        assert 0 <= c.confidence <= 1


# Negation and hedges: the claim is what the author asserts, p the probability that it is true.


@pytest.mark.parametrize(
    ("sentence", "claim", "probability"),
    [
        ("The Fed will cut rates.", "The Fed will cut rates.", 0.9),
        ("The Fed won't cut rates.", "The Fed won't cut rates.", 0.9),
        ("No central bank will cut rates.", "No central bank will cut rates.", 0.9),
        ("The Fed will almost certainly cut rates.", "The Fed will cut rates.", 0.95),
        ("The Fed probably won't cut rates.", "The Fed won't cut rates.", 0.75),
        ("The Fed will probably not cut rates.", "The Fed will not cut rates.", 0.735),
        ("The Fed is unlikely to cut rates.", "The Fed will not cut rates.", 0.8),
        ("It is highly unlikely that the Fed will cut.", "The Fed will not cut.", 0.95),
        ("It is unlikely that the Fed will not cut.", "The Fed will cut.", 0.8),
        ("I doubt the Fed will cut rates.", "The Fed will not cut rates.", 0.75),
        ("The Fed could cut rates.", "The Fed will cut rates.", 0.4),
        ("The Fed may well cut rates.", "The Fed will cut rates.", 0.6),
        ("The Fed is bound to cut rates.", "The Fed will cut rates.", 0.97),
        ("A rate cut is almost inconceivable.", "No rate cut will come about.", 0.97),
        ("A rate cut is almost certain.", "A rate cut will come about.", 0.95),
        ("The team is a long shot to reach the final.", "The team will not reach the final.", 0.9),
        ("Analysts expect the Fed to cut rates.", "The Fed will cut rates.", 0.7),
        ("The Fed is set to cut rates.", "The Fed will cut rates.", 0.9),
    ],
)
def test_negation_and_hedges_combine(sentence: str, claim: str, probability: float) -> None:
    found = only(sentence)
    assert (found.claim, found.probability) == (claim, pytest.approx(probability))
    assert found.probability_basis == "codebook"


def test_a_number_in_the_text_beats_the_codebook() -> None:
    found = only("There is a 70% chance that the bill will probably pass.")
    assert (found.probability, found.probability_basis, found.hedge) == (0.7, "stated", None)


@pytest.mark.parametrize(
    ("sentence", "probability"),
    [
        ("I give the bill a 7 in 10 chance of passing.", 0.7),
        ("The odds are 3-to-1 that the bill passes.", 0.75),
        ("The odds are 3-to-1 against the bill passing.", 0.25),
        ("I put the chance of a recession at 40%.", 0.4),
    ],
)
def test_stated_probabilities(sentence: str, probability: float) -> None:
    found = only(sentence)
    assert (found.probability, found.probability_basis) == (pytest.approx(probability), "stated")


def test_a_quantity_in_percent_is_no_probability() -> None:
    found = only("Inflation is likely to fall below 3% by the end of 2025.")
    assert (found.probability, found.probability_basis) == (0.7, "codebook")


# Filters for what only looks like a forecast.


@pytest.mark.parametrize(
    "sentence",
    [
        "The minister should resign over the scandal.",  # advice
        "Governments must invest far more in grid storage.",
        "The coach will have to rethink his tactics.",
        "Will the strike spread to the ports?",  # question
        "The central bank raised rates three times last year.",  # past
        "The protests were probably organised online.",
        "That decision may have cost them the election.",
        "The league is currently dominated by three clubs.",  # present analysis
        "The summit will take place on Monday.",  # scheduled
        "The conference is scheduled to open next month.",
        "The trial will be held in March.",
        "Ministers will meet on Friday to discuss the budget.",
        "The will of the people must be respected.",  # "will" as a noun
        "Voters in May rejected the proposal.",  # May the month
        "The question is whether the ceasefire will last.",  # indirect question
    ],
)
def test_look_alikes_yield_no_candidate(sentence: str) -> None:
    assert extract(sentence, published_at=PUBLISHED) == []


@pytest.mark.parametrize(
    "sentence",
    [
        "The board cannot approve the merger without a shareholder vote.",  # permission
        "A referee cannot overturn a goal once play has restarted.",  # rule
        "The party cannot ignore what its members are saying.",  # obligation
        "Sanctions often cannot change a regime's behaviour.",  # generic truth
        "Growth cannot be imposed from outside by donors.",  # norm, passive
    ],
)
def test_cannot_of_agency_norm_or_generic_truth_is_no_forecast(sentence: str) -> None:
    assert extract(sentence, published_at=PUBLISHED) == []


@pytest.mark.parametrize(
    ("sentence", "claim"),
    [
        ("The ruling coalition cannot survive the summer.", "will not survive the summer"),
        ("They cannot win from here.", "will not win from here"),
        ("That deficit target cannot be met by 2027.", "will not be met by 2027"),
        ("The rally simply cannot last much longer.", "will not last much longer"),
    ],
)
def test_cannot_of_an_outcome_is_a_forecast_turned_round(sentence: str, claim: str) -> None:
    found = only(sentence)
    assert claim in found.claim
    assert found.probability is not None
    assert found.probability >= 0.9


@pytest.mark.parametrize(
    ("sentence", "claim", "probability"),
    [
        ("The visitors are 3/1 to win the cup.", "The visitors will win the cup.", 0.25),
        ("Madrid are odds-on to retain the title.", "Madrid will retain the title.", 0.6),
        ("There's every chance the senate blocks the bill.", "The senate will block", 0.8),
        ("Don't be surprised if the club sacks its manager by March.", "will sack", 0.6),
        ("Exports are forecast to shrink 2% next year.", "Exports will shrink 2% next year.", 0.9),
    ],
)
def test_odds_chances_and_passive_forecasts(sentence: str, claim: str, probability: float) -> None:
    found = only(sentence)
    assert claim in found.claim
    assert found.probability == pytest.approx(probability, abs=0.01)


@pytest.mark.parametrize(
    ("text", "holder"),
    [
        ("Putin believes Europe will tire of the war.", "Putin"),
        ("Analysts expect the euro to weaken.", "Analysts"),
        ("The chancellor hopes the reforms will lift growth.", "The chancellor"),
        ("According to the IMF, growth will slow.", "the IMF"),
        (
            "The deal is likely to collapse, say people close to the talks.",
            "people close to the talks",
        ),
        ("Marshal Okafor spoke on Friday. He believes the army will hold.", "Marshal Okafor"),
    ],
)
def test_beliefs_of_others_are_kept_and_attributed(text: str, holder: str) -> None:
    found = extract(text, published_at=PUBLISHED)
    assert [c.attributed_to for c in found] == [holder]


@pytest.mark.parametrize(
    "sentence",
    ["I expect the euro to weaken.", "We believe the euro will weaken.", "Expect a weaker euro."],
)
def test_the_authors_own_beliefs_are_not_attributed(sentence: str) -> None:
    assert only(sentence).attributed_to is None


@pytest.mark.parametrize(
    ("sentence", "condition", "claim"),
    [
        (
            "If the ceasefire holds, trade will recover.",
            "the ceasefire holds",
            "Trade will recover.",
        ),
        (
            "Trade will recover if the ceasefire holds.",
            "the ceasefire holds",
            "Trade will recover.",
        ),
        (
            "Unless the board acts, the club will fail.",
            "unless the board acts",
            "The club will fail.",
        ),
    ],
)
def test_conditions_are_cut_out_of_the_claim(sentence: str, condition: str, claim: str) -> None:
    found = only(sentence)
    assert (found.conditional_on, found.claim) == (condition, claim)


# Deadlines: from a time phrase in the forecast's own words, never invented.


def test_no_time_phrase_means_no_deadline() -> None:
    found = only("The euro will weaken against the dollar.")
    assert (found.resolve_by, found.horizon_text, found.no_horizon_reason) == (
        None,
        None,
        NO_HORIZON,
    )


def test_a_year_in_the_past_is_no_deadline() -> None:
    found = only("Turnout will exceed 70% for the first time since 1992.")
    assert found.resolve_by is None
    assert found.no_horizon_reason is not None
    assert "1992" in found.no_horizon_reason


def test_the_deadline_comes_from_the_time_phrase_relative_to_publication() -> None:
    found = only("The coalition will collapse before the end of the year.")
    assert (found.resolve_by, found.horizon_text) == (
        date(2025, 12, 31),
        "before the end of the year",
    )


def test_a_time_in_the_condition_is_not_the_deadline() -> None:
    found = only("If the Fed cuts in June, stocks will rally.")
    assert found.resolve_by is None


# A handful of our own labelled sentences (tests/data/extraction-dev.jsonl).


def labelled(ids: list[str]) -> list[dict[str, object]]:
    items = [json.loads(line) for line in DEV_SET.read_text(encoding="utf-8").splitlines()]
    return [item for item in items if item["id"] in ids]


@pytest.mark.parametrize(
    "item",
    labelled(["ha07", "ha19", "ha35", "d019", "d032", "d043", "d120", "d122", "d159"]),
    ids=lambda item: str(item["id"]),
)
def test_labelled_sentences(item: dict[str, object]) -> None:
    published = date.fromisoformat(str(item["published_at"]))
    found = extract(str(item["text"]), published_at=published)
    assert bool(found) == item["is_forecast"]
    if found:
        first = found[0]
        label = item["resolve_by"]
        assert first.probability == pytest.approx(float(str(item["probability"])), abs=0.15)
        assert first.resolve_by == (date.fromisoformat(str(label)) if label else None)
        if item["attributed_to"] is None:
            assert first.attributed_to is None
        else:
            assert str(item["attributed_to"]) in str(first.attributed_to)
