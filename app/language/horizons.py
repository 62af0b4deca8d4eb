"""Time phrases ("by the end of 2026", "within six months") turned into a resolve-by date.

The only module that calls dateparser, and only as a fallback for a short phrase that our own
rules do not know and that looks like a date (31/12/2026, or a month name and a digit): run on
whole sentences dateparser finds false dates (DESIGN §5), and alone it gets the commonest
phrases wrong ("by 2027" keeps made_at's month and day, "this decade" lands in the past,
"within six months" is not understood, "by 5" is 31 May).

Conventions, all relative to made_at:
- End of period: "by/in/during/until X" is the last day of X; "before X" the day before X
  starts; "by the start of X" its first day; "by the end of X" its last day.
- "next year/quarter/month/week/decade" is the next calendar period; with "the" ("over the
  next year", "the coming six months") it is a rolling window from made_at.
- Seasons are northern meteorological: spring Mar-May, summer Jun-Aug, autumn/fall Sep-Nov,
  winter Dec-Feb, "winter 2026" starting in December 2026. "next summer" is the first summer
  that has not started by made_at; a bare "by summer" the first one not yet over.
- A month, quarter or holiday without a year is the first one not yet over ("by June").
- "a couple of" is 2, "a few" 3, "a dozen" 12; "early 2027" ends on 31 March, "mid-2027" on
  30 June, "late/later 2027" on 31 December; weeks end on Sunday; "the 2030s" end 2039-12-31.
- A lone month name, season or weekday counts only after a lead word ("by May", "in the
  fall"), so "may", "march on" and "the may day parade" name no deadline.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache, partial
from typing import Literal

import dateparser
from dateutil.relativedelta import relativedelta

_HINT = (
    "write an ISO date (2026-12-31) or words such as 'by the end of 2026' or 'within six months'"
)


class DeadlineError(ValueError):
    """The words name no usable deadline."""

    words: str

    def __init__(self, words: str, message: str) -> None:
        super().__init__(message)
        self.words = words


@dataclass(frozen=True)
class Deadline:
    """A resolve-by date and the words it came from (None for an ISO date)."""

    resolve_by: date
    horizon_text: str | None


@dataclass(frozen=True)
class _Span:
    first: date
    last: date


_Resolver = Callable[[re.Match[str], date], _Span]
# "ok": matches alone; "phrase": alone only as a whole phrase, after a lead word in a sentence;
# "never": only after a lead word ("by May", "within the year").
_Bare = Literal["ok", "phrase", "never"]


@dataclass(frozen=True)
class _Rule:
    phrase: re.Pattern[str]
    sentence: re.Pattern[str]
    resolve: _Resolver
    bare: _Bare


# Same-length replacements, so offsets found in the normalised text hold in the original.
_SAME_LENGTH = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "–": "-", "—": "-", "\u00a0": " "})

_LEAD = (
    r"(?:(?P<word>(?P<before>before|prior\s+to|ahead\s+of|some\s*time\s+before)"
    r"|no\s+later\s+than|not\s+later\s+than|some\s*time\s+(?:in|during|by)"
    r"|at\s+some\s+point\s+(?:in|during)|by|until|till|in|within|during|over|through"
    r"|throughout|inside)\s+)?"
    r"(?P<edge>(?:the\s+)?(?:end|close)\s+of\s+|end-|end\s+(?=\d)|year[-\s]?end\s+(?:of\s+)?"
    r"|(?P<start>(?:the\s+)?(?:start|beginning)\s+of\s+))?"
)
_AT_THE_LATEST = r"at\s+the\s+latest"

_MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH = (  # a dot only after an abbreviation, so "in May." ends before the full stop
    r"(?P<month>january|february|march|april|may|june|july|august|september|october|november"
    r"|december|(?:jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.?)"
)
_YEAR = r"(?P<y>(?:19|20|21)\d\d)"
_YEAR_REL = r"(?P<yrel>this|next|the)\s+year"
_YEARISH = rf"(?:(?:the\s+year\s+)?{_YEAR}|{_YEAR_REL})"
_OF_YEAR = rf",?\s+(?:of\s+)?{_YEARISH}"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_CALENDAR_UNIT = r"(?P<unit>week|month|quarter|year|decade)"
_SPAN_UNIT = r"(?P<unit>day|week|fortnight|month|quarter|year|decade)s?"
_SEASON = r"(?:the\s+)?(?P<season>spring|summer|autumn|fall|winter)"
_QUARTER = (
    r"(?:q(?P<q>[1-4])|(?:the\s+)?(?P<qword>first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter)"
)
_HALF = r"(?:h(?P<h>[12])|(?:the\s+)?(?P<hword>first|second|1st|2nd)\s+half)"
_HOLIDAY = (
    r"(?P<holiday>christmas\s+eve|christmas(?:\s+day)?|xmas|new\s+year'?s?\s+eve"
    r"|(?:the\s+)?new\s+year'?s?(?:\s+day)?|halloween)"
)
_WEEKDAY = r"(?P<weekday>monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_NOT_RELATIVE = r"(?!\s+(?:ago|earlier|later|before|after|of|since|into|from|old)\b)"

_NUMBER_WORDS = (
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty"
)
_COUNTS = {
    **{word: n for n, word in enumerate(_NUMBER_WORDS.split(), start=1)},
    "a": 1,
    "an": 1,
    "a couple of": 2,
    "couple of": 2,
    "a few": 3,  # the short reading: the forecast is checked sooner rather than later
    "a dozen": 12,
}
_COUNT_WORDS = sorted((w.replace(" ", r"\s+") for w in _COUNTS), key=len, reverse=True)
_NUM = rf"(?P<n>\d{{1,3}}|{'|'.join(_COUNT_WORDS)})"
_STEP = {
    "day": relativedelta(days=1),
    "week": relativedelta(weeks=1),
    "fortnight": relativedelta(weeks=2),
    "month": relativedelta(months=1),
    "quarter": relativedelta(months=3),
    "year": relativedelta(years=1),
    "decade": relativedelta(years=10),
}
_MONTHS_IN = {"month": 1, "quarter": 3, "year": 12, "decade": 120}
_ORDINALS = {
    **{"first": 1, "second": 2, "third": 3, "fourth": 4},
    **{"1st": 1, "2nd": 2, "3rd": 3, "4th": 4},
}
_SEASON_START = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}
_PART_END = {
    "early": (3, 31),
    "mid": (6, 30),
    "middle": (6, 30),
    "late": (12, 31),
    "later": (12, 31),
}
_HOLIDAYS = {
    "christmas eve": (12, 24),
    "christmas": (12, 25),
    "xmas": (12, 25),
    "new year eve": (12, 31),
    "new year": (1, 1),
    "halloween": (10, 31),
}
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _words(text: str | None) -> str:
    """Lower case, single spaces; '' for a group that did not match."""
    return " ".join((text or "").lower().split())


def _point(day: date) -> _Span:
    return _Span(day, day)


def _months(year: int, month: int, count: int) -> _Span:
    """The `count` calendar months that start with the given one."""
    first = date(year, month, 1)
    return _Span(first, first + relativedelta(months=count, days=-1))


def _day(year: int, month: int, day: int) -> _Span:
    return _point(date(year, month, day))


def _calendar(made_at: date, unit: str, offset: int) -> _Span:
    """The week, month, quarter, year or decade holding made_at, moved by `offset` of them."""
    if unit == "week":
        monday = made_at - timedelta(days=made_at.weekday()) + timedelta(weeks=offset)
        return _Span(monday, monday + timedelta(days=6))
    size = _MONTHS_IN[unit]
    start = ((made_at.year * 12 + made_at.month - 1) // size + offset) * size
    return _months(start // 12, start % 12 + 1, size)


def _year_of(m: re.Match[str], made_at: date) -> int | None:
    """The year a match names ("2027", "next year"), or None when it names none."""
    groups = m.groupdict()
    if groups.get("y"):
        return int(groups["y"])
    if groups.get("yrel"):
        return made_at.year + (_words(groups["yrel"]) == "next")
    return None


def _recurring(m: re.Match[str], made_at: date, build: Callable[[int], _Span]) -> _Span:
    """A period that comes round every year: in a named year, 'this', 'next' or the upcoming."""
    year = _year_of(m, made_at)
    if year is not None:
        return build(year)
    rel = _words(m.groupdict().get("rel"))
    spans = [build(made_at.year + shift) for shift in (-1, 0, 1)]
    if rel == "this":
        return spans[0] if spans[0].last >= made_at else spans[1]
    if rel:
        return next(s for s in spans if s.first > made_at)
    return next(s for s in spans if s.last >= made_at)


def _iso(m: re.Match[str], made_at: date) -> _Span:
    return _point(date.fromisoformat(m["iso"]))


def _day_month(m: re.Match[str], made_at: date) -> _Span:
    build = partial(_day, month=_month_number(m["month"]), day=int(m["day"]))
    return _recurring(m, made_at, build)


def _month_number(name: str) -> int:
    return _MONTH_NAMES.index(name[:3].lower()) + 1


def _month(m: re.Match[str], made_at: date) -> _Span:
    return _recurring(m, made_at, partial(_months, month=_month_number(m["month"]), count=1))


def _season(m: re.Match[str], made_at: date) -> _Span:
    start = _SEASON_START[m["season"].lower()]
    return _recurring(m, made_at, partial(_months, month=start, count=3))


def _quarter(m: re.Match[str], made_at: date) -> _Span:
    q = int(m["q"]) if m["q"] else _ORDINALS[m["qword"].lower()]
    return _recurring(m, made_at, partial(_months, month=3 * q - 2, count=3))


def _half(m: re.Match[str], made_at: date) -> _Span:
    h = int(m["h"]) if m["h"] else _ORDINALS[m["hword"].lower()]
    return _recurring(m, made_at, partial(_months, month=6 * h - 5, count=6))


def _part_of_year(m: re.Match[str], made_at: date) -> _Span:
    month, day = _PART_END[m["part"].lower()]
    return _recurring(m, made_at, partial(_day, month=month, day=day))


def _holiday(m: re.Match[str], made_at: date) -> _Span:
    name = re.sub(r"^the |(?<=year)'?s| day$", "", _words(m["holiday"]))
    month, day = _HOLIDAYS[name]
    return _recurring(m, made_at, partial(_day, month=month, day=day))


def _year(m: re.Match[str], made_at: date) -> _Span:
    return _months(int(m["y"]), 1, 12)


def _decade(m: re.Match[str], made_at: date) -> _Span:
    return _months(int(m["decade"]), 1, 120)


def _calendar_unit(m: re.Match[str], made_at: date) -> _Span:
    offset = 1 if _words(m.groupdict().get("rel")) == "next" else 0
    return _calendar(made_at, m["unit"].lower(), offset)


def _unit_end(m: re.Match[str], made_at: date) -> _Span:
    return _point(_calendar(made_at, m["unit"].lower(), 0).last)


def _after(m: re.Match[str], made_at: date) -> _Span:
    words = _words(m.groupdict().get("n")) or "one"
    count = int(words) if words.isdigit() else _COUNTS[words]
    return _point(made_at + _STEP[m["unit"].lower()] * count)


def _weekday(m: re.Match[str], made_at: date) -> _Span:
    days = (_WEEKDAYS.index(m["weekday"].lower()) - made_at.weekday() - 1) % 7 + 1
    return _point(made_at + timedelta(days=days))


def _day_word(m: re.Match[str], made_at: date) -> _Span:
    return _point(made_at + timedelta(days=m["dayword"].lower() == "tomorrow"))


def _rule(pattern: str, resolve: _Resolver, bare: _Bare) -> _Rule:
    phrase = (
        rf"\s*(?:{_AT_THE_LATEST},?\s+)?{_LEAD}(?:{pattern})(?:,?\s+{_AT_THE_LATEST})?[\s.,;:!?]*"
    )
    sentence = rf"(?<![\w-]){_LEAD}(?:{pattern})(?![\w-])"
    return _Rule(re.compile(phrase, re.I), re.compile(sentence, re.I), resolve, bare)


_RULES = (
    _rule(r"(?P<iso>\d{4}-\d{2}-\d{2})", _iso, "ok"),
    _rule(rf"(?:the\s+)?{_DAY}\s+(?:of\s+)?{_MONTH}(?:{_OF_YEAR})?", _day_month, "ok"),
    _rule(rf"{_MONTH}\s+(?:the\s+)?{_DAY}(?:{_OF_YEAR})?", _day_month, "ok"),
    _rule(rf"{_MONTH},?\s+(?:of\s+)?{_YEAR}", _month, "ok"),
    _rule(rf"{_MONTH}\s+{_YEAR_REL}", _month, "phrase"),
    _rule(rf"(?P<rel>this|next|the\s+coming)\s+{_MONTH}", _month, "phrase"),
    _rule(_MONTH, _month, "never"),
    _rule(rf"(?:the\s+year\s+)?{_YEAR}", _year, "ok"),
    _rule(r"(?:the\s+)?(?P<decade>(?:19|20|21)\d0)'?s", _decade, "ok"),
    _rule(rf"(?P<rel>this|the\s+current|next)\s+{_CALENDAR_UNIT}", _calendar_unit, "ok"),
    _rule(rf"the\s+{_CALENDAR_UNIT}", _calendar_unit, "never"),
    _rule(r"(?P<unit>month|quarter|year)[-\s]?end", _unit_end, "ok"),
    _rule(rf"the\s+(?:next|coming|following)\s+(?:{_NUM}\s+)?{_SPAN_UNIT}", _after, "ok"),
    _rule(rf"{_NUM}\s+{_SPAN_UNIT}(?:'s?\s+time|\s+from\s+now|\s+hence)", _after, "ok"),
    _rule(rf"{_NUM}\s+{_SPAN_UNIT}{_NOT_RELATIVE}", _after, "phrase"),
    _rule(rf"(?P<rel>this|next|coming|the\s+coming)\s+{_SEASON}", _season, "ok"),
    _rule(rf"{_SEASON},?\s+(?:of\s+)?{_YEAR}", _season, "ok"),
    _rule(rf"{_SEASON}\s+{_YEAR_REL}", _season, "phrase"),
    _rule(_SEASON, _season, "phrase"),
    _rule(rf"{_QUARTER}{_OF_YEAR}", _quarter, "ok"),
    _rule(_QUARTER, _quarter, "phrase"),
    _rule(rf"{_HALF}{_OF_YEAR}", _half, "ok"),
    _rule(_HALF, _half, "phrase"),
    _rule(rf"(?P<part>early|mid|late|later)(?:-|\s+){_YEARISH}", _part_of_year, "ok"),
    _rule(rf"(?:the\s+)?(?P<part>middle)\s+of\s+{_YEARISH}", _part_of_year, "ok"),
    _rule(r"(?P<part>mid)[-\s]?year", _part_of_year, "ok"),
    _rule(rf"{_HOLIDAY},?\s+{_YEAR}", _holiday, "ok"),
    _rule(_HOLIDAY, _holiday, "phrase"),
    _rule(rf"(?:(?:next|this|this\s+coming|coming)\s+)?{_WEEKDAY}", _weekday, "phrase"),
    _rule(r"(?P<dayword>today|tonight|tomorrow)", _day_word, "phrase"),
)
# Every rule's pattern holds one of these (a digit, a month, a unit, a season, a day word): a
# sentence with none of them names no time, and the thirty rules need not scan it.
_ANY_TIME = re.compile(
    r"\d|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|week|month|quarter|year|decade|day"
    r"|fortnight|spring|summer|autumn|fall|winter|q[1-4]|h[12]|half|christmas|xmas|halloween"
    r"|tonight|tomorrow",
    re.I,
)
_PHRASE_LEAD = re.compile(rf"\s*{_LEAD}(?P<rest>.+?)[\s.,;:!?]*", re.I)
# What dateparser may see: a numeric date (31/12/2026, 3/2027) or words with a month and a digit.
# Not "by 5" (May 31st to dateparser), nor "2027/28" (28 March 2027).
_NUMERIC_DATE = re.compile(
    r"\d{1,2}[/.]\d{1,2}[/.]\d{2,4}|\d{1,2}[/.]\d{4}|\d{4}[/.]\d{1,2}[/.]\d{1,2}"
)
_MONTH_WORD = re.compile(rf"(?<![\w-]){_MONTH}(?![\w-])", re.I)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_deadline(text: str, *, made_at: date) -> Deadline:
    """The deadline an ISO date or a time phrase names, relative to when it was said."""
    words = text.strip()
    if not words:
        raise DeadlineError(words, f"no deadline given in '{words}': {_HINT}")
    horizon_text = None if _ISO_DATE.fullmatch(words) else words
    deadline = Deadline(_from_words(words, made_at=made_at), horizon_text)
    if deadline.resolve_by < made_at:
        raise DeadlineError(
            words,
            f"'{words}' means {deadline.resolve_by}, which is before made_at {made_at}: "
            "a forecast cannot fall due before it was made",
        )
    return deadline


@lru_cache(maxsize=2048)  # pure; a sentence is asked again by the deadline, "should" and n-grams
def find_horizon(sentence: str) -> tuple[int, int, str] | None:
    """The span and text of the first time phrase in a sentence, found by our rules alone."""
    text = sentence.translate(_SAME_LENGTH)
    if not _ANY_TIME.search(text):
        return None
    found = [m for rule in _RULES if (m := _first_in(rule, text))]
    if not found:
        return None
    best = min(found, key=lambda m: (m.start(), -m.end()))
    return best.start(), best.end(), sentence[best.start() : best.end()]


def _first_in(rule: _Rule, text: str) -> re.Match[str] | None:
    matches = rule.sentence.finditer(text)
    return next((m for m in matches if rule.bare == "ok" or _has_lead(m)), None)


def _has_lead(m: re.Match[str]) -> bool:
    return bool(m["word"] or m["edge"])


def _from_words(words: str, *, made_at: date) -> date:
    text = words.translate(_SAME_LENGTH)
    for rule in _RULES:
        m = rule.phrase.fullmatch(text)
        if m and (rule.bare != "never" or _has_lead(m)):
            try:
                return _pick(rule.resolve(m, made_at), m)
            except ValueError as err:  # 31 February, 2027-13-01
                raise DeadlineError(words, f"'{words}' is no real date ({err}); {_HINT}") from err
    guessed = _dateparser_fallback(text, made_at=made_at)
    if guessed is None:
        raise DeadlineError(words, f"could not understand '{words}' as a deadline; {_HINT}")
    return guessed


def _pick(span: _Span, m: re.Match[str]) -> date:
    """The day the lead words choose: the last by default, the first, or the day before it."""
    before = bool(m["before"])
    if m["start"]:  # "by the start of 2027", "before the start of 2027"
        return span.first - timedelta(days=before)
    if before and not m["edge"]:  # "before 2027"; "before the end of 2026" is its last day
        return span.first - timedelta(days=1)
    return span.last


def _dateparser_fallback(text: str, *, made_at: date) -> date | None:
    """dateparser on the phrase without its lead words, when that looks like a date."""
    m = _PHRASE_LEAD.fullmatch(text)
    if m is None or not _looks_like_a_date(m["rest"]):
        return None
    settings = {
        "RELATIVE_BASE": datetime.combine(made_at, datetime.min.time()),
        "PREFER_DATES_FROM": "future",
        "PREFER_DAY_OF_MONTH": "last",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    parsed = dateparser.parse(m["rest"], languages=["en"], settings=settings)
    return None if parsed is None else _pick(_point(parsed.date()), m)


def _looks_like_a_date(words: str) -> bool:
    with_month = re.search(r"\d", words) and _MONTH_WORD.search(words)
    return bool(_NUMERIC_DATE.fullmatch(words) or with_month)
