"""Hedge codebooks: the shipped data is sound and phrases match as a journalist expects."""

import csv
import json
import statistics
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from app.language.codebook import (
    DEFAULT_CODEBOOK,
    UnknownCodebook,
    UnknownHedge,
    codebook_names,
    get_codebook,
)

PROBLY = Path(__file__).resolve().parents[3] / "shared/data/probability-words/probly.csv"


def raw(name: str) -> Any:
    """The codebook's JSON as shipped, before loading resolves its source keys."""
    path = resources.files("app.language").joinpath("codebooks", f"{name}.json")
    return json.loads(path.read_text(encoding="utf-8"))


def test_the_default_and_the_three_reference_codebooks_ship() -> None:
    assert set(codebook_names()) >= {DEFAULT_CODEBOOK, "kent-1964", "icd-203", "survey-medians"}


@pytest.mark.parametrize("name", codebook_names())
def test_a_shipped_codebook_loads_with_sound_entries(name: str) -> None:
    codebook = get_codebook(name)
    data = raw(name)
    assert codebook.name == data["name"] == name
    assert codebook.title
    assert codebook.description
    assert all(0 < entry.probability <= 1 for entry in codebook.entries)
    assert {entry["source"] for entry in data["entries"]} <= set(data["sources"])
    assert all(entry.source in data["sources"].values() for entry in codebook.entries)
    phrases = [" ".join(e.phrase.lower().replace("-", " ").split()) for e in codebook.entries]
    assert len(phrases) == len(set(phrases))


def test_the_default_codebook_covers_the_words_pundits_use() -> None:
    assert len(get_codebook().entries) >= 60
    assert get_codebook().probability_of("will") == 0.9
    assert get_codebook().probability_of("almost inconceivable") == 0.03


def test_survey_medians_equal_the_medians_of_the_survey_file() -> None:
    if not PROBLY.exists():
        pytest.skip("probly.csv is not here: the test reads it from ../shared beside the repo")
    with PROBLY.open(newline="", encoding="utf-8") as handle:
        header, *rows = list(csv.reader(handle))
    medians = {
        phrase.lower(): statistics.median(float(row[i]) for row in rows if row[i].strip()) / 100
        for i, phrase in enumerate(header)
    }
    shipped = {entry.phrase: entry.probability for entry in get_codebook("survey-medians").entries}
    assert len(rows) == 46
    assert shipped == pytest.approx(medians)


def test_the_longest_phrase_wins() -> None:
    codebook = get_codebook()
    assert codebook.probability_of("It is highly unlikely that talks resume") == 0.05
    assert codebook.probability_of("unlikely") == 0.2
    assert codebook.probability_of("they may well agree") == 0.6


def test_a_phrase_is_found_only_as_whole_words() -> None:
    entry = get_codebook().match("a likelihood of unlikely events")
    assert entry is not None
    assert entry.phrase == "unlikely"


def test_curly_apostrophes_case_and_spacing_do_not_matter() -> None:
    entry = get_codebook().match("  The talks WON’T\tsucceed ")
    assert entry is not None
    assert entry.phrase == "won't"
    assert get_codebook().probability_of("fifty–fifty") == 0.5


def test_an_unknown_hedge_says_what_to_write_instead() -> None:
    with pytest.raises(UnknownHedge) as caught:
        get_codebook().probability_of("banana")
    message = str(caught.value)
    assert caught.value.words == "banana"
    assert "'banana'" in message
    assert "'likely'" in message
    assert "or give a probability between 0 and 1" in message


def test_an_unknown_codebook_names_the_known_ones() -> None:
    with pytest.raises(UnknownCodebook, match="hindsight-v1"):
        get_codebook("../../etc/passwd")


@pytest.mark.parametrize(
    ("words", "probability"),
    [
        ("would", 0.9),
        ("the regime is finished", 0.9),
        ("Kyiv cannot win", 0.03),
        ("a ceasefire is bound to fail", 0.97),
        ("there is no guarantee the deal holds", 0.6),
        ("it is a coin toss", 0.5),
        ("50-50", 0.5),
        ("all but certain", 0.95),
        ("all but impossible", 0.07),
        ("a foregone conclusion", 0.97),
        ("the bill risks failing", 0.4),
        ("we cannot rule out a ceasefire", 0.4),
        ("I would be surprised if talks resumed", 0.2),
        ("I wouldn't be surprised if talks resumed", 0.6),
    ],
)
def test_the_default_codebook_reads_the_forms_commentary_uses(
    words: str, probability: float
) -> None:
    assert get_codebook().probability_of(words) == probability


def test_version_2_keeps_every_phrase_of_version_1_at_its_value() -> None:
    old = {e.phrase: e.probability for e in get_codebook("hindsight-v1").entries}
    new = {e.phrase: e.probability for e in get_codebook("hindsight-v2").entries}
    assert DEFAULT_CODEBOOK == "hindsight-v2"
    assert {phrase: new[phrase] for phrase in old} == old
    assert {"would", "cannot", "a coin toss", "is finished"} <= new.keys() - old.keys()


def test_every_phrase_version_2_adds_cites_the_house_convention_in_writing() -> None:
    data = raw("hindsight-v2")
    old = {e["phrase"] for e in raw("hindsight-v1")["entries"]}
    added = [e for e in data["entries"] if e["phrase"] not in old]
    assert {e["source"] for e in added} == {"hindsight"}
    assert all(f"'{e['phrase']}'" in data["description"] for e in added)


def test_a_miss_suggests_phrases_of_the_same_meaning_not_the_same_spelling() -> None:
    with pytest.raises(UnknownHedge) as caught:
        get_codebook("hindsight-v1").probability_of("would")
    message = str(caught.value)
    assert "'will'" in message
    assert "'could'" not in message


@pytest.mark.parametrize(
    ("words", "expected", "never"),
    [
        ("shall", "will", "could"),
        ("there is slim hope", "unlikely", "likely"),
        ("it can happen", "could", "cannot"),
        ("never ever", "cannot", "certain"),
    ],
)
def test_a_miss_is_read_by_its_head_word(words: str, expected: str, never: str) -> None:
    suggestions = get_codebook().suggestions(words)
    assert expected in suggestions
    assert never not in suggestions
