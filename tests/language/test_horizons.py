"""Deadline phrases: expected dates worked out by hand from the conventions in horizons.py."""

from datetime import date, datetime

import dateparser
import pytest

from app.language.horizons import Deadline, DeadlineError, find_horizon, parse_deadline

SAT = date(2025, 3, 15)  # a Saturday in the middle of Q1, before spring has ended

PHRASES = [
    # years: end of period, which dateparser alone gets wrong (see the test below)
    ("by 2027", SAT, date(2027, 12, 31)),
    ("in 2027", SAT, date(2027, 12, 31)),
    ("during 2027", SAT, date(2027, 12, 31)),
    ("2030", SAT, date(2030, 12, 31)),
    ("until 2028", SAT, date(2028, 12, 31)),
    ("sometime in 2026", SAT, date(2026, 12, 31)),
    ("by 2027 at the latest", SAT, date(2027, 12, 31)),
    ("before 2027", SAT, date(2026, 12, 31)),
    ("by the end of 2026", SAT, date(2026, 12, 31)),
    ("by end-2026", SAT, date(2026, 12, 31)),
    ("by year-end 2026", SAT, date(2026, 12, 31)),
    ("no later than the end of 2026", SAT, date(2026, 12, 31)),
    ("by the start of 2027", SAT, date(2027, 1, 1)),
    ("before the start of 2027", SAT, date(2026, 12, 31)),
    # this year, next year
    ("by the end of the year", SAT, date(2025, 12, 31)),
    ("BY THE END OF THE YEAR", SAT, date(2025, 12, 31)),
    ("by the end of the year", date(2025, 12, 31), date(2025, 12, 31)),
    ("by year-end", SAT, date(2025, 12, 31)),
    ("this year", SAT, date(2025, 12, 31)),
    ("later this year", SAT, date(2025, 12, 31)),
    ("next year", SAT, date(2026, 12, 31)),
    ("by the end of next year", SAT, date(2026, 12, 31)),
    ("early next year", SAT, date(2026, 3, 31)),
    # rolling windows: made_at plus the span
    ("within six months", SAT, date(2025, 9, 15)),
    ("within 6 months", SAT, date(2025, 9, 15)),
    ("in six months", SAT, date(2025, 9, 15)),
    ("in the next six months", SAT, date(2025, 9, 15)),
    ("over the next 6 months", SAT, date(2025, 9, 15)),
    ("within six months", date(2025, 8, 31), date(2026, 2, 28)),
    ("within a few months", SAT, date(2025, 6, 15)),
    ("within two years", SAT, date(2027, 3, 15)),
    ("in a couple of years", SAT, date(2027, 3, 15)),
    ("in two years’ time", SAT, date(2027, 3, 15)),
    ("within a year", date(2024, 2, 29), date(2025, 2, 28)),
    ("in the coming year", SAT, date(2026, 3, 15)),
    ("in a decade", SAT, date(2035, 3, 15)),
    ("within three weeks", SAT, date(2025, 4, 5)),
    ("in ten days", SAT, date(2025, 3, 25)),
    # seasons (northern, meteorological)
    ("next summer", SAT, date(2025, 8, 31)),
    ("next summer", date(2025, 7, 1), date(2026, 8, 31)),
    ("this summer", SAT, date(2025, 8, 31)),
    ("by summer 2027", SAT, date(2027, 8, 31)),
    ("by spring", SAT, date(2025, 5, 31)),
    ("before summer", SAT, date(2025, 5, 31)),
    ("next winter", SAT, date(2026, 2, 28)),
    ("this winter", date(2025, 1, 10), date(2025, 2, 28)),
    ("winter 2027", SAT, date(2028, 2, 29)),
    # quarters and halves
    ("by Q3 2027", SAT, date(2027, 9, 30)),
    ("in Q3 2027", SAT, date(2027, 9, 30)),
    ("by the third quarter of 2027", SAT, date(2027, 9, 30)),
    ("in Q4", SAT, date(2025, 12, 31)),
    ("by the end of the quarter", SAT, date(2025, 3, 31)),
    ("next quarter", SAT, date(2025, 6, 30)),
    ("next quarter", date(2025, 11, 1), date(2026, 3, 31)),
    ("H1 2027", SAT, date(2027, 6, 30)),
    ("the first half of 2027", SAT, date(2027, 6, 30)),
    ("by the second half of next year", SAT, date(2026, 12, 31)),
    ("by mid-2027", SAT, date(2027, 6, 30)),
    ("by mid-year", SAT, date(2025, 6, 30)),
    # months
    ("by March 2027", SAT, date(2027, 3, 31)),
    ("by June", SAT, date(2025, 6, 30)),
    ("by June", date(2025, 7, 1), date(2026, 6, 30)),
    ("by March", SAT, date(2025, 3, 31)),
    ("by next March", SAT, date(2026, 3, 31)),
    ("by the end of the month", SAT, date(2025, 3, 31)),
    ("by the end of this month", SAT, date(2025, 3, 31)),
    ("next month", SAT, date(2025, 4, 30)),
    ("next month", date(2025, 12, 10), date(2026, 1, 31)),
    # decades
    ("this decade", SAT, date(2029, 12, 31)),
    ("by the end of the decade", SAT, date(2029, 12, 31)),
    ("within the decade", SAT, date(2029, 12, 31)),
    ("in the 2030s", SAT, date(2039, 12, 31)),
    # weeks, days, holidays
    ("next week", SAT, date(2025, 3, 23)),
    ("by Monday", SAT, date(2025, 3, 17)),
    ("by Christmas", SAT, date(2025, 12, 25)),
    ("by Christmas", date(2025, 12, 26), date(2026, 12, 25)),
    ("before Christmas", SAT, date(2025, 12, 24)),
    ("by New Year's Eve", SAT, date(2025, 12, 31)),
    # explicit dates in words; the last one through the dateparser fallback
    ("by 31 March 2027", SAT, date(2027, 3, 31)),
    ("March 31, 2027", SAT, date(2027, 3, 31)),
    ("by 2027-03-31", SAT, date(2027, 3, 31)),
    ("by 31/12/2026", SAT, date(2026, 12, 31)),
]


@pytest.mark.parametrize(("phrase", "made_at", "expected"), PHRASES)
def test_a_phrase_resolves_to_the_day_worked_out_by_hand(
    phrase: str, made_at: date, expected: date
) -> None:
    assert parse_deadline(phrase, made_at=made_at) == Deadline(expected, phrase)


def test_an_iso_date_is_taken_as_is_without_horizon_text() -> None:
    assert parse_deadline(" 2027-03-31 ", made_at=SAT) == Deadline(date(2027, 3, 31), None)


def test_horizon_text_is_the_words_stripped() -> None:
    assert parse_deadline("  by 2027\n", made_at=SAT).horizon_text == "by 2027"


NO_DEADLINE = ["may", "march on", "March", "now", "soon", "eventually", "", "   "]
NO_DEADLINE += ["the may day parade", "banana", "by 31 February 2027", "2027-02-30"]
NO_DEADLINE += ["by 5", "by 2027/28"]  # dateparser alone: 31 May, 28 March 2027


@pytest.mark.parametrize("words", NO_DEADLINE)
def test_words_that_name_no_deadline_raise_an_error_that_echoes_them(words: str) -> None:
    with pytest.raises(DeadlineError) as caught:
        parse_deadline(words, made_at=SAT)
    assert caught.value.words == words.strip()
    assert f"'{words.strip()}'" in str(caught.value)


def test_a_deadline_before_made_at_is_refused_naming_made_at() -> None:
    with pytest.raises(DeadlineError, match=r"'by 2020' means 2020-12-31.*made_at 2025-03-15"):
        parse_deadline("by 2020", made_at=SAT)


def test_dateparser_alone_gets_the_common_phrases_wrong() -> None:
    # Why our rules run first. If dateparser starts getting these right, this test fails and
    # the rules may shrink.
    settings = {"RELATIVE_BASE": datetime(2025, 3, 15), "PREFER_DATES_FROM": "future"}

    def raw(phrase: str) -> date | None:
        parsed = dateparser.parse(phrase, languages=["en"], settings=settings)
        return None if parsed is None else parsed.date()

    assert raw("by 2027") == date(2027, 3, 15)  # keeps the base's month and day, not 31 Dec
    assert raw("this decade") == date(2015, 3, 15)  # in the past
    assert raw("within six months") is None
    assert raw("by the end of the year") is None
    assert raw("next summer") is None


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "The bank will not cut rates before the end of 2026, analysts say.",
            "before the end of 2026",
        ),
        ("Prices may fall in May.", "in May"),
        ("The ceasefire will collapse within six months.", "within six months"),
        ("The court’s ruling comes in two years’ time.", "in two years’ time"),
        ("Rates will fall next year and rise again later this year.", "next year"),
        ("Within six months of the election, the coalition will split.", None),
        ("Six months ago the talks failed, and they may march on regardless.", None),
    ],
)
def test_find_horizon_gives_the_first_time_phrase_and_its_span(
    sentence: str, expected: str | None
) -> None:
    found = find_horizon(sentence)
    if expected is None:
        assert found is None
    else:
        assert found is not None
        start, end, text = found
        assert text == expected
        assert sentence[start:end] == expected
