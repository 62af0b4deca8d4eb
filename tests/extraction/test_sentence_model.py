"""The sentence model: forecasts in sentences where no cue fired ("We raise our price target to
$165") come up, with the sentence's own words as the claim for the journalist to
state, at the house value for a forecast without a cue (the codebook's 'very good chance', 0.8,
docs/extraction.md)."""

import json
from datetime import date
from pathlib import Path

import pytest

from app.extraction import decide, features, parse
from app.extraction.extract import extract, uncued_candidates

PUBLISHED = date(2025, 3, 14)
# A sell-side call no cue reads (a target raised, with no "will"): the shipped model keeps it.
PICK = "We raise our price target to $165 from $150 and stay Overweight."


@pytest.mark.parametrize("with_parse", [True, False], ids=["parse", "rules"])
def test_a_pick_no_cue_knows_comes_up_with_its_words_as_the_claim(with_parse: bool) -> None:
    parser = parse.load(parse.DEFAULT_MODELS) if with_parse else None
    (found,) = extract(PICK, published_at=PUBLISHED, parser=parser)
    assert found.cue_kind == "sentence"
    assert found.claim == PICK
    assert (found.probability, found.probability_basis, found.hedge) == (0.8, "codebook", None)
    assert found.resolve_by is None
    assert "the claim is the sentence as written: state what it predicts" in found.reasons


def test_it_reads_only_the_sentences_the_rules_found_nothing_in() -> None:
    text = f"The coalition will collapse before the end of the year. {PICK} Will it rain?"
    assert [c.sentence for c in uncued_candidates(text, published_at=PUBLISHED)] == [PICK]


def test_a_time_stamp_and_a_speaker_are_left_out_of_the_claim_and_a_deadline_is_read() -> None:
    text = "17:57 — PRIYA: Our price target rises to $90 by the end of the year."
    (found,) = uncued_candidates(text, published_at=PUBLISHED)
    assert found.claim == "Our price target rises to $90 by the end of the year."
    assert (found.resolve_by, found.horizon_text) == (date(2025, 12, 31), "by the end of the year")


def test_labels_and_figures_are_folded_into_one_word_each() -> None:
    one = features.sentence_features("PRIYA: Oil ends at $90.")
    other = features.sentence_features("14:10 — Oil ends at $75.5.")
    assert one == other
    assert {"w:<label> oil ends", "w:$ 0"} <= one.keys()


def test_without_a_sentence_model_no_sentence_is_kept(tmp_path: Path) -> None:
    shipped = json.loads(decide.MODEL.read_text(encoding="utf-8"))
    assert decide.keeps_sentence(PICK)
    del shipped["sentence"]
    (tmp_path / "decision.json").write_text(json.dumps(shipped), encoding="utf-8")
    assert not decide.keeps_sentence(PICK, tmp_path / "decision.json")
    assert not decide.keeps_sentence(PICK, tmp_path / "absent.json")


def test_the_shipped_sentence_model_was_chosen_on_writers_it_had_not_seen() -> None:
    cv = json.loads(decide.MODEL.read_text(encoding="utf-8"))["sentence"]["cv"]
    assert cv["writers"] >= 12
    assert cv["precision"] >= 0.85
    assert cv["found"] >= 100
