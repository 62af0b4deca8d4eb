"""Forecast cues in a sentence, and the filters for what only looks like a forecast.

Everything here works on a sentence passed through `normalise` (same length as the original, so
offsets hold): future modals, predictive verbs, idioms ("set to", "on track to"), the codebook's
hedge phrases, stated probabilities ("70%", "7 in 10", "3-to-1"); and the filters: questions,
advice ("will have to"), events already scheduled, indirect questions ("whether it will"),
past speculation ("may have"), a month called May, "will" as a noun. Reported beliefs of others
are kept and marked with who holds them (`frame`); conditions are found by `condition`.
"""

import re
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from typing import Literal

from app.extraction.sentences import LONE_TAG
from app.extraction.verbforms import will_clause
from app.language.codebook import get_codebook
from app.language.horizons import find_horizon

Joint = Literal["start", "and", "other"]
CueKind = Literal[
    "number",
    "ellipsis",
    "modal",
    "verb",
    "idiom",
    "weak modal",
    "hedge",
    "present",
    "pick",
    "target",
    "projection",
]
# Which cue shapes the claim when a clause has several: a number or a modal over a hedge.
PRIORITY: dict[CueKind, int] = {
    "number": 6,
    "ellipsis": 5,
    "pick": 5,  # "I'll take the over" is a pick, not first-person volition
    "modal": 4,
    "present": 3,
    "target": 3,
    "projection": 3,
    "verb": 3,
    "idiom": 3,
    "weak modal": 2,
    "hedge": 1,
}

_SAME_LENGTH = str.maketrans(
    {"’": "'", "‘": "'", "ʼ": "'", "“": '"', "”": '"', "—": "–", "\u00a0": " "}
)
# Plain "will" and its kin assert the sentence as written; modals are found by their own rules.
_MODAL_ENTRIES = {"will", "will not", "won't", "going to"}
_WEAK_ENTRIES = {"could", "might", "may", "could well", "might well", "may well"}
# Hedges that qualify another cue but never carry a forecast alone ("he is probably right").
ADVERBS = {
    "probably",
    "probably not",
    "almost certainly",
    "almost certainly not",
    "certainly",
    "definitely",
    "inevitably",
    "possibly",
    "perhaps",
    "maybe",
}
_FRAMES = {"we believe", "i believe", "we doubt", "i doubt", "we estimate", "we are convinced"}
_FRAMES |= {"practically guaranteeing", "no doubt"}
# Idioms and predictive verbs take the value of the codebook phrase they paraphrase.
IDIOMS = {
    "the likeliest": "likely",
    "the most likely": "likely",
    "set": "will",
    "about": "will",
    "forecast": "will",
    "predicted": "will",
    "projected": "will",
    "poised": "likely",
    "on track": "likely",
    "on course": "likely",
    "expected": "likely",
    "tipped": "likely",
    "primed": "likely",
    "destined": "bound to",
    "favoured": "likely",
    "favored": "likely",
    "sure": "certain",
    "doomed": "bound to",
    "good chance": "chances are good",
    "a good bet": "likely",
    "there's no way": "no chance",
    "more probable than not": "more likely than not",
    "there is no way": "no chance",
}
VERBS = {
    "expect": "likely",
    "anticipate": "likely",
    "predict": "will",
    "forecast": "will",
    "foresee": "will",
    "bet": "will",
}
FIRST_PERSON = {
    "i",
    "we",
    "my",
    "our",
    "i'd",
    "we'd",
    "i'm",
    "we're",
    "i'll",
    "we'll",
    "i've",
    "we've",
    "let",
}
PRONOUNS = {"he", "she", "they", "it"}
_KIN = {
    *[
        "friend",
        "friends",
        "dad",
        "mum",
        "mom",
        "mother",
        "father",
        "brother",
        "sister",
        "wife",
        "husband",
        "partner",
        "son",
        "daughter",
        "uncle",
        "aunt",
        "cousin",
        "grandma",
        "grandmother",
        "grandad",
        "grandpa",
        "grandfather",
        "neighbour",
        "neighbor",
        "guest",
        "guests",
        "co-host",
        "cohost",
        "mate",
        "pal",
        "buddy",
        "boss",
        "brother-in-law",
        "sister-in-law",
        "father-in-law",
        "mother-in-law",
        "old",
    ]
}

_DASH = re.compile(r"\s*–\s*|\s+-\s+")
_BOUNDARY = re.compile(r"\s*;\s*|:\s+|,\s+(?=(?:and|but|yet|whereas)\s)")
_QUESTION_END = re.compile(r"\?[\"')\]\s]*$")
_MODAL = re.compile(
    r"\b(?:will\s+not|won't|will|shall\s+not|shan't|shall|gonna)\b|(?<=[a-z])'ll\b"
    r"|\b(?:am|is|are|'s|'re|'m)\s+(?:(?:almost|just|\w+ly|in\s+all\s+(?:likelihood|probability)),?\s+){0,3}"
    r"(?:not\s+)?going\s+to\b"
    r"(?!\s+(?:the|a|an|my|his|her|their)\b)",
    re.I,
)
_RISKS_LABEL = re.compile(r"\s*[:–]|\s+(?:to|include|are|remain|here)\b", re.I)
_WILL_NOUN_BEFORE = re.compile(
    r"\b(?:the|a|his|her|its|their|our|my|your|political|popular|free|good|ill|own|strong"
    r"|iron|public|national|collective|sheer|of|last)\s+$",
    re.I,
)
_WILL_NOUN_AFTER = re.compile(r"\s+(?:of|to|power)\b", re.I)
# "Time will tell", "we will see", "will depend on": the future named, nothing foretold.
_EMPTY_FUTURE = re.compile(
    r"\btime\s+(?:will|'ll)\s+tell\b|\bwe\s+(?:will|'ll|shall)\s+see\s*(?:[,.;:!?]|$|whether|if"
    r"|how|what|who)|\b(?:will|'ll)\s+(?:\w+ly\s+)?depend\b",
    re.I,
)
# ", which will cost billions,": background to the sentence, not what it asserts.
_RELATIVE_BEFORE = re.compile(r",\s*(?:who|which)\s+$", re.I)
_ADVICE_AFTER = re.compile(r"\s+(?:\w+ly\s+)?(?:have|need)\s+to\b", re.I)
_SCHEDULED = re.compile(
    r"\b(?:will|'ll)\s+(?:\w+\s+)?(?:take\s+place|be\s+held)\b"
    r"|\b(?:is|are|was|were)\s+(?:scheduled|slated|timetabled|due\s+to\s+be\s+held)\b",
    re.I,
)
_MONTHS = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*"
_DATE_WORDS = (
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTHS}|{_MONTHS}\s+\d{{1,2}}\b)"
)
# A diary verb with a date ("will meet on Friday", "will visit China in April"): a schedule.
_DIARY_VERB = re.compile(
    r"(?:will|'ll)\s+(?:meet|convene|gather|vote|debate|open|begin|start|resume|close|publish"
    r"|release|announce|unveil|reconvene|kick\s+off|go\s+to\s+the\s+polls|take\s+office|visit"
    r"|travel|speak|testify|sit|come\s+into\s+force|take\s+effect|be\s+(?:played|released"
    r"|published|announced|unveiled|sworn\s+in|opened|launched))\b",
    re.I,
)
_DIARY_DATE = re.compile(
    rf"\bon\s+{_DATE_WORDS}|\bin\s+(?:january|february|march|april|may|june|july|august"
    r"|september|october|november|december)\b",
    re.I,
)
_INDIRECT_QUESTION = re.compile(
    r"\b(?:whether|how)\b|\b(?:question\s+is|unclear|uncertain|not\s+clear|asks?|asked|wonders?"
    r"|wondered|know|see|depends\s+on|no\s+idea)\s+(?:if|what|when|where|who|why|which)\b",
    re.I,
)
_CHUNK_START = re.compile(r"[,;:–(]")
# "A ban on rentals would push rents down", "cutting now would squander credibility": the
# consequence of a hypothetical step is a forecast; "it would be a mistake" is an opinion and
# "he said the firm would fail" reports the past.
_WOULD = re.compile(
    r"\bwould\b(?!\s+(?:have|like|rather|prefer|be\s+(?:a\s+mistake|wise|better"
    r"|best|nice|good|welcome|a\s+good\s+idea|an?\s+\w+\s+idea)))",
    re.I,
)
_WOULD_SUBJECT_CUT = re.compile(r"[,;:–]\s*|\bthat\s+", re.I)
_HYPOTHETICAL_SUBJECT = re.compile(r"(?:an?|any|such|\w+ing)\b", re.I)
_PAST_REPORT = re.compile(
    r"\b(?:said|told|thought|believed|expected|hoped|predicted|feared|assumed|had)\b", re.I
)
_WEAK_PAST_AFTER = re.compile(
    r"\s+(?:not\b|n't\b|have\s+(?!(?:a|an|the|no|some|little|serious|major|real|big|any)\b))",
    re.I,
)
_MONTH_LEAD = re.compile(
    r"\b(?:in|by|since|of|until|till|early|late|mid|last|next|this|from|during|before|after)"
    r"[\s-]+$",
    re.I,
)
_PAST_MARKER = re.compile(
    r"\b(?:yesterday|ago|last\s+(?:week|month|year|night|season|summer|spring|autumn|winter))\b",
    re.I,
)
_PAST_BEFORE = re.compile(r"\b(?:was|were|had)\s+(?:\w+\s+){0,2}$", re.I)
_PAST_THAT = re.compile(r"\s*(?:that\s+)?[^,;.]*?\b(?:was|were|had|did)\b", re.I)
_PREDICATE_AFTER = re.compile(
    r"\s*(?:[.,;:!?–)\"']|$)|\s+(?:that|to|for|now|given|if|unless|in|by|before|within|this|over|inside"
    r"|next|as|because|after|once|when|until|and|but|or|though|at|even|either|without|unless|absent"
    r"|while|whatever|regardless|under|on|from|with)\b",
    re.I,
)
_FINITE = re.compile(r"\s*(?:\S+\s+){1,5}?\w+(?:es|s|ed)\b(?!')")
_ADJECTIVE = re.compile(r"(?:likely|probable|inevitable|possible|conceivable|certain|guaranteed)$")
_AWAY = re.compile(r"\b(?:years?|decades?|months?|weeks?|days?|generations?)\s+away\b", re.I)
_VERB = re.compile(
    r"\b(?P<v>expect|expects|expecting|predict|predicts|predicting|forecast|forecasts"
    r"|forecasting|foresee|foresees|anticipate|anticipates|anticipating|bet|bets|betting)\b",
    re.I,
)
_SAID_EXPECTED = re.compile(
    r"\b(?:said|told\s+\w+|added)\s+(?:that\s+)?(?:[\w'-]+\s+){1,3}?(?:now\s+|still\s+)?"
    r"(?P<v>expected)\b",
    re.I,
)
_TITLE_NOUN = re.compile(
    r"\s*(?::|\(|of\b|for\s+(?:20\d\d|the\s+\w+\s+(?:quarter|season|year)))", re.I
)
_BET_ON = re.compile(r"\s+(?:against|on)\b", re.I)
_PLURAL_AFTER = re.compile(
    r"\s+(?:have|are|were|will|would|can|could|tend|remain|do|don't|show|see|put|point)\b", re.I
)
_IS_FORECAST_BEFORE = re.compile(
    r"\b(?:is|are|'s|'re)\s+(?:now\s+|still\s+|widely\s+|not\s+)?$", re.I
)
_MODAL_AFTER = re.compile(r"\s+(?:will|would|won't|could|may|might|should|has|had|was)\b", re.I)
_VERB_NOT_AFTER = re.compile(
    r"\b(?:was|were|had|has|have|been|a|the|this|that|their|his|her|its|safe|good|best"
    r"|weather|(?<!\bspoke\s)(?<!\btalked\s)(?<!\bspoken\s)(?<!\bspeak\s)(?<!\btalk\s)to)"
    r"\s+(?:\w+ly\s+)?$",
    re.I,
)
_IDIOM = re.compile(
    r"\b(?:is|are|am|'s|'re|'m|be|looks?|seems?|appears?|remains?)\s+(?:(?:now|still|already"
    r"|increasingly|all\s+but|widely|not|almost|virtually|nearly|pretty|fairly|very)\s+)*(?P<w>set|poised|on\s+track|on\s+course"
    r"|doomed|about|sure|expected|forecast|predicted|projected|tipped|primed|destined|favou?red"
    r"|(?:the\s+)?(?:heavy\s+|clear\s+|strong\s+|big\s+|hot\s+|overwhelming\s+|firm\s+"
    r"|short-priced\s+)?favou?rites?)\s+to\s+(?=[a-z])"
    r"|\b(?P<n>good\s+chance|a\s+good\s+bet|there(?:'s|\s+is)\s+no\s+way|more\s+probable\s+than\s+not)\b"
    r"|\b(?:is|are|'s|'re|looks?|seems?)\s+(?P<l>the\s+(?:likeliest|most\s+likely))\s+to\s+(?=[a-z])",
    re.I,
)
_PERCENT = re.compile(r"(?P<n>\d{1,3}(?:\.\d+)?)\s*(?:%|per\s*cent\b|percent\b)", re.I)
_PERCENT_AFTER = re.compile(
    r"\s+(?:chance|probability|likelihood|odds|risk|likely|certain|sure|confident|shot|punt)\b"
    r"|\s+to\s+(?:win|make|reach|finish|take|lift|top|beat|retain|claim|qualify|go\s+through)\b",
    re.I,
)
_PERCENT_BEFORE = re.compile(
    r"\b(?:(?:chances?|probability|likelihood|odds|risk|money\s+on|implies|implied|implying)\b"
    r"(?:[^.;%]|\.\d){0,200}?"
    r"(?:\b(?:at|is|of|to)|,\s+"
    r"(?:maybe|perhaps|say|call\s+it))"
    r"|give\s+(?:it|this|that|them|him|her|the\s+\w+)(?:\s+a)?|(?:I|we)(?:'d|\s+would)?\s+(?:put|make|rate"
    r"|peg)\s+(?:[\w'-]+\s+){1,6}?(?:at|north\s+of|south\s+of|above|below|around|near|somewhere\s+around"
    r"|about)|(?:put|make|rate|peg)\s+(?:it|this|that|the\s+odds|the\s+chances?)\s+(?:at|north\s+of"
    r"|south\s+of|above|below|around|near))"
    r"\s+['\"]?(?:(?:about|around|roughly|nearly|almost|some|perhaps|maybe|under|over|below"
    r"|above|no\s+more\s+than|at\s+least|less\s+than|more\s+than)\s+)*$",
    re.I,
)
_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}
_NUM = r"(?:\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten)"
_IN = re.compile(
    rf"\b(?P<a>{_NUM})(?:[\s-]+(?:chances?\s+|times\s+)?in[\s-]+|\s+(?:times\s+)?out\s+of\s+)(?P<b>{_NUM}|100)\b"
    r"(?=[\s-]+(?:chance|shot|probability|odds|proposition|bet|call)\b|\s*(?:[.,;:!)–'\"]|$)"
    r"|\s+(?:of|that|for|to)\s)",
    re.I,
)
# A bare "1 in 5" is a probability only after a word of chance ("put the odds at 1 in 5").
_CHANCE_BEFORE = re.compile(
    r"\b(?:odds|chances?|likelihood|probability|risk|put\s+it|make\s+it|call\s+it|put\s+at"
    r"|(?:I|we)(?:'d|\s+would)\s+(?:put|say|rate))\b(?:[^.;]|\.\d){0,120}$",
    re.I,
)
_ODDS = re.compile(
    rf"\b(?P<a>{_NUM})(?:-to-|\s+to\s+|-)(?P<b>{_NUM})\b(?:[\s-]+(?P<side>against|on|in\s+favou?r))?",
    re.I,
)
_ODDS_WORD = re.compile(r"\bodds\b", re.I)
_ELLIPSIS = re.compile(
    r"[–,]\s*(?:it|they|he|she|that|this)\s+(?P<m>won't|will\s+not|will|shall\s+not|shall)"
    r"\s*(?=[–,.;!]|$)",
    re.I,
)
QUESTION_CLAUSE = re.compile(r"\b(?:whether|if)\s+(?:or\s+not\s+)?", re.I)

_REPORTING = re.compile(
    r"\b(?P<v>believes?|believed|thinks?|thought|expects?|expected|predicts?|predicted"
    r"|forecasts?|anticipates?|foresees?|hopes?|hoped|fears?|feared|worr(?:y|ies|ied)|argues?"
    r"|argued|says?|said|claims?|claimed|insists?|insisted|warns?|warned|reckons?|reckoned"
    r"|estimates?|estimated|projects?|contends?|maintains?|suggests?|bets?|doubts?|doubted"
    r"|repl(?:y|ies|ied)|counter(?:s|ed)?|notes?|noted"
    r"|(?:is|are|was|were)\s+(?:convinced|confident|certain|sure|sceptical|skeptical|adamant)"
    r"|(?:puts?|putting|gives?|giving|makes?)(?=\s+(?:(?:the|its|their|his|her)\s+(?:odds|chances?"
    r"|probability|likelihood)|an?\s+\S+(?:\s+(?:percent|per\s+cent))?\s+chance)\b)|confirmed|announced"
    r"|told\s+(?:me|us|reporters|MPs|investors|analysts|clients|the\s+\w+)|tells\s+(?:me|us|MPs"
    r"|reporters|investors|clients)"
    r"|(?:are|is)\s+(?:now\s+)?(?:pricing(?:\s+in)?|implying)"
    r"|(?:has|have)(?=\s+[^,;]{1,60}?\s+(?:at|as)\s+(?:its\s+|their\s+)?[\d$€£])"
    r"|(?<=,\s)(?:predicting|expecting|forecasting|betting|warning|estimating|projecting"
    r"|arguing)"
    r"|sees?(?!\s+(?:no|little|any|how|what|whether|if|why|it|this|that|you|them|him|her|us|me)\b))\b"
    r"(?!\s+(?:of|for|about|in)\b)",
    re.I,
)
# An expectation the author advises against: "Don't expect relief", "nobody should expect".
ADVICE_BEFORE = re.compile(
    r"(?:\b(?:should|must|can|would|ought\s+to)(?:\s+not|n't)|\b(?:don't|do\s+not|never))\s+$",
    re.I,
)
_PASSIVE_BEFORE = re.compile(r"\b(?:is|are|was|were|be|been|being|as|than)\s+$", re.I)
# "the stadium project will", "his claims were": the word is a noun, not a verb of saying.
_NOUN_BEFORE = re.compile(r"\b(?:the|a|an|his|her|its|their|our|my|your|this|that)\s+$", re.I)
_NOUN_AFTER = re.compile(
    r"\s+(?:will|would|won't|is|are|was|were|has|have|had|could|can|may|might|should)\b", re.I
)
_SUBJECT_CUT = re.compile(
    r"[,;:–(]\s*|\b(?:that|and|but|while|because|although|though|whereas|as|so|if|when"
    r"|says?|said|thinks?|believes?)\s+",
    re.I,
)
_DISCOURSE = re.compile(
    r"^(?:(?:and\s+that|but\s+that|but|and|so|yet|still|now|indeed|specifically|moreover"
    r"|however|meanwhile|instead|therefore|thus|in\s+short|in\s+fact|mark\s+my\s+words"
    r"|as\s+a\s+result|then|of\s+course|to\s+be\s+sure|even\s+so|either\s+way)\b[,:]?\s+)+",
    re.I,
)
_SUBJECT_TAIL = re.compile(
    r"(?:\s+(?:also|still|now|privately|openly|increasingly|long|firmly|widely|have|has|had"
    r"|do|does|did|clearly|reportedly|apparently|rightly|wrongly|already))+$",
    re.I,
)
_THAT_AFTER = re.compile(r"(?:\s+\w+){0,3}?\s+that\s+|\s+", re.I)
_ACCORDING = re.compile(
    r"\b(?:according\s+to|in\s+the\s+view\s+of)\s+(?P<s>[^,;:.–]+)"
    r"|\bin\s+(?P<s2>his|her|their)\s+(?:view|opinion|estimation)\b",
    re.I,
)
_SAYS = (
    r"say|says|said|predicted|predict|predicts|warned|warn|warns|argued|argue|argues|believe"
    r"|believes|expect|expects|insist|insists|insisted|reckon|reckons|confirmed|announced"
    r"|estimate|estimates|think|thinks|told\s+(?:me|us|reporters|the\s+\w+)|tells\s+(?:me|us)|adds"
    r"|added|writes|wrote|explains|explained|notes|noted"
)
_TRAILING = re.compile(
    rf",\s*(?P<s>[^,;:–]{{1,60}}?)\s+(?P<v>{_SAYS})(?:\s+(?:on|at|in|from|after|during|over)"
    r"(?:\s+[\w'-]+){1,3})?\s*[.!]?[\"')]*\s*$"
    r"|,\s*(?P<v2>says?|said|warned|predicted|argued)\s+(?P<s2>[^,;:–]{1,60}?)\s*[.!]?[\"')]*\s*$"
    r"|,\s*(?P<mine>in\s+my\s+view|in\s+our\s+view)\s*[.!]?\s*$"
    rf"|,\s*[\"']\s*(?P<s3>[^,;:–\"']{{1,40}}?)\s+(?P<v3>{_SAYS})\s*,\s*[\"']",
    re.I,
)
_ANNOUNCES = {"confirmed", "announced"}
_NO_BELIEVER = re.compile(r"\s*(?:whatever|no\s+matter|regardless|which|who|what|as|like)\b", re.I)
_IF_WORDS = (
    r"if|unless|provided(?:\s+that)?|providing(?:\s+that)?|as\s+long\s+as|so\s+long\s+as"
    r"|in\s+the\s+event\s+that"
)
_IF_LEAD = re.compile(
    rf"(?:^|(?<=[,;:–])\s*|\b(?:and|but|so|then)\s+)(?<!even\s)(?<!as\s)(?P<w>{_IF_WORDS})\s+"
    r"(?P<c>[^,;:–]+?),\s+",
    re.I,
)
_IF_TRAIL = re.compile(
    rf"(?:,\s*|\s+)(?<!even\s)(?<!as\s)(?P<w>{_IF_WORDS})\s+(?P<c>[^,;:–]+?)\s*[.!]?[\"')]*\s*$",
    re.I,
)
_NAMED = re.compile(
    r"^(?:(?:But|And|So|Yet|Still|Now|Indeed|Specifically|However|Meanwhile|Instead),?\s+)?"
    r"(?P<name>(?:[A-Z][\w.-]*\s+){0,3}?[A-Z][\w-]*)(?!'s)\s+[a-z]"
)
# Words that open a sentence but name nobody ("The strategy is", "He has").
_NOT_A_NAME = re.compile(
    r"the|an?|this|that|these|those|its?|he|she|they|we|i|you|there|here|his|her|their|our|my"
    r"|your|if|when|while|as|though|although|but|and|what|why|how|who|no|now|one|some|many|most"
    r"|all|each|every|other|such|several|few|both|to|in|on|at|for|by|with|from",
    re.I,
)


@dataclass(frozen=True)
class Cue:
    """A word or phrase that marks a forecast, with what it implies."""

    kind: CueKind
    start: int
    end: int
    words: str
    phrase: str | None  # the codebook phrase its probability comes from
    probability: float | None
    shape: str | None = None  # how claims.py rewrites it ("toast", "over", "pick", "see", ...)


@dataclass(frozen=True)
class Segment:
    """A clause-sized piece of a sentence; `joined` says how it follows the previous one."""

    start: int
    end: int
    joined: Joint


@dataclass(frozen=True)
class Frame:
    """Who holds a belief ('Putin believes that'): subject, verb, and where the frame is."""

    subject: str
    verb: str
    start: int
    end: int  # where the reported clause begins

    @property
    def first_person(self) -> bool:
        """Whether the author speaks ('I expect', 'we believe', an imperative 'Expect ...')."""
        words = self.subject.lower().split()
        if len(words) > 1 and words[0] in ("my", "our") and words[1] in _KIN:
            return False  # "my dad says", "our guest thinks": someone else's view
        return not words or words[0] in FIRST_PERSON

    @property
    def announces(self) -> bool:
        """Whether the frame reports an announcement, not a belief ('the regulator confirmed')."""
        return self.verb.lower() in _ANNOUNCES


@dataclass(frozen=True)
class Condition:
    """The condition of a conditional forecast and its place in the sentence."""

    text: str
    start: int
    end: int
    leading: bool


# Reported speech shifts tense ("officials said a ruling was unlikely before 2026"): after a
# report verb, "was/were" before a hedge of the future reads as "is/are", padded to keep offsets.
_BACKSHIFTED = re.compile(
    r"\b(?:said|says|told|warned|predicted|believed|thought|argued|added|reckoned|insisted"
    r"|according\s+to)\b.*?\b(?P<be>was|were)(?=\s+['\"]?(?:(?:still|now|not|also|increasingly|highly"
    r"|very|more|most|less|far|all\s+but|almost|virtually|quietly|fairly|fully)\s+)*['\"]?(?:likely|unlikely|expected|poised"
    r"|on\s+(?:course|track)|set\s+to|bound\s+to|certain|sure|confident|optimistic|doubtful"
    r"|possible|probable|inevitable|['\"]?(?:nailed\s+on|a\s+lock|a\s+formality|a\s+done\s+deal|a\s+foregone|toast|doomed))\b)",
    re.I,
)


# A tag standing alone after its call ("The Salt Orchard. Lock it."): its full stop reads as a
# comma, so the tag is the call's.
_TAG_STOP = re.compile(rf"[.!](?=\s+{LONE_TAG}\s*$)", re.I)


def normalise(text: str) -> str:
    """Straight quotes and one kind of dash, reported speech in the present, and a lone tag's
    full stop as a comma, keeping every offset."""
    text = _TAG_STOP.sub(",", text.translate(_SAME_LENGTH))
    for m in _BACKSHIFTED.finditer(text):
        be = m["be"]
        now = ("is" if be.lower() == "was" else "are").ljust(len(be))
        text = (
            text[: m.start("be")]
            + (now.capitalize() if be[0].isupper() else now)
            + text[m.end("be") :]
        )
    return text


def discourse(text: str) -> str:
    """The discourse words a piece opens with ('But', 'and that', 'Specifically,'), or ''."""
    m = _DISCOURSE.match(text)
    return m[0] if m else ""


def has_verb(clause: str) -> bool:
    """Whether words read as a clause ('the budget passes') rather than a noun phrase."""
    return bool(_MODAL.search(clause) or _FINITE.match(clause))


def is_question(sentence: str) -> bool:
    """Whether the sentence asks rather than asserts."""
    return bool(_QUESTION_END.search(sentence))


def segments(text: str) -> list[Segment]:
    """Pieces split at semicolons, colons, ', and'/', but' and unpaired dashes."""
    cuts = [(m.start(), m.end()) for m in _BOUNDARY.finditer(text)]
    cuts += _unpaired_dashes(text)
    pieces: list[Segment] = []
    start, joined = 0, _joint(None)
    for cut_start, cut_end in sorted(cuts):
        pieces.append(Segment(start, cut_start, joined))
        start, joined = cut_end, _joint(text[cut_end:])
    pieces.append(Segment(start, len(text), joined))
    return [p for p in pieces if text[p.start : p.end].strip()]


def _joint(rest: str | None) -> Joint:
    """How a piece follows the one before: 'and' carries a frame or a condition over."""
    if rest is None:
        return "start"
    return "and" if re.match(r"and\b", rest) else "other"


def _unpaired_dashes(text: str) -> list[tuple[int, int]]:
    """Dashes that do not close a parenthetical '– like this –'; a pair stays in one piece."""
    dashes = [(m.start(), m.end()) for m in _DASH.finditer(text)]
    return dashes[-1:] if len(dashes) % 2 else []


def anchors(text: str, seg: Segment) -> tuple[list[Cue], list[str]]:
    """The cues that carry a forecast in a segment, and the filters that set others aside."""
    found: list[Cue] = []
    rejected: list[str] = []
    first = (_numbers, _ratios, _ellipses, _surprises, _picks, _modals, _verbs, _idioms, _present)
    later = (_extra, _outlooks, _projections, _targets, _codebook_anchors, _woulds)
    for finder in (*first, *later):
        cues, reasons = finder(text, seg)
        found += [c for c in cues if not any(_overlaps(c, f) for f in found)]
        rejected += reasons
    return sorted(found, key=lambda c: c.start), rejected


def qualifiers(text: str, start: int, end: int) -> list[Cue]:
    """Every phrase in the range that implies a probability: hedges, idioms, predictive verbs."""
    seg = Segment(start, end, "start")
    cues = [c for c in _hedges(text, start, end) if c.phrase not in _MODAL_ENTRIES]
    cues = [c for c in cues if c.kind == "hedge" or _weak_modal_ok(text, c) is None]
    cues += _verbs(text, seg)[0] + _idioms(text, seg)[0] + _picks(text, seg)[0] + _held(text, seg)
    cues += _projections(text, seg)[0] + _surprises(text, seg)[0]
    return sorted(cues, key=lambda c: c.start)


def stated(text: str, start: int, end: int) -> list[Cue]:
    """Probabilities written as numbers in the range."""
    seg = Segment(start, end, "start")
    prices = [
        Cue("number", m.start("odds"), m.end("odds"), m["odds"], None, p, "staked")
        for m in _STAKED.finditer(text, start, end)
        if (p := _price_chance(m["odds"])) is not None
    ]
    return _numbers(text, seg)[0] + _ratios(text, seg)[0] + prices


def is_frame_hedge(cue: Cue) -> bool:
    """Whether the reported clause starts after this hedge ('I doubt', 'little chance that')."""
    return cue.kind in ("hedge", "verb") and cue.phrase not in ADVERBS


def _overlaps(a: Cue, b: Cue) -> bool:
    return a.start < b.end and b.start < a.end


def codebook_probability(phrase: str) -> float:
    """The default codebook's value for one of its phrases."""
    entry = get_codebook().match(phrase)
    if entry is None:  # the tables in this module name only phrases the codebook has
        raise LookupError(f"codebook has no '{phrase}'")
    return entry.probability


def _cue(kind: CueKind, m: re.Match[str], group: int | str, phrase: str) -> Cue:
    probability = codebook_probability(phrase)
    return Cue(kind, m.start(group), m.end(group), m[group], phrase, probability)


def _numbers(text: str, seg: Segment) -> tuple[list[Cue], list[str]]:
    """Percentages next to a word of chance, 'N in M chance', and odds."""
    cues: list[Cue] = []
    for m in _PERCENT.finditer(text, seg.start, seg.end):
        if _PERCENT_AFTER.match(text, m.end()) or _PERCENT_BEFORE.search(text[: m.start()]):
            cues.append(Cue("number", m.start(), m.end(), m[0], None, float(m["n"]) / 100))
    for m in _IN.finditer(text, seg.start, seg.end):
        a, b = _count(m["a"]), _count(m["b"])
        bare = not re.match(r"\s+\w", text[m.end() :]) and "out of" not in m[0]
        bare = bare and "chance" not in m[0].lower()
        if 0 < a <= b and (not bare or _CHANCE_BEFORE.search(text, 0, m.start())):
            cues.append(Cue("number", m.start(), m.end(), m[0], None, a / b))
    sided = _ODDS_WORD.search(text, seg.start, seg.end) is None
    odds = _ODDS.finditer(text, seg.start, seg.end)
    cues += [
        _odds(m)
        for m in odds
        if _count(m["a"]) and _count(m["b"]) and (not sided or (m["side"] and "to" in m[0]))
    ]
    past = [c for c in cues if _PAST_BEFORE.search(text[: c.start])]
    return [c for c in cues if c not in past], ["past tense before a number"] * bool(past)


def _count(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBER_WORDS[word.lower()]


def _odds(m: re.Match[str]) -> Cue:
    """'3-to-1' is 3 for and 1 against (0.75); 'against' turns it round (0.25)."""
    a, b = _count(m["a"]), _count(m["b"])
    against = (m["side"] or "").lower() == "against"
    p = b / (a + b) if against else a / (a + b)
    return Cue("number", m.start(), m.end(), m[0], None, p)


def _ellipses(text: str, seg: Segment) -> tuple[list[Cue], list[str]]:
    """'whether X will succeed – it won't': a verdict on a question the sentence just asked."""
    cues = []
    for m in _ELLIPSIS.finditer(text, seg.start, seg.end):
        if QUESTION_CLAUSE.search(text, seg.start, m.start()):
            cues.append(_cue("ellipsis", m, "m", _modal_phrase(m["m"].lower())))
    return cues, []


def _modals(text: str, seg: Segment) -> tuple[list[Cue], list[str]]:
    """will, won't, shall, 'll, is going to; not the noun 'will', advice, schedules, questions."""
    cues, rejected = [], []
    for m in _MODAL.finditer(text, seg.start, seg.end):
        reason = _modal_rejected(text, seg, m)
        if reason:
            rejected.append(reason)
        else:
            words = " ".join(m[0].split())
            cues.append(_cue("modal", m, 0, _modal_phrase(words.lower())))
    return cues, rejected


def _woulds(text: str, seg: Segment) -> tuple[list[Cue], list[str]]:
    """'would' after a hypothetical subject ('a ban on X would', 'cutting now would')."""
    cues, rejected = [], []
    for m in _WOULD.finditer(text, seg.start, seg.end):
        before = text[seg.start : m.start()]
        cut = max((c.end() for c in _WOULD_SUBJECT_CUT.finditer(before)), default=0)
        subject = _DISCOURSE.sub("", before[cut:].strip())
        if _PAST_REPORT.search(before):
            rejected.append("'would' in a report of the past")
        elif _HYPOTHETICAL_SUBJECT.match(subject):
            cues.append(Cue("modal", m.start(), m.end(), m[0], "will", 0.9))
    return cues, rejected


def _modal_phrase(words: str) -> str:
    """The codebook entry of a modal: 'shall' and ''ll' are 'will', 'gonna' is 'going to'."""
    if words in _MODAL_ENTRIES:
        return words
    if "going" in words or words == "gonna":
        return "going to"
    return "will not" if "not" in words or "n't" in words else "will"


_SHOULD_WIN_LABEL = re.compile(r"\s+win\s*[:—–]")


def _modal_rejected(text: str, seg: Segment, m: re.Match[str]) -> str | None:
    """Why a modal is not a forecast here, or None when it is one."""
    before = text[seg.start : m.start()]
    if m[0].lower() == "will":
        if _WILL_NOUN_BEFORE.search(before) or _WILL_NOUN_AFTER.match(text, m.end()):
            return "'will' as a noun"
        if m[0] == "Will" and before.strip():
            return "'Will' as a name"
    if _ADVICE_AFTER.match(text, m.end()):
        return "advice 'will have to'"
    if m[0].lower() == "should" and _SHOULD_WIN_LABEL.match(text, m.end()):
        return "'Should win:' is the writer's preference"
    if _scheduled(text, seg, m.start()):
        return "event already scheduled"
    if _EMPTY_FUTURE.search(text, max(seg.start, m.start() - 12), min(seg.end, m.end() + 24)):
        return "no forecast in 'time will tell'"
    if _RELATIVE_BEFORE.search(before):
        return "relative clause"
    chunk = before[max((c.end() for c in _CHUNK_START.finditer(before)), default=0) :]
    if _INDIRECT_QUESTION.search(chunk):
        return "indirect question"
    return None


def _scheduled(text: str, seg: Segment, at: int) -> bool:
    """'will take place', 'is scheduled to', or a diary verb with a date in the same piece."""
    if _SCHEDULED.search(text, seg.start, seg.end):
        return True
    return bool(_DIARY_VERB.match(text, at) and _DIARY_DATE.search(text, seg.start, seg.end))


_BETTOR = re.compile(
    r"\b(?:I|we|they|he|she|investors|traders|markets?|punters|bettors|sharps|funds"
    r"|(?!(?:Please|Never|Always|Only|Don't|Do|Weekend|Free|Best|Top|Our|My|Your)\b)[A-Z][\w'-]+)"
    r"(?:'d|'m|'re|\s+(?:would|are|is|am|were|was))?\s+(?:(?:still|now|also|all|quietly|heavily|not)\s+)*$"
)


def _verbs(text: str, seg: Segment) -> tuple[list[Cue], list[str]]:
    """expect, predict, forecast, foresee, anticipate, bet in the present; 'my forecast is'."""
    cues, rejected = [], []
    for m in _SAID_EXPECTED.finditer(text, seg.start, seg.end):  # "said they expected X to"
        cues.append(_cue("verb", m, "v", "likely"))
    for m in _VERB.finditer(text, seg.start, seg.end):
        verb = m["v"].lower()
        noun = bool(_MODAL_AFTER.match(text, m.end())) and verb in ("forecast", "bet")
        noun = noun or (verb in ("forecasts", "bets") and bool(_PLURAL_AFTER.match(text, m.end())))
        noun = noun or (verb.startswith("forecast") and bool(_TITLE_NOUN.match(text, m.end())))
        noun = noun or (verb.startswith("forecast") and " | " in text)  # a page title
        if verb == "bet" and _BET_ON.match(text, m.end()):  # "wouldn't bet against": a backing
            continue
        if verb.startswith("bet") and (m[0].isupper() or not _BETTOR.search(text, 0, m.start())):
            rejected.append(
                f"'{m[0]}' without a bettor (page text: 'bet responsibly', 'Betting Preview')"
            )
            continue
        if verb == "forecast" and _IS_FORECAST_BEFORE.search(text[seg.start : m.start()]):
            rejected.append(f"'{m[0]}' in the passive: read as 'is forecast to'")
        elif _VERB_NOT_AFTER.search(text[seg.start : m.start()]) or noun:
            rejected.append(f"'{m[0]}' in the past or as a noun")
        else:
            cues.append(_cue("verb", m, 0, VERBS[_stem(m["v"])]))
    return cues, rejected


def _stem(verb: str) -> str:
    """The dictionary form of a predictive verb: 'expects' and 'expecting' are 'expect'."""
    word = verb.lower()
    return next(base for base in VERBS if word.startswith(base))


# Headlines drop the copula: "Heating oil prices poised to rise", "Port strike to cost
# exporters $200 million a day, shipping group says".
_HEADLINE_IDIOM = re.compile(
    r"(?<=[\w%’')]\s)(?P<w>(?:set|poised|expected|tipped|on\s+track|on\s+course|primed)\s+to)\s+"
    r"(?=[a-z])"
)
_HEADLINE_TO = re.compile(
    r"^\W*(?-i:[A-Z])[\w'’.&-]*(?:\s+[\w'’.&$-]+){0,6}?\s+(?P<w>to)\s+(?=[a-z]+\b[^.]*,\s+"
    r"(?:[\w'’.-]+\s+){0,4}(?:says?|warns?|predicts?|forecasts?|expects?|sees?|estimates?|reckons?"
    r"|believes?)\s*$)",
    re.I,
)
_COPULA_BEFORE = re.compile(
    r"\b(?:is|are|am|was|were|be|been|being|remains?|looks?|seems?|appears?)\b|['’](?:s|re)\b"
    r"|\b\w+ly\s*$",
    re.I,
)


def _headline_idioms(text: str, seg: Segment) -> list[Cue]:
    """'Prices poised to rise', 'Strike to cost $200m a day, group says', read as 'will'."""
    cues = []
    found = [*_HEADLINE_IDIOM.finditer(text, seg.start, seg.end)]
    if seg.start == 0 and (to := _HEADLINE_TO.match(text)) and to.end("w") <= seg.end:
        found.append(to)
    for m in found:
        before = text[seg.start : m.start("w")]
        if before.strip() and not _COPULA_BEFORE.search(before):
            key = " ".join(m["w"].lower().split()[:-1])
            cues.append(_house("idiom", m, "w", IDIOMS.get(key, "will"), "headline"))
    return cues


def _idioms(text: str, seg: Segment) -> tuple[list[Cue], list[str]]:
    """'is set to', 'on track to', 'is expected to', 'a good chance'."""
    cues = _headline_idioms(text, seg)
    for m in _IDIOM.finditer(text, seg.start, seg.end):
        group = "w" if m["w"] else "l" if m["l"] else "n"
        key = " ".join(m[group].lower().split())
        key = "favoured" if "favourite" in key or "favorite" in key else key
        cues.append(_cue("idiom" if m["w"] else "hedge", m, 0, IDIOMS[key]))
    return cues, []


def _hedges(text: str, start: int, end: int) -> list[Cue]:
    """Codebook phrases in the range, longest first where they overlap."""
    cues = []
    for m in _codebook_pattern().finditer(text, start, end):
        entry = get_codebook().match(m[0])
        if entry is not None:
            kind: CueKind = "weak modal" if entry.phrase in _WEAK_ENTRIES else "hedge"
            cues.append(Cue(kind, m.start(), m.end(), m[0], entry.phrase, entry.probability))
    return cues


@cache
def _codebook_pattern() -> re.Pattern[str]:
    """One pattern for every phrase of the default codebook, the longest tried first."""
    phrases = sorted((e.phrase for e in get_codebook().entries), key=len, reverse=True)
    parts = [r"[\s-]+".join(map(re.escape, re.split(r"[\s-]+", p))) for p in phrases]
    return re.compile(rf"(?<![\w'])(?:{'|'.join(parts)})(?![\w'])", re.I)


def _codebook_anchors(text: str, seg: Segment) -> tuple[list[Cue], list[str]]:
    """Hedges that carry a forecast alone: 'almost inconceivable', 'a real chance', 'could'."""
    cues, rejected = [], []
    for cue in _hedges(text, seg.start, seg.end):
        if cue.phrase in _MODAL_ENTRIES:
            continue
        if cue.kind == "weak modal":
            reason = _weak_modal_ok(text, cue)
        else:
            reason = _hedge_anchor_ok(text, cue, seg)
        if reason:
            rejected.append(reason)
        else:
            cues.append(cue)
    return cues, rejected


def _weak_modal_ok(text: str, cue: Cue) -> str | None:
    """Why 'could/might/may' is no forecast here ('may have', 'could not', May the month)."""
    if cue.words.startswith("May") and text[: cue.start].strip():
        return "'May' the month"
    if _MONTH_LEAD.search(text[: cue.start]) or re.match(r"\s+\d", text[cue.end :]):
        return "'May' the month"
    if _WEAK_PAST_AFTER.match(text, cue.end) or _PAST_MARKER.search(text):
        return f"past speculation '{cue.words}'"
    return None


_EVEN = {"toss-up", "a toss-up", "coin flip", "a coin flip", "coin toss", "a coin toss", "50-50"}
_EVEN |= {"fifty-fifty", "even odds"}
_SIDE_AFTER = re.compile(
    r"\s*,?\s*(?:whether|if|that|for|as\s+to|on\s+whether|over\s+whether|to\s+(?!me|us|you)\w+)\b",
    re.I,
)
_ODDS_NOUN_BEFORE = re.compile(r"\b(?:chances?|odds|prospects|probability|likelihood)\b", re.I)
_ELLIPTICAL_WHETHER = re.compile(
    r"\W*whether\s+[\w'’]+\s+(?:can|will|would|could|does|do|did|is|are)\s+(?:is|are|seems?|looks?"
    r"|remains?)\s+(?:\w+\s+)?$",
    re.I,
)


def _hedge_anchor_ok(text: str, cue: Cue, seg: Segment) -> str | None:
    """Why a hedge does not carry a forecast by itself here, or None when it does."""
    phrase = cue.phrase or ""
    if phrase in _FRAMES:
        return f"'{cue.words}' only qualifies a forecast"
    if phrase in ("cannot", "can't") and (reason := _cannot_ok(text, cue)):
        return reason
    no_side = not _SIDE_AFTER.match(text, cue.end)  # "the race is a toss-up"
    if phrase in _EVEN and no_side and not _ODDS_NOUN_BEFORE.search(text, seg.start, cue.start):
        return f"'{cue.words}' with no side taken"
    if _ELLIPTICAL_WHETHER.match(text, seg.start, cue.start):  # "Whether it can is doubtful"
        return f"'{cue.words}' of a question with no verb to restate"
    if phrase == "risks" and (
        _NOUN_BEFORE.search(text, 0, cue.start) or _RISKS_LABEL.match(text, cue.end)
    ):  # "with the risks skewed", "Key risks: a sustained fall"
        return f"'{cue.words}' as a noun"
    if phrase in ADVERBS:
        away = _AWAY.search(text, seg.start, seg.end) or FUTURE_TIME.search(text, cue.end, seg.end)
        away = away or _ACTION_AFTER.match(text, cue.end)
        return None if away else f"'{cue.words}' without a future verb"
    if _ADJECTIVE.search(phrase) and not _PREDICATE_AFTER.match(text[: seg.end], cue.end):
        return f"'{cue.words}' before a noun"
    if phrase == "likely" and _COMPARATIVE.search(text, 0, cue.start):  # "looks far more likely"
        return f"'{cue.words}' in a comparison"
    if _AS_BEFORE.search(text, 0, cue.start):  # "as soon as possible"
        return f"'{cue.words}' in a set phrase"
    if _PAST_BEFORE.search(text[seg.start : cue.start]) or _PAST_THAT.match(text, cue.end):
        return f"'{cue.words}' about the past"
    return None


# "sales probably fall for a sixth quarter": an adverb hedge before a verb of change or outcome.
_ACTION_AFTER = re.compile(
    r"\s+(?:fall|falls|rise|rises|win|wins|lose|loses|drag|drags|beat|beats|cut|cuts|hike|hikes"
    r"|pass|passes|fail|fails|collapse|collapses|slip|slips|survive|survives|end|ends|drop|drops"
    r"|climb|climbs|recover|recovers|stall|stalls|finish|finishes|take|takes|get|gets|go|goes"
    r"|come|comes|hold|holds|stay|stays|peak|peaks|top|tops|clear|clears|miss|misses|sweep|sweeps"
    r"|break|breaks|reach|reaches|hit|hits|happen|happens|decline|declines|grow|grows|shrink"
    r"|shrinks|narrow|narrows|widen|widens|ease|eases|edge|edges|fade|fades|slide|slides)\b",
    re.I,
)
_COMPARATIVE = re.compile(r"\b(?:more|less)\s$", re.I)
_AS_BEFORE = re.compile(r"(?<![\w'])as\s$", re.I)


def _cannot_ok(text: str, cue: Cue) -> str | None:
    """Why 'cannot' here is ability, permission, duty or a generic truth, not a forecast."""
    if _FIRST_BEFORE.search(text, 0, cue.start):
        return f"'{cue.words}' of what someone is able to do"
    if _GENERIC_BEFORE.search(text, 0, cue.start):
        return f"'{cue.words}' as a generic truth"
    if not _OUTCOME_AFTER.match(text, cue.end) and not FUTURE_TIME.search(text, cue.end):
        return f"'{cue.words}' of agency or a norm, not an outcome"
    return None


def frame(text: str, start: int, before: int) -> Frame | None:
    """The reporting frame ('analysts expect', 'according to X') that governs a cue."""
    found = (m for m in _REPORTING.finditer(text, start) if m.end() <= before)  # lookaheads see on
    frames = [f for m in found if (f := _frame(text, m))]
    if m := _ACCORDING.search(text, start, before):
        frames.append(Frame(_according_subject(m), "according to", m.start(), m.end()))
    if not frames:
        return None
    named = [f for f in frames if f.subject.lower() not in PRONOUNS]
    last = max(frames, key=lambda f: f.start)
    if last.subject.lower() in PRONOUNS and named:  # "the regulator says it expects"
        return Frame(named[0].subject, last.verb, named[0].start, last.end)
    return last


def _frame(text: str, m: re.Match[str]) -> Frame | None:
    """The frame a reporting verb opens, with its subject; None for a passive or a noun."""
    prefix = text[: m.start()]
    if _PASSIVE_BEFORE.search(prefix) or _NOUN_BEFORE.search(prefix):
        return None
    if advice := ADVICE_BEFORE.search(prefix):  # "Don't expect": the author advises
        return Frame("", m["v"], advice.start(), _frame_end(text, m))
    if _NOUN_AFTER.match(text, m.end()):
        return None
    start, subject = _subject(prefix)
    if m["v"].lower().endswith("ing") and (lead := _SENTENCE_SUBJECT.match(prefix)):
        start, subject = lead.start("s"), _clean_subject(lead["s"])  # "X is upbeat, predicting"
    elif rel := _RELATIVE_SUBJECT.search(prefix):  # "Our model, which links X, Y and Z, projects"
        start, subject = rel.start("s"), _clean_subject(rel["s"])
    if len(subject.split()) > 8 or _RELATIVE_FRAME.search(prefix):
        return None
    return Frame(subject, m["v"], start, _frame_end(text, m))


_RELATIVE_SUBJECT = re.compile(
    r"(?:^|[;:–]\s*)(?P<s>[^,;:–]{2,60}?),\s*(?:which|who|whose)\b[^;:–]*?,?\s*$", re.I
)
_SENTENCE_SUBJECT = re.compile(
    r"^(?:[\d:.]+\s*[–-]\s*)?(?P<s>[^,;:]{2,60}?)\s+(?:is|are|was|were|has|have|had|remains?)\b",
    re.I,
)
# "which nobody thinks likely", "whatever the polls say", "like I think it will": no frame
_RELATIVE_FRAME = re.compile(
    r"\b(?:which|who|whom|whose|what|whatever|where|like|than|matter\s+what|against\s+"
    r"(?:everything|all)|with|when)\s+(?:[\w'-]+\s+){0,4}$",
    re.I,
)
# "She is blunt: 'The ruling family is not going to allow ...'": the quote is hers.
_QUOTE_LEAD = re.compile(
    r"^(?:(?:But|And|Still|Asked\s+[^:]{1,80}?,)\s+)?(?P<s>(?:[A-Z][\w.'-]*\s+){0,3}?[A-Za-z][\w.'-]*)"
    r"\s+(?:is|was|says|said|adds|added|replies|replied|insists|insisted|warns|warned|shakes"
    r"|sounds|sounded|puts\s+it|put\s+it)\b[^:]{0,60}:\s*[\"']",
)


def quote_frame(text: str, start: int) -> Frame | None:
    """The speaker of a quote opened after a colon, when the piece starts inside it."""
    m = _QUOTE_LEAD.match(text)
    if (
        m is None
        or m.end() - 1 > start
        or (_NOT_A_NAME.fullmatch(m["s"].split()[0].lower()) and (m["s"].lower() not in PRONOUNS))
    ):
        return None
    return Frame(_clean_subject(m["s"]), "says", m.start("s"), m.end())


def _frame_end(text: str, m: re.Match[str]) -> int:
    """Where the reported clause begins: after the verb and a 'that' close behind it."""
    that = _THAT_AFTER.match(text, m.end())
    return that.end() if that else m.end()


def _subject(prefix: str) -> tuple[int, str]:
    """Where the subject before a verb starts, and its words; a parenthetical is stepped over."""
    cuts = [(c.start(), c.end()) for c in _SUBJECT_CUT.finditer(prefix)]
    start, end = (cuts[-1][1] if cuts else 0), len(prefix)
    if not prefix[start:].strip() and len(cuts) >= 2 and prefix[cuts[-1][0]] == ",":
        # "The report, published on Monday, predicts": the subject is before the commas
        start, end = (cuts[-3][1] if len(cuts) >= 3 else 0), cuts[-2][0]
    words = prefix[start:end]
    return start + len(words) - len(words.lstrip()), _clean_subject(words)


def _clean_subject(words: str) -> str:
    """A subject without leading 'But'/'Specifically,' and trailing 'also', 'have'."""
    subject = _DISCOURSE.sub("", words.strip())
    return _SUBJECT_TAIL.sub("", subject).strip(" ,\"'")


def trailing_frame(text: str) -> Frame | None:
    """A frame at the end: ', analysts say.', ', says the IMF.', ', according to X.'."""
    if m := _TRAILING.search(text):
        if m["mine"]:
            return Frame("I", "in my view", m.start(), m.start())
        subject, verb = (m["s"], m["v"]) if m["v"] else (m["s2"], m["v2"])
        if m["v3"]:  # "'X will happen,' he says, 'and ...'": the quote goes on after the frame
            subject, verb = m["s3"], m["v3"]
        if _NO_BELIEVER.match(subject):  # ", whatever the polls say."
            return None
        return Frame(_clean_subject(subject), verb, m.start(), m.start())
    m2 = _ACCORDING.search(text)
    if m2 and not text[m2.end() :].strip(" .!\"')"):
        return Frame(_according_subject(m2), "according to", m2.start(), m2.start())
    return None


def _according_subject(m: re.Match[str]) -> str:
    """'according to the IMF' → 'the IMF'; 'in her view' → 'she'."""
    if m["s2"]:
        return {"his": "he", "her": "she", "their": "they"}[m["s2"].lower()]
    return _clean_subject(m["s"])


def condition(text: str, start: int, end: int, anchor: Cue) -> Condition | None:
    """An 'if'/'unless' clause before the cue (ending in a comma) or at the end after it."""
    if m := _IF_LEAD.search(text, start, anchor.start):
        return _condition(m, leading=True)
    m2 = _IF_TRAIL.search(text, anchor.end, end)
    return _condition(m2, leading=False) if m2 else None


def _condition(m: re.Match[str], *, leading: bool) -> Condition:
    """'if X' is the condition X; 'unless X' keeps its word, since it means 'if not X'."""
    word = " ".join(m["w"].lower().split())
    text = m["c"] if word == "if" else f"{word} {m['c']}"
    return Condition(text.strip(), m.start(), m.end(), leading)


def speaker(sentence: str) -> str | None:
    """The person or body a sentence starts with ('Putin believes ...'), for a later 'he'."""
    m = _NAMED.match(sentence)
    if m is None or _NOT_A_NAME.fullmatch(m["name"].split()[0]):
        return None
    return m["name"]


# Forecasts without a future modal (issue 14): present-tense idioms, picks, targets,
# projections. Each cue's `shape` tells claims.py how to restate it with "will"; the value is the
# house convention of docs/extraction.md ("Claims and probabilities"), named by the codebook
# phrase it is read as: idioms of certainty as "will" (0.9), picks as "likely" (0.7, like
# "expect"), projections and targets as "will" (like "forecast").
_TAIL_WORDS = r"(?:already|now|basically|effectively|surely|all\s+but|pretty\s+much|as\s+good\s+as)"
_BE = r"(?:is|are|(?:(?<=\bit)|(?<=\bhe)|(?<=\bshe)|(?<=\bthat)|(?<=\bthis))'s|'re|looks?|seems?)"
_CERTAIN = re.compile(
    rf"\b{_BE}(?:,\s[^,]{{1,40}},)?\s+['\"]?(?:{_TAIL_WORDS}\s+)*(?P<w>toast|finished|done\s+for|dead\s+in\s+the\s+water"
    r"|history|a\s+goner|cooked|doomed|over|a\s+lock|a\s+shoo-in|nailed\s+on|a\s+dead\s+cert"
    r"|a\s+cert|a\s+done\s+deal|in\s+the\s+bag|a\s+formality|a\s+sure\s+thing|a\s+dead\s+letter"
    r"|dead(?!\s+(?:heat|end|weight|ringer|cert|serious|right|wrong|set))|going\s+nowhere|a\s+mirage"
    r"|gone|a\s+non-starter|a\s+dead\s+duck|off\s+the\s+table|a\s+pipe\s+dream|a\s+lost\s+cause"
    r"|a\s+no-show|headed|heading|done(?!\s+(?:deal|with|by|so|it|that|this|in\s+the))|for\s+the\s+birds"
    r"|(?:a\s+|pure\s+)?fantasy|fiction|a\s+bluff|dead\s+on\s+arrival|already\s+down(?!\s+[\d$€£])|game\s+over)\b['\"]?"
    r"(?!\s+(?:the|a)\b)",
    re.I,
)
_CONTEST = re.compile(
    r"\b(?:race|contest|series|tie|title|fight|battle|primary|election|match|game|league)\s*$"
    r"|\bdays\s+of\b",
    re.I,
)
_SHAPES = {
    "over": "over",
    "a lock": "lock",
    "a shoo-in": "lock",
    "nailed on": "lock",
    "a dead cert": "lock",
    "a cert": "lock",
    "a sure thing": "lock",
    "a done deal": "happens",
    "in the bag": "happens",
    "a formality": "happens",
    "headed": "headed",
    "a no-show": "no-show",
    "already down": "relegated",
    "a mirage": "unreal",
    "fantasy": "unreal",
    "a fantasy": "unreal",
    "pure fantasy": "unreal",
    "fiction": "unreal",
    "a bluff": "unreal",
    "a pipe dream": "unreal",
    "for the birds": "unreal",
    "a dead letter": "unreal",
    "heading": "headed",
}
_PROGRESSIVE = re.compile(
    r"\b(?:(?:is|are|'s|'re|am|'m)(?P<neg>\s+not|n't|\s+never)?|(?P<neg2>isn't|aren't|ain't))\s+"
    r"(?:(?:even|really|just|ever|actually|seriously|simply|probably|likely|surely|definitely"
    r"|certainly)\s+)?"
    r"(?P<v>getting|making|winning|reaching|coming|beating|taking|lifting|clinching|surviving"
    r"|passing|happening|leaving|staying|losing|falling|dropping|going|holding|signing|retiring"
    r"|sweeping|hiking|cutting|raising|returning|closing|finishing)\b(?!\s+to\b)",
    re.I,
)
_GOING = re.compile(r"\s+(?:straight\s+)?(?:back\s+)?(?:down|up|under|bust|out)\b", re.I)
_PEAKED = re.compile(
    r"\b(?:has|have|'s|'ve)\s+(?:already\s+|now\s+)?peaked\b|\bthe\s+top\s+is\s+in\b", re.I
)
_BELIEF = re.compile(
    r"\b(?:(?:I|we|she|he|they|(?-i:(?!My\b|Our\b|His\b|Her\b|Their\b)[A-Z][\w.-]+))\s+"
    r"(?:still\s+|now\s+|really\s+|honestly\s+)?"
    r"(?P<v>think|thinks|reckon|reckons|suspect|suspects|doubt|doubts|guess|insists|swears)"
    r"|(?<=,\s)(?P<a>reckons|reckon|thinks|suspects|believes|insists)|\bI(?:'d|\s+would)\s+(?:wager|guess|imagine|venture)"
    r"|(?<=[a-z]\s)(?P<r>reckon|reckons|thinks|insists|swears)"
    r"|(?:my|our|his|her|their|(?-i:[A-Z][\w&.-]+)'s)\s+(?:own\s+|honest\s+|best\s+|strong\s+|working\s+)?"
    r"(?P<n>guess|hunch|bet|read|sense|feeling|gut|view|instinct|expectation|take|suspicion|assumption"
    r"|prediction|forecast|call|money)"
    r"\s*(?:is|says|remains|:)"
    r"|(?P<c>I'm\s+calling\s+it|calling\s+it\s+now|mark\s+my\s+words)|(?:I'm\s+|I\s+am\s+)?(?:pretty"
    r"|fairly|quite)\s+sure|I'm\s+sure|I\s+am\s+sure)[:,]?\s+(?:that\s+)?",
    re.I,
)
_BELIEF_VALUE = {"doubt": "i doubt", "doubts": "i doubt"}
_WHOEVER = re.compile(
    r"\b(?:who|whoever|whichever|whatever|if|whether|when|once|until|unless)\s+(?:[\w'-]+\s+){0,3}$",
    re.I,
)
_FIRST_BEFORE = re.compile(r"\b(?:I|you|we|one)\s+(?:simply\s+|just\s+|really\s+)?$", re.I)
# "cannot" forecasts only an outcome in the world ("the coalition cannot survive the summer",
# "that target cannot be met"); "cannot agree/adhere/override" is ability, permission or duty.
_OUTCOME_AFTER = re.compile(
    r"\s+(?:possibly\s+|simply\s+|realistically\s+|now\s+|ever\s+|long\s+|much\s+longer\s+)?"
    r"(?:survive|last|hold(?:\s+on|\s+out)?|win|lose|fail|miss|succeed|work|recover|continue|keep|stay|remain"
    r"|go\s+on|avoid|escape|beat|pass|happen|end|help|sustain|stop|prevent|finish|make\s+it"
    r"|get\s+(?:out|through|back|away)|come\s+back|bounce\s+back|afford|compete|catch\s+up"
    r"|be\s+(?:met|sustained|won|saved|stopped|avoided|reached|achieved|repaid|reversed"
    r"|contained|delayed|postponed|held|kept|maintained|beaten|passed|funded|completed))\b",
    re.I,
)
# "diplomacy often cannot override": a generic truth, not a forecast.
_GENERIC_BEFORE = re.compile(r"\b(?:often|usually|generally|typically|sometimes|always)\s+$", re.I)
_POSITIVE_PROGRESSIVE = {"winning", "beating", "lifting", "clinching", "sweeping"}
_WINS_THIS = re.compile(
    r"(?<!\bto\s)(?<!\bnot\s)(?<!n't\s)\b(?P<v>wins|takes|beats|sweeps|walk|walks|nicks|edges|sneaks|win"
    r"|take|clinch|clinches)"
    r"\s+(?:this|it)\b",
    re.I,
)
_IN_N = re.compile(
    r"(?:^|(?<=[:,–]\s))(?P<np>(?:the\s+)?[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,2})\s+in\s+"
    r"(?P<n>three|four|five|six|seven|straight\s+sets|\d)(?:\s+(?:sets|games))?\s*(?=[.!,;–]|$|\s+(?:over|in|at"
    r"|on|against)\s)"
)
# A pick given as a name and a margin or a score: "Sweden by fifty points", "Harker 5-2".
_NUMBER_WORD = (
    r"(?:\d[\d,]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty"
    r"|thirty|forty|fifty|a\s+hundred|a\s+couple|a\s+few|several)"
)
_BY_MARGIN = re.compile(
    r"(?:^|(?<=[:,–—]\s))(?:honestly,?\s+|and\s+)?(?P<np>(?:the\s+)?[A-Z][\w.'’-]*"
    r"(?:\s+[A-Z][\w.'’-]*){0,2})\s+(?:(?P<m>by\s+(?:about\s+|at\s+least\s+|fewer\s+than\s+"
    rf"|more\s+than\s+|over\s+)?(?:{_NUMBER_WORD}(?:[\s-][a-z]+){{0,3}}?|a\s+distance|a\s+street"
    r"|a\s+mile|miles|a\s+length|an?\s+innings|a\s+landslide|a\s+street))"
    r"|(?P<s>\d{1,3}[-–]\d{1,3}))\s*(?=[.!,;–—]|$)"
)
_RESULT_BEFORE = re.compile(
    r"\b(?:FT|HT|full[- ]time|half[- ]time|final\s+score|score)\s*:\s*$"
    r"|^\s*(?:(?:Over|Lap|Round|Hole|End)\s+\d+(?:/\d+)?|\d{1,3}\s*(?:mins?|')|\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?)"
    r"\s*[:—–-]",
    re.I,
)
_PICK = re.compile(
    r"\b(?:my|our|the|his|her|their)\s+(?:\w+\s+){0,2}?(?:pick|picks|tip|selection|lean"
    r"|play|money)(?:\s+(?:here\s+|this\s+week\s+|(?:for|to|from|in|among)\s+[^:,;]{1,40}?\s+)?"
    r"(?:is|are|remains|:)"
    r"|'s)\s+"
    r"(?:(?:on|with)\s+)?"
    r"|\b(?:I|we)(?:'m|'re|\s+am|\s+are)\s+(?:\w+ly\s+)?(?:taking|picking|backing|riding|rolling"
    r"\s+with|going\s+with|siding\s+with|leaning|fading|on)\s+"
    r"|\b(?:I|we)(?:'ll|\s+will|'d|\s+would)\s+(?:\w+ly\s+)?(?:take|go\s+for|go\s+with|side\s+with)\s+"
    r"|\b(?:give\s+me|gimme)\s+"
    r"|^(?-i:Best\s+[A-Z][\w-]*(?:\s+[A-Z][\w-]+){0,2}|Director|Picture)\s+goes\s+to\s+"
    r"|\b(?:I|we)\s+(?:like|love|fancy|have|'ve\s+got|got)\s+(?=(?:the\s+)?(?-i:[A-Z\d])\S*"
    r"(?:\s+\S+){0,3}?\s+"
    r"(?:to\s+(?:win|beat|cover|take|lift|make|reach|go|finish|top)|over|by\s+(?:knockout|ko|tko"
    r"|submission|decision|stoppage|\d)|in\s+(?:three|four|five|six"
    r"|seven|straight)|winning|beating|taking|lifting|going|finishing|topping)\b)"
    r"|\b(?:I'm|we're|I\s+am|we\s+are)\s+calling\s+it\s+for\s+|\bI\s+lean\s+(?=(?-i:[A-Z]))",
    re.I,
)
_PICK_GATE = re.compile(
    r"pick|tip|selection|lean|play|money|taking|backing|riding|rolling|going\s+with|siding|fading"
    r"|take|give\s+me|gimme|like|love|fancy|have|got|calling|goes\s+to|go\s+(?:for|with)|side\s+with",
    re.I,
)
_PICK_NOT_AFTER = re.compile(
    r"\s*(?:a\s+(?:look|few|couple|break|moment|day|week|step|closer|walk|drive|run|coffee|drink|pint"
    r"|beer|bite)|the\s+(?:time|day|week|plunge|view|opportunity|chance|liberty|flow|idea|plan|option"
    r"|approach|status\s+quo)|questions?|you|this\s+one\s+step|some|time|days?|my|our"
    r"|part|care|notes|stock|aim|it\s+easy|issue|comfort|heart)\b",
    re.I,
)
_PROJECT = re.compile(
    r"\b(?:we|I|they|analysts|economists|strategists)\s+(?:now\s+|also\s+|still\s+)?"
    r"(?P<w>project|projects|are\s+projecting|'re\s+projecting|am\s+projecting)\s+(?:that\s+)?"
    r"|\b(?:our|my|the|their|its|his|her|[A-Z][\w&.-]*'s)\s+(?:\w+\s+){0,2}?(?P<b>base\s+case|baseline"
    r"(?:\s+scenario|\s+forecast)?|central\s+(?:case|scenario|forecast|projection)|projection"
    r"|working\s+assumption|call)\s+(?:for\s+[^,;:]{1,40}?\s+)?(?:here\s+|now\s+|still\s+)?(?:is|remains|:)"
    r"\s+(?:for\s+|that\s+)?"
    r"|\b(?:model|modelling|modeling|base\s+case|central\s+case|scenario|simulations?|forecasts?"
    r"|projections?|outlook|median|ratings|sims|run)(?:\s+(?:system|page|run|engine|tracker))?"
    r"(?:,[^,;:]{1,120}?,|\s+(?:of|for)\s+[^,;:]{1,80}?)?\s+(?:now\s+|still\s+)?(?:has|have|shows?|puts?"
    r"|sees?|see)\s+(?=\S+(?:\s+\S+){0,6}?\s+(?:\w+ing\b|up\b|down\b|at\s+[\d$€£]|as\s+the\b"
    r"|on\s+\d))"
    r"|\b(?:model|models|outlook|projections?|forecast|scenario|analysis)\b(?:,[^;:]{1,160}?,)?\s+"
    r"(?:now\s+|also\s+)?projects\s+"
    r"|\b(?:markets?|traders|investors|futures|swaps|options)\b(?:\s+\w+)?\s+(?:are|is)\s+(?:now\s+)?"
    r"(?:pricing|implying)(?:\s+in)?\s+"
    r"|\b(?:we|I)\s+(?:now\s+)?(?:model|pencil\s+in)\s+"
    r"|\b(?:we|I)(?:'re|'m|\s+are|\s+am|'ve|\s+have)\s+(?:now\s+|still\s+)?(?:pencill?(?:ing|ed)\s+in"
    r"|looking\s+at|working\s+on\s+the\s+assumption\s+of)\s+(?=(?:an?\s+|the\s+)?(?:\w+\s+){0,3}?"
    r"(?:cuts?|hikes?|rises?|falls?|increases?|recession|growth|deficit|surplus|seats|majority"
    r"|\d|one|two|three|four|five))"
    r"|\b(?:puts?|putting|pegs?|pegging)\s+(?=(?:[\w'-]+\s+){1,6}?at\s+[$€£\d])"
    r"|\bon\s+(?:current|present|recent)\s+trends,?\s+"
    r"|\b(?:guidance|consensus|estimates)\s+(?:now\s+|still\s+)?(?:implies|imply|points\s+to|point\s+to)\s+"
    r"|\b(?:you|we)\s+can\s+(?:safely\s+)?count\s+on\s+"
    r"|\bguidance\s+(?:is|remains)\s+for\s+|\bon\s+(?:the\s+)?current\s+(?:trajectory|pace|form|numbers),?\s+"
    r"|\bstick(?:s|ing)?\s+(?:with|to|by)\s+(?=(?:[\w$£€,.'-]+\s+){0,5}?(?:target|call|forecast|view"
    r"|projection|prediction|estimate|pick)\b|(?:an?\s+|the\s+|his\s+|her\s+|their\s+|our\s+|my\s+)?"
    r"(?:[$£€]|\d|quarter-point|half-point))"
    r"|\bprojects\s+(?=(?:an?|the|another)\s)|\bguid(?:es|ed|ing)\s+(?:for|to|towards)\s+|\b(?:on|in)\s+(?:our|my|the)\s+(?:base|central)\s+(?:case"
    r"|scenario),?\s+|\b(?:is|are)\s+(?:now\s+|widely\s+)?seen\s+(?=\w+ing\b)"
    r"|,\s+(?:modelling|modeling|projecting|forecasting|predicting)\s+(?=(?:an?\s+|the\s+)?[\d$€£])"
    r"|\b(?:we|I)\s+estimate\s+(?=(?:[\w-]+\s+){0,4}?(?:of\s+)?(?:about\s+|around\s+)?[$€£\d])"
    r"|\b(?:on|at)\s+(?:that|this|the\s+current|current|present|past|recent)\s+(?:[\w-]+\s+)?(?:trajectory"
    r"|pace|form|path|rate|precedent|trends?|record),?\s+"
    r"|(?:^|,\s+|\b(?:is|are|'re|'m|am|been|was|were)\s+(?:still\s+|now\s+|also\s+)?)pencill?(?:ing|ed)"
    r"\s+in\s+|(?:\b(?:is|are|'re|were|was)\s+(?:now\s+|quietly\s+)?)budgeting\s+for\s+"
    r"|\bon\s+(?:our|my|these|those|their|its|current)\s+(?:numbers|figures|estimates|maths|math"
    r"|reckoning|models?),?\s+|\bprojects\s+(?=(?:[\w'.-]+\s+){1,4}?to\s+[a-z])",
    re.I,
)
_MODEL_AT = re.compile(
    r"\b(?:model|models|simulations?|we|I|analysts?|markets?|bookmakers?|bookies|punters|traders)"
    r"\s+(?:now\s+|still\s+)?(?:has|have|put|puts|give|gives|rate|rates|price|prices|peg|pegs)"
    r"\s+(?P<np>(?:(?!yield|rate|inflation|unemployment|growth|price|index|share|turnout|vote|margin"
    r"|spread|gdp|cpi)[^,;:%]){1,60}?)\s+(?:at|on)\s+(?:about\s+|around\s+|roughly\s+)?"
    r"(?P<n>\d{1,3}(?:\.\d+)?)\s*(?:%|per\s*cent\b|percent\b)(?!\s+of\s+the\s+vote)",
    re.I,
)
_RATIO = re.compile(
    r"\b(?P<a>\d{1,2})\s*(?P<sep>/|-|–)\s*(?P<b>\d{1,2})\b(?!\s*(?:%|/|-\d))"
    r"(?P<noun>\s+(?:call|split|shot|chance|proposition|bet|favou?rite|in\s+favou?r|that|for))?",
    re.I,
)
# Words before a bare "55-45" that make it a chance.
_CALL_IT = re.compile(
    r"\b(?:call\s+it|make\s+it|I'd\s+say|it's|that's|roughly|about|maybe|a|put|give|make)\s+$", re.I
)
_LEVEL = r"(?:north\s+of|south\s+of|above|below|under|over|at|near|around|beyond|past)"
_ENDS_AT = re.compile(
    r"\b(?P<v>ends|end|finishes|finish|closes|close)\s+(?P<t>the\s+year|the\s+quarter|the\s+month"
    rf"|the\s+decade|the\s+session|the\s+week|20\d\d)\s+(?P<l>{_LEVEL})\s+(?=[$€£\d])",
    re.I,
)
_TARGET = re.compile(
    r"\b(?:(?:our|my|the|their|a|its)\s+(?:[\w&-]+\s+){0,3}?target(?:\s+for\s+(?P<np>[^,;:]{1,40}?))?"
    r"\s+(?:is|remains|of|stays(?:\s+at)?|:)\s+(?:now\s+|still\s+)?(?=[$€£\d])"
    r"|(?:we|I)\s+(?:have|set|keep)\s+an?\s+(?:[\w-]+\s+){0,2}?target\s+of\s+(?=[$€£\d])"
    r"|(?:we|I)\s+target\s+(?=[$€£\d])"
    r"|(?:my|our|the|[A-Z][\w&.-]*'s)\s+(?:own\s+)?(?:[\w-]+\s+){0,2}?(?:number|estimate|forecast|prediction"
    r"|consensus)(?:,[^,;:]{1,40},)?\s+(?:for\s+(?P<np2>[^,;:]{1,40}?)\s+)?(?:is|:)\s+(?:about\s+|around\s+"
    r"|roughly\s+|nearer\s+|closer\s+to\s+|near\s+)?"
    r"|\bconsensus\s+(?:estimate\s+)?(?:is|:)\s+"
    r"(?=[$€£\d]))",
    re.I,
)
_SEE = re.compile(
    r"\b(?P<s>we|I|they|analysts|economists|strategists|futures|markets|traders|investors"
    r"|[A-Z][\w&.-]+(?:\s+[A-Z][\w&.-]+)*)"
    r"(?:\s+at\s+[A-Z][\w&.-]*(?:\s+[A-Z][\w&.-]*)*)?\s+(?:now\s+|still\s+|also\s+)?"
    r"(?P<v>see|sees)\s+(?=(?:the\s+|a\s+|an\s+)?[\w$€£/-]+(?:\s+[\w$€£,./-]+){0,5}?\s+(?:at|above"
    r"|below|near|around|north\s+of|south\s+of|hitting|reaching|rising|falling|climbing|dropping"
    r"|ending|finishing|topping|\w+ing|of\s+[\d$€£])\b)",
)


def _house(kind: CueKind, m: re.Match[str], group: int | str, phrase: str, shape: str) -> Cue:
    """A cue valued by the codebook phrase the house convention reads it as."""
    start, end = m.span(group)
    words = m[group].rstrip(" :")
    end = start + len(words)
    return Cue(kind, start, end, words, phrase, codebook_probability(phrase), shape)


_CONSEQUENT = re.compile(
    r"(?:^|(?<=[:;]\s)|(?<=\sand\s)|(?<=\sbut\s)|(?<=[—–]\s))(?:if|unless)\s+[^,;:]{3,140},\s+"
    r"(?!(?:as|which|who|when|where|while|though"
    r"|although|even|and|but|then|so|like|just|we|I|you)\b)(?P<w>(?:the\s+)?[\w$'-]+)",
    re.I,
)
_SCHEDULE_AFTER = re.compile(
    r"\s*(?:at\s+\d|on\s+(?:mon|tue|wed|thu|fri|sat|sun)|scheduled|due|set)", re.I
)
_COUNTERFACTUAL = re.compile(r"\b(?:would|could|might|should|may|must|can|had|were)\b", re.I)
_OVER_PICK = re.compile(
    r"^(?-i:(?:the\s+)?[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,2})\s+over\s+(?:the\s+)?"
    r"(?-i:[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,2})\b",
    re.I,
)
_SLIM = re.compile(
    r"\b(?:look|looks|are|is|seem|seems|remain|remains)\s+(?:very\s+|pretty\s+)?(?:slim|remote|poor"
    r"|thin|vanishingly\s+small|grim|dim|bleak|dismal|next\s+to\s+nil|nil)\b",
    re.I,
)
# A numbered call in a list of predictions, in the present: "One: Brent averages $68 in 2027".
_LIST_ITEM = re.compile(
    r"\s*(?:One|Two|Three|Four|Five|Six|Seven|Eight|Nine|Ten|\d{1,2})[:.)/]\s*", re.I
)
_FIRST_WORD = re.compile(r"(?:the\s+)?[\w$'-]+", re.I)
_NO_SCENARIO = re.compile(
    r"\bthere(?:'s|\s+is)\s+no\s+(?:scenario|world|universe|version\s+of\s+events)\s+in\s+which\s+",
    re.I,
)
_EVENS = re.compile(r"\b(?:at\s+)?(?:evens|even\s+money)\b", re.I)
# Bookmakers' fractional odds against ("Leeds are 4/1 to win": 1 in 5) and "odds-on" (a
# favourite, better than even), only before "to" and a verb of the outcome.
_OUTCOME_TO = (
    r"\s+to\s+(?=(?:win|lose|take|retain|finish|beat|reach|lift|claim|top|go|make|get|be)\b)"
)
_FRACTIONAL = re.compile(
    rf"\b(?:are|is|'re|'s|at|now|priced\s+at)\s+(?P<a>\d{{1,3}})/(?P<b>\d{{1,2}})(?={_OUTCOME_TO})",
    re.I,
)
_ODDS_ON = re.compile(rf"\bodds-on(?:\s+favou?rites?)?(?={_OUTCOME_TO})", re.I)
_EVERY_CHANCE = re.compile(r"\bthere(?:'s|\s+is)\s+every\s+chance\b", re.I)


def _extra(text: str, seg: Segment) -> tuple[list[Cue], list[str]]:
    """'If X, Y wins' (a present consequent), 'Ravens over the Bengals is the pick', 'the
    chances of X look slim' (as 'slight chance', 0.1), 'at evens' (0.5)."""
    cues = []
    for m in _CONSEQUENT.finditer(text, seg.start, seg.end):
        consequent = text[m.start("w") : seg.end]
        counterfactual = _COUNTERFACTUAL.search(text, m.start(), seg.end)
        hedged = _hedges(text, m.start("w"), seg.end)  # "he risks destroying": the hedge's
        copula = m["w"].endswith(("'s", "’s"))  # "the title's theirs"
        imperative = m["w"].lower() in _IMPERATIVES  # "If you're going, compare tariffs"
        if will_clause(consequent) != consequent and not (
            counterfactual or hedged or copula or imperative
        ):
            cues.append(_house("present", m, "w", "will", "consequent"))
    cues += [
        _house("pick", m, 0, "likely", "pick words")
        for m in _OVER_PICK.finditer(text, seg.start, seg.end)
    ]
    for m in _SLIM.finditer(text, seg.start, seg.end):
        if re.search(
            r"\b(?:chances?|odds|prospects|likelihood|hopes)\b", text[seg.start : m.start()], re.I
        ):
            cues.append(_house("hedge", m, 0, "slight chance", "slim"))
    item = text[seg.start : seg.end]  # "Four: US crude output peaks at 13.8 million barrels"
    listed = _LIST_ITEM.fullmatch(text, 0, seg.start) and will_clause(item) != item
    first = _FIRST_WORD.match(text, seg.start)
    if listed and first and not _COUNTERFACTUAL.search(item):
        cues.append(_house("present", first, 0, "will", "consequent"))
    for m in _NO_SCENARIO.finditer(text, seg.start, seg.end):  # "no scenario in which X" (0.03)
        cues.append(_house("hedge", m, 0, "no chance", "belief"))
    for m in _EVENS.finditer(text, seg.start, seg.end):
        cues.append(Cue("number", m.start(), m.end(), m[0], None, 0.5, "evens"))
    return cues + _odds_words(text, seg), []


def _fractional(text: str, m: re.Match[str]) -> Cue | None:
    """Fractional odds against, a/b, as the chance b / (a + b); '60/40' is a split, not odds."""
    a, b = int(m["a"]), int(m["b"])
    if a + b == 100 or b == 0:
        return None
    words = text[m.start("a") : m.end("b")]
    return Cue("number", m.start("a"), m.end("b"), words, None, b / (a + b), "ratio")


def _odds_words(text: str, seg: Segment) -> list[Cue]:
    """'4/1 to win' (1 in 5), 'odds-on to' (as 'better than even'), 'every chance' (as 'very
    good chance')."""
    cues = []
    for m in _FRACTIONAL.finditer(text, seg.start, seg.end):
        if cue := _fractional(text, m):
            cues.append(cue)
    cues += [
        _house("hedge", m, 0, "better than even", "odds-on")
        for m in _ODDS_ON.finditer(text, seg.start, seg.end)
    ]
    cues += [
        _house("hedge", m, 0, "very good chance", "belief")
        for m in _EVERY_CHANCE.finditer(text, seg.start, seg.end)
    ]
    return cues


def _present(text: str, seg: Segment) -> tuple[list[Cue], list[str]]:
    """'is toast', 'this title race is over', 'they're not getting out', 'X wins this'."""
    cues: list[Cue] = []
    for m in _CERTAIN.finditer(text, seg.start, seg.end):
        word = " ".join(m["w"].lower().split())
        if word == "over" and not _CONTEST.search(text, seg.start, m.start()):
            continue
        shape = _SHAPES.get(word, "toast")
        contest = _CONTEST.search(text, seg.start, m.start())
        if word == "over" and contest and contest[0].lower().startswith("days"):
            shape = "days over"
        cues.append(_house("present", m, 0, "bound to" if shape == "lock" else "will", shape))
    for m in _PROGRESSIVE.finditer(text, seg.start, seg.end):
        if m[0].lower().startswith(("am", "'m")):  # "I'm not going back": one's own plan
            continue
        negated = bool(m["neg"] or m["neg2"])
        going = m["v"].lower() == "going" and _GOING.match(text, m.end())
        if negated or m["v"].lower() in _POSITIVE_PROGRESSIVE or going:
            cues.append(_house("present", m, 0, "will", "progressive"))
    for m in _WINS_THIS.finditer(text, seg.start, seg.end):
        if not _WHOEVER.search(text, seg.start, m.start()):  # "whoever wins this": a question
            cues.append(_house("present", m, 0, "will", "wins this"))
    cues += [
        _house("present", m, 0, "will", "peaked")
        for m in _PEAKED.finditer(text, seg.start, seg.end)
    ]
    for m in _BELIEF.finditer(text, seg.start, seg.end):
        rest = text[m.end() : seg.end]
        aside = text[: m.start()].rstrip().endswith(",") and m[0].rstrip().endswith(",")
        if has_verb(rest) or will_clause(rest) != rest or aside:  # "I think it goes ahead"
            phrase = _BELIEF_VALUE.get((m["v"] or "").lower(), "will" if m["c"] else "likely")
            cues.append(_house("present", m, 0, phrase, "belief"))
        elif m["n"] and rest.strip():  # "Our expectation is a headline figure of $250bn"
            cues.append(_house("projection", m, 0, "likely", "projection"))
    return cues, []


def _picks(text: str, seg: Segment) -> tuple[list[Cue], list[str]]:
    """'my pick is Lyon over Porto', 'I'm taking the over', 'give me Lyon', 'Celtics in six'."""
    cues, rejected = _picks_in(text, seg.start, seg.end)
    return list(cues), list(rejected)


@lru_cache(maxsize=256)  # anchors() and qualifiers() ask for the same piece
def _picks_in(text: str, start: int, end: int) -> tuple[tuple[Cue, ...], tuple[str, ...]]:
    cues, rejected = [], []
    seg = Segment(start, end, "start")
    found = _PICK.finditer(text, start, end) if _PICK_GATE.search(text, start, end) else ()
    for m in found:
        if _PICK_NOT_AFTER.match(text, m.end()) or m.end() >= seg.end:
            rejected.append(f"'{m[0].strip()}' takes no side")
            continue
        cues.append(_house("pick", m, 0, "likely", "goes to" if m[0].endswith("to ") else "pick"))
    cues += [
        _house("pick", m, 0, "likely", "in n") for m in _IN_N.finditer(text, seg.start, seg.end)
    ]
    cues += [
        _house("pick", m, 0, "likely", "by margin")
        for m in _BY_MARGIN.finditer(text, seg.start, seg.end)
        if not _RESULT_BEFORE.search(text, 0, m.start())
    ]
    return tuple(cues), tuple(rejected)


_PENCIL = re.compile(r"\b(?:pencil|budgeting)", re.I)  # a working assumption: "expect" (0.7)


def _projections(text: str, seg: Segment) -> tuple[list[Cue], list[str]]:
    """'we project', 'our base case is', 'we see the index at 5,200'."""
    cues = [
        _house("projection", m, 0, "likely" if _PENCIL.search(m[0]) else "will", "projection")
        for m in _PROJECT.finditer(text, seg.start, seg.end)
        if not _SCHEDULE_AFTER.match(text, m.end())  # "the call is at 2 p.m."
    ]
    for m in _SEE.finditer(text, seg.start, seg.end):
        cues.append(_house("projection", m, "v", "likely", "see"))
    return cues, []


def _targets(text: str, seg: Segment) -> tuple[list[Cue], list[str]]:
    """'Brent ends the year north of $90', 'the target is 5,200'."""
    cues = [
        _house("target", m, 0, "will", "ends at")
        for m in _ENDS_AT.finditer(text, seg.start, seg.end)
    ]
    cues += [
        _house("target", m, 0, "will", "target") for m in _TARGET.finditer(text, seg.start, seg.end)
    ]
    return cues, []


def _ratios(text: str, seg: Segment) -> tuple[list[Cue], list[str]]:
    """'a 60/40 call', '50-50', 'our model has X at 55%': numbers that state a chance."""
    cues: list[Cue] = []
    for m in _RATIO.finditer(text, seg.start, seg.end):
        a, b = int(m["a"]), int(m["b"])
        called = _CALL_IT.search(text, 0, m.start())
        if a + b == 100 and (m["sep"] == "/" or m["noun"] or a == b or called):
            cues.append(
                Cue(
                    "number",
                    m.start(),
                    m.end("b"),
                    text[m.start() : m.end("b")],
                    None,
                    a / 100,
                    "ratio",
                )
            )
    for m in _MODEL_AT.finditer(text, seg.start, seg.end):
        cues.append(
            Cue(
                "number",
                m.start("n"),
                m.end(),
                m[0][m.start("n") - m.start() :],
                None,
                float(m["n"]) / 100,
                "model at",
            )
        )
    return cues, []


def cue_kind(cue: Cue) -> str:
    """The family of a cue, for the decision and the reasons: the kind, or a hedge's own name
    for 'would', 'risks', 'cannot' and 'a foregone conclusion'."""
    phrase = (cue.phrase or "").lower()
    families = {"would": "would", "would not": "would", "wouldn't": "would", "risks": "risks"}
    families |= {"at risk of": "risks", "cannot": "cannot", "can't": "cannot"}
    families |= {"a foregone conclusion": "foregone", "foregone conclusion": "foregone"}
    if cue.kind in ("hedge", "modal") and phrase in families:
        return families[phrase]
    return cue.kind


# "which would be the best story", "because they can't afford": not the forecast's own hedges.
_SIDE_CLAUSE = re.compile(
    r",\s*(?:which|who|whom|because|since|though|although|whereas|while|whatever|no\s+matter)\b"
    r"|\s+because\b",
    re.I,
)
# ", which I'd put at one in four": the author's own odds on the forecast just made.
_OWN_ODDS = re.compile(
    r",\s*which\s+(?:I|we)(?:'d|\s+would)?\s+(?:put|rate|give|make|say|call|reckon)\b", re.I
)
# Beliefs that hedge the clause they frame: "I think", "she reckons", "I am fairly sure" read as
# 'likely' (0.7), the codebook value of "I believe" (house rule, docs/extraction.md); a third
# person's "believes" keeps plain 'will' (0.9), as the older labelled set has it.
_HELD = re.compile(
    r"\b(?:think|thinks|reckon|reckons|suspect|suspects|guess|(?:fairly|pretty"
    r"|reasonably)\s+(?:sure|confident)|my\s+(?:own\s+)?(?:hunch|sense|guess|view|read|bet|best\s+guess)"
    r"\s+(?:is|remains))\b",
    re.I,
)
_SURPRISE = re.compile(
    r"\b(?:would|'d)(?P<neg>\s+not|n't)?\s+(?:(?:surprise|shock|astonish)\s+(?:me|us|anyone)"
    r"|be\s+(?:at\s+all\s+|remotely\s+|in\s+the\s+least\s+|terribly\s+|very\s+|hugely\s+)?"
    r"(?:surprised|shocked|astonished|amazed|stunned)\s+(?:if|to\s+see|that)\s+)"
    r"|\b(?P<dont>don't|do\s+not)\s+be\s+(?:at\s+all\s+)?(?:surprised|shocked)\s+(?:if|to\s+see|when)\s+",
    re.I,
)


def main_clause_end(text: str, after: int, end: int, *, own_odds: bool = False) -> int:
    """Where the clause of a cue at `after` ends: before ', which ...', ' because ...'; with
    `own_odds`, a ', which I'd put at ...' clause stays in (it values the forecast)."""
    m = _SIDE_CLAUSE.search(text, after, end)
    if m and own_odds and _OWN_ODDS.match(text, m.start()):
        return main_clause_end(text, m.end(), end, own_odds=True)
    return m.start() if m else end


def _held(text: str, seg: Segment) -> list[Cue]:
    """'I think', 'she reckons' (0.7); 'in all likelihood' (as 'probably', 0.75)."""
    cues = [
        _house("present", m, 0, "likely", "held")
        for m in _HELD.finditer(text, seg.start, seg.end)
        if not _LIKE_I.search(text, max(seg.start, m.start() - 12), m.start())
    ]
    cues += [
        _house("hedge", m, 0, "probably", "held")
        for m in _ALL_LIKELIHOOD.finditer(text, seg.start, seg.end)
    ]
    return cues


_LIKE_I = re.compile(r"\b(?:like|as|than)\s+(?:I|we)\s+$", re.I)
_ALL_LIKELIHOOD = re.compile(r"\bin\s+all\s+(?:likelihood|probability)\b", re.I)


def _surprises(text: str, seg: Segment) -> tuple[list[Cue], list[str]]:
    """'would not surprise me' (0.6), 'I'd be surprised if X' (0.2, turned round)."""
    cues = []
    for m in _SURPRISE.finditer(text, seg.start, seg.end):
        phrase = "would not be surprised" if m["neg"] or m["dont"] else "would be surprised"
        shape = (
            "surprised if" if m[0].rstrip().endswith(("if", "see", "that", "when")) else "surprise"
        )
        cue = _house("hedge", m, 0, phrase, shape)
        cues.append(cue)
    return cues, []


# Commentary's own ways of saying what will happen, with no modal (issue 14), each valued as
# the codebook phrase it paraphrases. A clause follows a lead ("Chances are the board replaces
# him"); a noun phrase follows a backing ("I'd put money on X", "all signs point to X").
_LEAD = re.compile(
    r"\b(?:(?P<p>(?:the\s+)?(?:chances|odds)\s+are)(?!\s+(?:against|long|slim|low|high|good|that\s+low))"
    r"|(?P<w>sooner\s+or\s+later|it(?:'s|\s+is)\s+(?:only\s+|just\s+)?a\s+(?:matter|question)\s+of\s+time"
    r"\s+(?:before|until)|it(?:'s|\s+is)\s+a\s+(?:matter|question)\s+of\s+when,?\s+not\s+if,?"
    r"|make\s+no\s+mistake|you\s+heard\s+it\s+here\s+first)"
    r"|(?P<n>I\s+(?:just\s+|really\s+|honestly\s+)?(?:don't|do\s+not)\s+(?:think|reckon|believe|see\s+how))"
    r"|(?P<l>in\s+all\s+(?:likelihood|probability))"
    r"|(?P<d>(?:I\s+)?(?:\w+ly\s+)?(?:just\s+|simply\s+)?(?:can't|cannot|don't|do\s+not|struggle\s+to)\s+see"
    r"|(?:it(?:'s|\s+is)\s+)?(?:hard|difficult)\s+to\s+(?:see|imagine)|I\s+(?:can't|cannot)\s+imagine"
    r"|I\s+(?:have|'ve\s+got)\s+a\s+(?:hard|tough)\s+time\s+(?:seeing|imagining))"
    r"(?:\s+(?:a\s+world|a\s+scenario|any\s+scenario)\s+in\s+which)?)"
    r"[:,]?\s+(?:that\s+)?",
    re.I,
)
_BACKING = re.compile(
    r"\b(?:(?P<p>I(?:'d|\s+would)\s+(?:put|bet)\s+(?:(?:good|real|serious|my\s+own)\s+)?(?:money\s+)?on"
    r"|I(?:'d|\s+would)\s+bet\s+on|(?:I\s+)?(?:wouldn't|would\s+not|never|don't)\s+bet\s+against"
    r"|the\s+odds\s+(?:now\s+)?favou?r|the\s+(?:betting|smart\s+money|working\s+assumption)"
    r"(?:\s+(?:among|in|at|on|inside)\s+[^,;:]{1,60}?)?(?:\s+[-—][^—]{1,60}[-—])?\s+is\s+(?:that|on)|(?:all\s+(?:the\s+)?|every\s+|the\s+)signs?\s+(?:point|points"
    r"|are\s+pointing)\s+to(?:wards)?|everything\s+(?:now\s+)?points\s+to(?:wards)?"
    r"|(?:the|opinion|recent|latest|most|all\s+the)\s+(?:data|evidence|polls|surveys|numbers|indicators"
    r"|signals)\s+(?:now\s+|all\s+|still\s+)?points?\s+to(?:wards)?"
    r"|\b(?:modelling|modeling|model|analysis|forecasts?|projections?)\s+(?:now\s+)?points?\s+to(?:wards)?)"
    r"|(?P<h>I(?:'d|\s+would)\s+put\s+my\s+(?:house|mortgage|shirt)\s+on)"
    r"|(?P<d>(?:don't|do\s+not|I\s+wouldn't|I\s+would\s+not)\s+(?:count|bank|bet)\s+on"
    r"|(?:don't|do\s+not|I\s+wouldn't|I\s+would\s+not)\s+hold\s+(?:your|my)\s+breath"
    r"(?:\s+(?:for|on|waiting\s+for))?))\s+",
    re.I,
)
_COMING = re.compile(
    r"\b(?:is|are|'s|looks?|seems?)\s+(?:now\s+|surely\s+|clearly\s+)?(?P<w>coming|looming"
    r"|on\s+the\s+cards|in\s+the\s+cards|in\s+the\s+offing|on\s+the\s+horizon|around\s+the\s+corner"
    r"|on\s+its\s+way|on\s+the\s+way|inevitable\s+now)\b(?!\s+(?:from|out|back|in\s+at|up|under|to|home))",
    re.I,
)
_NOT_COMING = re.compile(
    r"\b(?:(?:is|are|'s)\s+(?:not|no\s+longer)|isn't|aren't)\s+(?:on|in)\s+the\s+cards\b"
    r"|\b(?:is|are|'s)\s+off\s+the\s+cards\b",
    re.I,
)
# "A price undertaking remains the most likely outcome": "most likely" (0.7) of what will happen.
_LIKELIEST = re.compile(
    r"\b(?:is|are|'s|remains?|looks?|seems?)\s+(?:still\s+|now\s+|by\s+far\s+)?(?:the\s+|our\s+)?"
    r"(?:most\s+likely|likeliest|most\s+probable|more\s+likely|probable|likely)\s+(?:outcome|scenario"
    r"|result|path|end\s*game|course|denouement|conclusion)\b",
    re.I,
)
_BOUND_FOR = re.compile(
    r"\b(?:is|are|'s|'re|looks?|seems?|appears?)\s+(?:now\s+|still\s+|firmly\s+|squarely\s+)?"
    r"(?P<w>set\s+for|in\s+line\s+for|bound\s+for|on\s+course\s+for|on\s+track\s+for|due\s+for"
    r"|destined\s+for)\s+(?=(?:[\w'-]+\s+){0,3}?(?:wins?|victory|defeat|loss|landslide|majority|record|semi-finals?|finals?|podium|medals?"
    r"|top-(?:four|five|six|ten|two|three)|playoffs?|play-offs?"
    r"|best|worst|weakest|strongest|biggest|largest|smallest|highest|lowest|fall|rise|drop|decline"
    r"|correction|rebound|slump|recession|cut|hike|comeback|exit|relegation|promotion|title|sweep"
    r"|upset|shutdown|collapse|default|downgrade|showdown|year|season|quarter|month|finish|gain"
    r"|surplus|deficit|increase|decrease|reshuffle|split|merger|takeover|overhaul|u-turn)\b)",
    re.I,
)
_CHANCE_SIZE = re.compile(
    r"\b(?:a|an)\s+(?P<w>decent|fair|reasonable|strong|excellent|great|high|fighting|realistic"
    r"|genuine|slim|small)\s+(?:chance|possibility|shot)\b(?!\s+(?:to\s+(?:make|put|show|prove|see)))",
    re.I,
)
_PROSPECT = re.compile(
    r"\b(?P<w>little|no|scant|slim|faint|remote|real|every)\s+(?:prospect|likelihood)s?\s+(?:of|that)\b",
    re.I,
)
_CHANCE_VALUES = {
    "decent": "may well",
    "fair": "may well",
    "reasonable": "may well",
    "strong": "very good chance",
    "excellent": "very good chance",
    "great": "very good chance",
    "high": "very good chance",
    "fighting": "real chance",
    "realistic": "real chance",
    "genuine": "real chance",
    "real": "real chance",
    "slim": "little chance",
    "small": "little chance",
    "little": "little chance",
    "scant": "little chance",
    "faint": "slight chance",
    "remote": "slight chance",
    "no": "no chance",
    "every": "very good chance",
}
_ARRIVING = {"coming", "on its way", "on the way", "inevitable now"}
_LIKELY_FOR = {"in line for", "on course for", "on track for", "due for"}
# What a lead or a backing must be followed by: a claim about someone else, not "you", "me" or
# "why"; "every analyst gets one wrong" is a generic truth.
_NOT_A_CLAIM = re.compile(
    r"\W*(?:you|me|us|my|our|it|this|that|them|why|how|what|who|whether|every|each|any|everyone"
    r"|anyone|no\s+one|nobody)\b",
    re.I,
)
_GERUND = re.compile(r"\s*(?:[\w'-]+\s+){0,5}?\w+ing\b", re.I)
_HABIT = re.compile(
    r"\b(?:every|each)\s+(?:year|season|week|month|spring|summer|autumn|winter|time|day)\b"
    r"|\b(?:always|usually|typically|generally|normally|traditionally|as\s+(?:announced|planned"
    r"|scheduled|expected|agreed|confirmed))\b",
    re.I,
)
# A tag of certainty beside a clause: "Book it: the Chiefs win", "The Fed holds; bank on it".
_TAG_BEFORE = re.compile(
    r"(?:^|[.;:–]\s*)(?:book\s+it|bank\s+on\s+it|write\s+(?:it|this)\s+(?:down\s+)?in\s+(?:pen|ink)"
    r"|mark\s+(?:it|this)\s+down|lock\s+it\s+in|take\s+it\s+to\s+the\s+bank|calling\s+it(?:\s+now)?"
    r"|I'm\s+calling\s+it(?:\s+now)?|(?:I'm\s+going\s+to\s+|I'll\s+)?stick\s+my\s+neck\s+out"
    r"|prediction|bold\s+prediction|my\s+prediction|hot\s+take|my\s+call"
    r"|the\s+call|verdict|bottom\s+line|mark\s+my\s+words|you\s+heard\s+it\s+here\s+first"
    r"|I(?:'ll|\s+will)\s+say\s+it(?:\s+\w+)?|(?:so\s+)?here(?:'s|\s+is)\s+(?:my|our)\s+\w+(?:,[^:]{1,40})?"
    r"|mark\s+this\s+(?:column|post|tweet|thread)|stick\s+a\s+pin\s+in\s+this(?:\s+one)?"
    r"|here(?:'s|\s+is)\s+what\s+happens(?:\s+next)?|quick\s+prediction[^:]{0,40}"
    r"|winner|champions?|mvp|best\s+bet|nap|value\s+pick|banker|(?:each-way\s+|e/w\s+)?selection|tip"
    r"|(?:main|each-way|e/w|value|big|saver)\s+bet"
    r"|(?:bold\s+)?(?:prediction|call)\s+(?:no\.?\s*)?\d{1,2}|no\.\s*\d{1,2}"
    r"|(?:my|our|the|[\w']+'s)\s+(?:[\w'-]+\s+){0,2}?(?:view|call|prediction|pick|take|verdict|bet|read"
    r"|guess|forecast|winner|lean|tip)(?:\s+for\s+[^:]{1,30}|\s+(?:there|here|now|today))?)\s*[:–]\s*$",
    re.I,
)
_TAG_AFTER = re.compile(
    r"\s*(?:[;:,–]|\s-)\s*(?:and\s+)?(?:you\s+can\s+)?(?:book\s+it|bank\s+on\s+it|write\s+(?:it|that)"
    r"\s+(?:down\s+)?in\s+(?:pen|ink)|mark\s+(?:it|that|my\s+words)(?:\s+down)?|lock\s+it\s+in"
    r"|take\s+(?:it|that)\s+to\s+the\s+bank|you\s+heard\s+it\s+here\s+first|count\s+on\s+it"
    r"|trust\s+me|you\s+watch|just\s+watch|(?:I'm\s+)?calling\s+it(?:\s+now)?|you\s+heard\s+it\s+here"
    r"|that's\s+my\s+(?:number|call|pick"
    r"|prediction|bet)|I'm\s+sticking\s+to\s+it|no\s+question|I\s+promise\s+you|screenshot\s+this"
    r"|(?:and\s+)?it(?:'s|\s+is)\s+not\s+(?:even\s+|particularly\s+)?close|it\s+isn't\s+close"
    r"|I(?:'d|\s+would)\s+(?:put|bet|stake)\s+my\s+(?:house|mortgage|shirt|job|life)\s+on\s+it"
    r"|I(?:'d|\s+would)\s+be\s+(?:stunned|surprised|amazed|shocked)\s+otherwise|end\s+of\s+story"
    r"|nobody\s+(?:here\s+|in\s+this\s+room\s+)?doubts\s+it|no\s+debate|guaranteed|100%|simple\s+as\s+that"
    r"|mark\s+this\s+column|lock\s+it|nailed\s+on|no\s+notes|don['’]t\s+(?:@|at)\s+me"
    r"|bet\s+the\s+(?:house|farm)|(?:and\s+)?it['’]s\s+not\s+remotely\s+close)(?!\w)",
    re.I,
)
# A present-tense claim about a time to come ("Brent averages $68 in 2027"): a forecast in the
# headline style of commentary, read as plain 'will'; a copula or a diary verb is left alone.
FUTURE_TIME = re.compile(
    r"\b(?:by|before|in|into|through|throughout|until|till|from|during|over)\s+(?:the\s+)?"
    r"(?:(?:end|start|middle|turn|close|first\s+half|second\s+half)\s+of\s+(?:the\s+)?)?"
    r"(?:next\s+|coming\s+)?(?:20[2-9]\d|january|february|march|april|may|june|july|august|september"
    r"|october|november|december|spring|summer|autumn|fall|winter|q[1-4]|(?:first|second|third"
    r"|fourth)\s+quarter|christmas|easter|year[-\s]end|end\s+of\s+year|the\s+year)\b(?!\s+(?:ago|earlier))"
    r"|\bnext\s+(?:year|month|week|season|quarter|spring|summer|autumn|winter|time|cycle|term|decade)\b"
    r"|\bbefore\s+the\s+(?:year|month|season|summer|decade)\s+is\s+out\b"
    r"|\bwithin\s+(?:(?:a|an|the\s+next|\w+)\s+)?(?:\w+\s+)?(?:days?|weeks?|months?|years?|quarters?)\b"
    r"|\b(?:by|before|until)\s+(?:next\s+)?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    r"|thanksgiving|halloween|new\s+year|the\s+weekend)\b|\bthis\s+(?:weekend|week)\b"
    r"|\bbefore\s+(?:thanksgiving|the\s+election|the\s+vote|the\s+deadline|the\s+break|recess)\b"
    r"|\b(?:the\s+)?(?:coming|next)\s+(?:few\s+|two\s+|three\s+)?(?:days|weeks|months|years|quarters)\b"
    r"|\b(?:around|about|circa|by|in|before)\s+(?:the\s+)?(?:mid-|late\s+|early\s+)?20[2-9]\d(?:s\b)?"
    r"|\b(?:ends?|finish(?:es)?|closes?)\s+(?:the|this)\s+(?:year|season|quarter|month|decade)\b"
    r"|\binside\s+(?:a|an|the\s+next|\w+)\s+(?:\w+\s+)?(?:days?|weeks?|months?|years?|quarters?)\b"
    r"|\bcome\s+(?:the\s+)?(?:spring|summer|autumn|fall|winter|january|february|march|april|may|june"
    r"|july|august|september|october|november|december|christmas|election\s+day)\b"
    r"|\b(?:tomorrow|tonight)\b",
    re.I,
)
_DEADLINE_TIME = re.compile(r"\b(?:by|before|within|inside)\s", re.I)
_PROGRESSIVE_NOW = re.compile(r"\b(?:is|are|'s|'re|isn't|aren't)\s+(?:not\s+)?\w+ing\b", re.I)
_LEAD_PHRASE = re.compile(r"[^,;:]{2,50},\s+")
_WH_LEAD = re.compile(r"\W*(?:who|what|which|whoever|whatever|whether|how|when|where|why)\b", re.I)
_PRESENT_COPULA = re.compile(
    r"\bwill\s+(?:not\s+)?(?:be|have|remain|look|seem|appear|feel|sound)\b", re.I
)
_DIARY_PRESENT = re.compile(
    r"\b(?:meets?|convenes?|votes?|opens?|begins?|starts?|resumes?|closes?|publishes|releases?"
    r"|announces?|unveils?|kicks?\s+off|goes\s+to\s+the\s+polls|takes?\s+(?:office|effect|place)"
    r"|comes?\s+into\s+force|visits?|travels?|hosts?|testif(?:y|ies)|reports?|launches|airs?"
    r"|premieres?|expires?|ends|pays|costs?|qualif(?:y|ies)|applies|apply|runs\s+from"
    r"|go(?:es)?\s+(?:on\s+sale|live|into\s+effect)|activates?|kicks?\s+in|matures?|lands?\s+in"
    r"|arrives?\s+in|heads?\s+to|returns?\s+to\s+(?:the\s+)?(?:studio|stage|screens?|air)|runs"
    r"|allows?|receives?|includes?|covers?|lasts|entitles?|requires?|gets?\s+under\s+way|tips?\s+off"
    r"|holds?\s+(?:its|their|a|an|the)\s+(?:final\s+|first\s+|annual\s+)?(?:rally|meeting|conference|event"
    r"|summit|vote|hearing|congress|convention|ceremony|auction|draw))\b",
    re.I,
)
_PAST_VERB = re.compile(
    r"\b(?:was|were|had|did|rose|fell|lost|won|stood|grew|slipped|came|went|took|saw|hit|made|began"
    r"|ran|led|left|got|gave|sold|bought|spent|paid|said|told|set\s+a"
    r"|(?<!\bin\s)(?<!\bthe\s)(?<!\ba\s)(?<!\ban\s)(?<!\bof\s)(?<!\bits\s)(?<!\btheir\s)(?<!\bour\s)"
    r"(?<!\bnewly\s)(?<!\balready\s)(?<!\bfully\s)(?<!\bwell\s)\w{2,}ed\s+(?!to\b|by\b))\b"
    r"|\b(?:has|have)\s+(?:\w+\s+)?\w+(?:ed|en|wn)\b|\bso\s+far\b|\bsince\b",
    re.I,
)
_PASSIVE = re.compile(r"\b(?:gets?|be|been|being|is|are|'s|'re|remains?|stays?)\s+\w+ed\b", re.I)
_OWN_SUBJECT = re.compile(
    r"^\W*(?:I|we|you|our|my|this\s+(?:newsletter|column|blog|site|page))\b", re.I
)


_LABEL = re.compile(
    r"(?:^|(?<=[.;–]\s))\W*(?:(?:my|our|the)\s+)?(?:winner|pick|prediction|call|verdict|best\s+bet|champions?"
    r"|tip|selection|lock\s+of\s+the\s+week|upset\s+pick|predicted\s+score|score\s+prediction)\s*:\s+",
    re.I,
)
# A labelled pick of a place or a prize: "Relegation: Luton, Burnley, Sheffield United."
_ROLE_BEFORE = re.compile(
    r"(?:^|[.;–]\s*)\W*(?:(?:my|our|the)\s+)?(?P<w>relegat(?:ion|ed)|going\s+down|the\s+drop|promot(?:ion|ed)"
    r"|top\s+(?:two|three|four|five|six|half)|bottom|wooden\s+spoon|runners?-up|top\s+scorer|golden\s+boot"
    r"|(?:quarter-?|semi-?)?finalists?|(?:player|coach|manager|rookie|driver|team)\s+of\s+the\s+(?:year|season"
    r"|tournament)|first\s+(?:manager|coach|boss)\s+(?:sacked|out|to\s+go)|ballon\s+d['’]or)"
    r"(?:\s+(?:pick|picks|prediction|predictions|tip|call))?\s*:\s*$",
    re.I,
)
_HOLDER_HAS = re.compile(
    r"\b(?:model|exit\s+polls?|market|markets|bookmakers?|bookies|consensus|odds|futures"
    r"|survey|estimate|projection|forecast|baseline|numbers|simulations?|tracker|average|nowcast"
    r"|analysts?|desk|team|count|tally|scenario|case|panel|pundits|experts|deck|curve|path"
    r"|(?-i:[A-Z][\w&.-]+))(?:\s+(?:we|I|they)\s+\w+"
    r"(?:\s+here)?)?\s+"
    r"(?:now\s+|still\s+|also\s+)?(?P<w>has|have|sees?|gives?)\s+"
    r"(?=(?:him|her|them|it|the\s+[\w'-]+(?:\s+[\w'-]+){0,3}|(?-i:[A-Z])[\w'.-]*(?:\s+[\w'.-]+){0,3}"
    r"|\"[^\"]{1,50}\")\s+(?:at\s+(?:about\s+|around\s+)?[$€£\d]|on\s+(?:about\s+|around\s+)?\d"
    r"|as\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,2}?(?:\d|favou?rite|odds-on|clear|front-?runner)|in\s+front"
    r"|ahead|clear\s+favou?rite|priced\s+at|\w+ing\b|(?:below|above|under|over|near|around)\s+[$€£\d])"
    r"|\d[\d,.]*\s+(?:\w+\s+)?(?:seats|cases|votes|deaths"
    r"|senators|members|points|wins|units|homes)\b"
    r"|(?:[\w'-]+\s+){1,4}?at\s+(?:about\s+|around\s+|roughly\s+)?\d{1,3}(?:\.\d)?\s*(?:%|per\s*cent))",
    re.I,
)
_CONFIDENT = re.compile(
    r"\b(?:(?P<w>quietly|fairly|reasonably|increasingly|very|supremely|fully|highly|pretty|quite)\s+)?"
    r"confident\s+(?:of|that)\s+",
    re.I,
)
_GUARANTEES = re.compile(
    r"\b(?:all\s+but|virtually|practically|almost|effectively|more\s+or\s+less)\s+guarantees?\s+",
    re.I,
)
_SHOULD_DRIFT = re.compile(
    r"\b(?:should|ought\s+to)\s+(?:\w+ly\s+|then\s+|still\s+|now\s+|also\s+)?(?:ease|drift|make\s+it|have\s+too\s+much"
    r"|beat|edge|cover|progress|prevail|qualify|go\s+through|cash|land|see\s+off|take\s+(?:the|it|this|care)|fall|rise|climb|edge|slip|recover|stabili[sz]e|peak"
    r"|pick\s+up|improve|weaken|strengthen|settle|moderate|cool|slow|accelerate|rebound|bottom\s+out"
    r"|decline|increase|decrease|narrow|widen|fade|trend|tick|come\s+(?:in|down|back)|drop|dip|firm"
    r"|soften|grow|shrink|top|exceed|hover|stay|remain|hold|win|clinch|average|trade|end|finish|clear"
    r"|reach)\b",
    re.I,
)
_SHARE_OF_RUNS = re.compile(
    r"\b(?:in\s+)?(?P<n>\d{1,3}(?:\.\d+)?)\s*(?:%|per\s*cent\b|percent\b)\s+of\s+(?:the\s+|our\s+|its\s+"
    r"|their\s+|his\s+|her\s+)?(?:[\d,]+\s+)?(?:simulations|scenarios|runs|model\s+runs|draws|outcomes"
    r"|paths|the\s+time|trials|simulated\s+\w+|cases)\b",
    re.I,
)


def _outlooks(text: str, seg: Segment) -> tuple[list[Cue], list[str]]:
    """Leads, backings, 'is coming', 'is set for', 'a decent chance', tags of certainty and
    present-tense claims about a time to come."""
    cues = _leads(text, seg) + _predicates(text, seg) + _chances(text, seg)
    cues += _labels(text, seg) + _shares(text, seg) + _tagged(text, seg) + _role_pick(text, seg)
    cues += _line_picks(text, seg) + _table_row(text, seg) + _post_call(text, seg)
    dated, rejected = _dated_present(text, seg)
    return cues + dated, rejected


_FANCY = re.compile(
    r"\b(?:I|we)\s+(?:really\s+|quite\s+|also\s+|still\s+)?fancy\s+(?=(?:[\w'.-]+\s+){1,5}?to\s+[a-z])"
    r"|\b(?:is|are|'s|'re|looks?)\s+(?:an?\s+)?(?:odds-on|a\s+good\s+thing|the\s+safe\s+bet|the\s+banker"
    r"|(?:my|our|the)\s+(?:(?:value|best|each-way|e/w|main|big|top)\s+)?(?:pick|bet|banker|nap|tip|selection|play)"
    r"|(?:the\s+)?value(?:\s+bet)?)\b(?!\s+(?:is|was|of\s+the\s+(?:century|year)))"
    r"|\bthe\s+(?:safe|safest|obvious)\s+bet\s+is\s+",
    re.I,
)
_LOOK_FOR = re.compile(
    r"\b(?:(?:I|we)\s+(?:now\s+|still\s+)?)?(?:look|looks|are\s+looking|'re\s+looking)\s+for\s+"
    r"(?=(?:the\s+)?(?:[\w'.&-]+\s+){1,6}?to\s+(?!be\s+(?:seen|done)\b)[a-z]+)",
    re.I,
)
_WE_LOOK_FOR = re.compile(
    r"\b(?:I|we)\s+(?:now\s+|still\s+)?look\s+for\s+(?=(?:an?|the|another|\d+|[$€£])\b)"
    r"|\b(?P<fav>(?:is|are|'s|'re)\s+(?:now\s+|still\s+)?(?:(?:the|a|an)\s+(?:[\w-]+\s+){0,2}?favou?rites?"
    r"|(?:(?:narrow|clear|strong|heavy|firm|red-hot|hot|big|short-priced)\s+)?favou?rites))\b"
    r"(?!\s+(?:of|among|with|for\s+the|in\s+the\s+(?:stands|crowd)|to\b))"
    r"|\b(?P<evens>likelier\s+than\s+not|more\s+likely\s+than\s+not)\s+to\s+",
    re.I,
)


def _leads(text: str, seg: Segment) -> list[Cue]:
    cues = []
    for m in _WE_LOOK_FOR.finditer(text, seg.start, seg.end):
        if m["fav"]:
            cues.append(_house("present", m, "fav", "likely", "lock"))
        elif m["evens"]:
            cues.append(_cue("hedge", m, 0, "more likely than not"))
        else:
            cues.append(_house("projection", m, 0, "likely", "projection"))
    cues += [
        _house("pick", m, 0, "likely", "pick" if m[0].lower().endswith("is ") else "fancy")
        for m in _FANCY.finditer(text, seg.start, seg.end)
    ]
    cues += [
        Cue("verb", m.start(), m.end(), m[0].strip(), "likely", codebook_probability("likely"))
        for m in _LOOK_FOR.finditer(text, seg.start, seg.end)
        if not _NOT_A_CLAIM.match(text, m.end())
    ]
    for m in _LEAD.finditer(text, seg.start, seg.end):
        rest = text[m.end() : seg.end]
        said = will_clause(rest) != rest or (m["d"] and _GERUND.match(rest))
        if said and not _NOT_A_CLAIM.match(rest) and not _HABIT.search(rest):
            phrase = "probably" if m["p"] or m["l"] else "i doubt" if m["d"] else "will"
            phrase = "probably not" if m["n"] else phrase
            kind: CueKind = "hedge" if m["d"] or m["n"] else "present"
            cues.append(_house(kind, m, 0, phrase, "belief"))
    for m in _BACKING.finditer(text, seg.start, seg.end):
        if m.end() < seg.end and not _NOT_A_CLAIM.match(text, m.end()):
            phrase = "likely" if m["p"] else "will" if m["h"] else "i doubt"
            family: CueKind = "hedge" if m["d"] else "projection"
            cues.append(_house(family, m, 0, phrase, "projection"))
    return cues


# A betting line taken: a side and its spread or total, or a price in American odds, at the
# start of a piece ("Knicks +4.5 tonight", "Dante Reyes over 64.5 receiving yards (-115, 1.5u)",
# "Troy Abernathy anytime touchdown (+220, 0.5u)"). A line is a pick (0.7, R-p 3); a bare price
# is its implied chance (for -x, x/(x+100); for +x, 100/(x+100)).
_LINE_PICK = re.compile(
    r"(?:(?:No\.\s*\d{1,2}\s+)?[A-Z][\w.'’&-]*(?:\s+[A-Z][\w.'’&-]*){0,3}\s+(?:covers?\s+)?"
    r"(?P<spread>[+-]\d{1,2}(?:\.5)?)(?![\d.])"
    r"|(?:[A-Z][\w.'’&-]*(?:\s+[A-Z][\w.'’&-]*){0,3}\s+)?(?i:over|under)\s+(?P<total>\d{1,3}\.5)\b"
    r"|[A-Z][^()]{2,60}?\s+at\s+(?P<at>[+-]\d{3,4})\b"
    r"|[A-Z][^()]{2,60}?\((?P<price>[+-]\d{3,4})(?:,\s*\d+(?:\.\d+)?\s*units?|,\s*\d+(?:\.\d+)?u)?\))"
)
_LINE_START = re.compile(
    r"\s*(?:\d{1,2}[.)]\s+|[-•*]\s+|(?:the\s+)?(?:play|pick|bet|lean)s?:\s+)?", re.I
)


# A headline's pick: "India to win 3-1.", "Shels to edge the title."
_TO_WIN = re.compile(
    r"[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}\s+to\s+(?:win|beat|finish|make|reach|take|lift|claim|edge"
    r"|retain|top|cover|progress|qualify|go\s+through|stay\s+up|go\s+down|be\s+relegated)\b"
)


# A tipster's selection at a price: "2pts e/w Fleetwood at 20/1", "Back the draw at 3/1".
_STAKED = re.compile(
    r"(?:\d+(?:\.\d+)?\s*(?:pts?|points?|units?|u)\b\s*"
    r"(?:(?:win|e/?w|each[- ]way|ew|to\s+win|ml)\s+)?"
    r"|(?:back|take|lump\s+on|get\s+on|have\s+a\s+(?:small\s+)?(?:bet|punt|saver|go|tickle)\s+on"
    r"|(?:I'm|I\s+am|we're|we\s+are)\s+(?:on|backing|having|siding\s+with|taking)"
    r"|I'll\s+(?:back|take|have)"
    r"|I(?:'ve|\s+have)\s+(?:backed|taken|had\s+a\s+(?:small\s+|little\s+|few\s+quid\s+)?(?:bet|punt|saver)\s+on))\s+)"
    r"(?P<side>(?-i:[A-Z])[^,;:()]{0,50}?|the\s+(?:draw|over|under|home\s+win|away\s+win|hosts|favourites?|home\s+side|visitors|holders"
    r"|champions))"
    r"(?:\s+(?:to\s+win|ML|on\s+the\s+moneyline))?(?:\s+in\s+[^,;:()]{3,40}?)?\s*(?:\bat\b|@|,)\s*(?P<odds>\d{1,3}/\d{1,2}|evens|evs"
    r"|\d{1,2}\.\d{1,2})(?![\d/])",
    re.I,
)


def _price_chance(odds: str) -> float | None:
    """The chance a bookmaker's price implies: 3/1 → 0.25, evens → 0.5, 2.50 → 0.4."""
    if odds.lower().startswith("ev"):
        return 0.5
    if "/" in odds:
        a, b = (int(n) for n in odds.split("/"))
        return round(b / (a + b), 3) if b else None
    decimal = float(odds)
    return round(1 / decimal, 3) if decimal > 1 else None


# A forecast table's row, read by its first cell: "Brent ($/bbl): Q4-25f 64 | Q1-26f 60".
TABLE_ROW = re.compile(
    r"\W*(?P<np>(?-i:[A-Z])[^:|]{1,60}?)\s*:\s*(?:(?P<q>[QH][1-4])[-\s'’]?(?P<yy>\d{2})|(?P<yyyy>20\d\d))[ef]"
    r"\s+(?P<v>[-+]?[$€£]?\d[\d.,]*\s*(?:%|bp|m|bn|k|tn)?)\s*(?=\||$)",
    re.I,
)


def _table_row(text: str, seg: Segment) -> list[Cue]:
    m = TABLE_ROW.match(text) if seg.start == 0 else None  # the row, past its colon
    if m is None:
        return []
    return [Cue("projection", 0, m.end(), m[0], "will", codebook_probability("will"), "table")]


# A post's bare present-tense call (the guideline: a pick, 0.7): "u/ibrox_ian: Rangers win 2-0."
_HANDLE = re.compile(
    r"^\W*(?:\[#?[\w -]{1,30}\]\s*)?(?:u/|@)?[\w.-]*[_\d/@][\w.-]*:\s+|^\W*(?:u/|@)[\w.-]+:\s+"
)
_POST_CALL = re.compile(
    r"(?P<np>(?:(?-i:[A-Z])[\w.'’&-]*|we|they)(?:\s+(?-i:[A-Z])[\w.'’&-]*){0,3})\s+(?P<v>win|wins|lose|loses|beat"
    r"|beats|finish|finishes|miss|misses|make|makes|qualify|qualifies|retain|retains|pass|passes|fail"
    r"|fails|crash|crashes|hit|hits|drop|drops|top|tops|reach|reaches|go\s+(?:up|down|through)|goes"
    r"\s+(?:up|down|through)|stay\s+up|stays\s+up|hold|holds|collapse|collapses|rip|rips|tank|tanks"
    r"|launch|launches|ship|ships|rise|rises|fall|falls|clear|clears|flip|flips|walk|walks)\b",
    re.I,
)
_PAST_TIME = re.compile(
    r"\b(?:yesterday|last\s+(?:night|week|month|year|season|time)|ago|earlier|so\s+far|always|every"
    r"|usually|again\s+and\s+again)\b",
    re.I,
)


def _post_call(text: str, seg: Segment) -> list[Cue]:
    handle = _HANDLE.match(text)
    if handle is None or seg.end <= handle.end():
        return []
    at = max(seg.start, handle.end())
    at += len(text[at:]) - len(text[at:].lstrip(" >"))
    m = _POST_CALL.match(text, at, seg.end)
    clause = text[at : seg.end]
    if (
        m is None
        or _PAST_TIME.search(clause)
        or (_OWN_SUBJECT.match(clause) and m["np"].lower() != "we")
    ):
        return []
    return [
        Cue(
            "pick",
            at,
            at + len(m["np"]),
            m["np"],
            "likely",
            codebook_probability("likely"),
            "consequent",
        )
    ]


def _line_picks(text: str, seg: Segment) -> list[Cue]:
    start = _LINE_START.match(text, seg.start)
    at = start.end() if start else seg.start
    if _RESULT_WORDS.search(text, seg.start, seg.end):
        return []
    staked = _STAKED.match(text, at, seg.end)
    if staked and (p := _price_chance(staked["odds"])) is not None:
        side = staked.start("side")  # the price states the chance, as a number does
        return [Cue("number", side, side, "", None, p, "pick")]
    m = _TO_WIN.match(text, at, seg.end) or _LINE_PICK.match(text, at, seg.end)
    if m is None:
        return []
    if m.re is _LINE_PICK and (price := m["price"] or m["at"]):
        n = int(price)
        p = round(-n / (-n + 100) if n < 0 else 100 / (n + 100), 3)
        return [Cue("pick", m.start(), m.start(), "", None, p, "pick")]
    return [Cue("pick", m.start(), m.start(), "", "likely", codebook_probability("likely"), "pick")]


_RESULT_WORDS = re.compile(
    r"\b(?:won|lost|beat|covered|cashed|went|finished|final|up|down|leads?|trails?)\b"
)


def _labels(text: str, seg: Segment) -> list[Cue]:
    """'Winner: Szalay', 'Our lab has X at 40%', 'quietly confident of', 'all but guarantees'."""
    cues = [
        _house("pick", m, 0, "likely", "pick")
        for m in _LABEL.finditer(text, seg.start, seg.end)
        if m.end() < seg.end
    ]
    cues += [
        _house("projection", m, "w", "will", "projection")
        for m in _HOLDER_HAS.finditer(text, seg.start, seg.end)
    ]
    for m in _CONFIDENT.finditer(text, seg.start, seg.end):
        strong = (m["w"] or "").lower() in ("very", "supremely", "fully", "highly")
        cues.append(_house("hedge", m, 0, "highly likely" if strong else "likely", "belief"))
    cues += [
        _house("hedge", m, 0, "almost certainly", "projection")
        for m in _GUARANTEES.finditer(text, seg.start, seg.end)
    ]
    drifts = list(_SHOULD_DRIFT.finditer(text, seg.start, seg.end))
    drifts += [
        m for m in _SHOULD_DATED.finditer(text, seg.start, seg.end) if _dated_should(text, seg, m)
    ]
    starts = sorted({m.start() for m in drifts if not _SHOULD_WIN_LABEL.match(text, m.start() + 6)})
    return cues + [
        Cue("modal", at, at + 6, text[at : at + 6], "likely", codebook_probability("likely"))
        for at in starts
    ]


# An epistemic "should" with any verb, when the piece names a time and nobody is addressed:
# "Digital media should pass half of it in 2025" (advice names its addressee or has no date).
_SHOULD_DATED = re.compile(
    r"\bshould\s+(?:\w+ly\s+)?(?!(?:not|be|have|get|do|make|take|give|stop|start|keep|consider|focus"
    r"|look|think|use|avoid|ask|let|try|act|move|push|pay|tell|seek|plan|prepare|expect|resist|accept"
    r"|reject|know|learn|remember|begin|allow|ensure|aim|commit|put|spend|invest|hold\s+off)\b)[a-z]+\b",
    re.I,
)
_ADDRESSED = re.compile(
    r"\b(?:you|we|I|they|investors|parents|people|everyone|anyone|readers|governments?|ministers?"
    r"|policymakers|regulators|Congress|Parliament|lawmakers|voters|fans|buyers|sellers|officials"
    r"|leaders|managers|companies|firms|businesses|employers|schools|universities|students|farmers"
    r"|growers|households|homeowners|borrowers|savers|landlords|tenants|drivers|residents|members"
    r"|owners|users|traders|bettors|punters|applicants|candidates|patients|clubs|teams|councils"
    r"|authorities|retailers|exporters|importers|motorists|commuters|travellers|travelers|taxpayers)"
    r"(?:\s+(?:with|who|in|on|without)\s+[\w\s'’-]{1,40}?)?\s+$",
    re.I,
)


def _dated_should(text: str, seg: Segment, m: re.Match[str]) -> bool:
    return not _ADDRESSED.search(text[seg.start : m.start()]) and bool(
        find_horizon(text[m.end() : seg.end])
    )


_BOOK_ODDS = re.compile(
    r"\b(?:at|as(?:\s+the)?|is|are|'s|'re|a|an|priced\s+at|best-priced|around|about|make\s+\w+(?:\s+\w+)?(?:\s+a)?"
    r"|offering"
    r"|trading\s+at(?:\s+around)?)\s+(?P<a>\d{1,3})/(?P<b>\d{1,2})\b(?!/)"
)
_BOOK_WORDS = re.compile(
    r"\b(?:odds|bookmakers?|bookies|books|priced|favou?rites?|chance|shot|punters|betting|Betfair"
    r"|Ladbrokes|Paddy|William\s+Hill|Bet365|SkyBet|offering|outsiders?|nap|each-way|price|punt|tipster"
    r"|stake|value|tips?|best\s+bet|firms|exchanges?|TAB|each\s+way)\b",
    re.I,
)
# Decimal odds with a bookmaker word: "the Brumbies are $1.45 with the bookies", "at 3.80".
_DECIMAL_ODDS = re.compile(
    r"\b(?:at|is|are|'s|'re|now|out\s+to|in\s+to|into)\s+\$?(?P<d>[1-9]\d?\.\d{2})\b(?!\s*(?:%|per|m\b|bn|million|billion|seconds|s\b))",
    re.I,
)


_PRICED_IN = re.compile(r"\b(?P<n>\d{1,3})\s*%\s+(?:priced(?:\s+in)?|implied|baked\s+in)\b", re.I)
_RISK_PLURAL = re.compile(
    r"(?<![\w'])(?<!\bthe\s)(?<!\ba\s)(?<!\bat\s)(?<!\bof\s)(?<!\bno\s)(?<!\bbig\s)(?<!\breal\s)"
    r"(?:now\s+|also\s+|still\s+)?risk\s+(?=(?:an?|the|another|more|further|\w+ing)\b)",
    re.I,
)
_SEE_AHEAD = re.compile(
    r"\b(?:we|I)\s+(?:now\s+|still\s+|also\s+)?see\s+(?=(?:an?|another|the|\d|[$€£])\b[^.;:]{0,80}?"
    r"\b(?:next\s+(?:year|month|quarter|season)|this\s+year|by\s+\w+|in\s+20\d\d|through\s+20\d\d))",
    re.I,
)
_NO_BEFORE = re.compile(r"\W*No\s+(?-i:[a-zA-Z])")
_YOUD_SEE = re.compile(r"\b(?:you|we|they)['’]d\s+(?:probably\s+|likely\s+)?see\s+", re.I)
_IN_DANGER = re.compile(r"\bin\s+(?:serious\s+|real\s+|grave\s+|some\s+)?danger\s+of\b", re.I)
_TO_BEAT = re.compile(
    r"\b(?:is|are|'s|remains?)\s+(?:still\s+|now\s+)?(?:the\s+)?(?:man|woman|team|side|horse|film|one"
    r"|player|candidate|party|club|fighter)\s+to\s+beat\b",
    re.I,
)
_CLOSE_TO_LOCK = re.compile(
    r"\b(?:is|are|'s|looks?)\s+(?:about\s+|as\s+)?(?:as\s+)?close\s+to\s+a\s+(?:lock|done\s+deal|certainty"
    r"|sure\s+thing|formality)\b",
    re.I,
)
# "The title is Lech's to lose": a favourite named (0.7); "another hike is a given" (0.97).
_TO_LOSE = re.compile(
    r"(?:\b(?:is|are|looks|remains)|(?<=\b[Ii]t)['’]s)\s+(?:still\s+|now\s+|surely\s+)?(?P<who>[A-Z][\w.&'’-]*"
    r"(?:\s+[A-Z][\w.&'’-]*){0,3}|the\s+[a-z][\w-]*)['’]s?\s+to\s+lose\b"
)
_A_GIVEN = re.compile(
    r"\b(?:is|are|looks|seems)\s+(?:now\s+|all\s+but\s+|practically\s+)?a\s+given\b", re.I
)
_NOT_A_HOPE = re.compile(r"\b(?:has|have|stands?)\s+(?:not\s+a|no)\s+hope\b", re.I)
_PREDICTED = re.compile(
    r"\b(?<!was\s)(?<!were\s)(?<!had\s)predicted\s+(?=(?:an?|the|that|\d)\b)", re.I
)
_FRAME_ASIDE = re.compile(
    r"(?:^|,\s+|–\s*)(?:on|in|by)\s+(?:our|my|the|their|its|[\w'.-]+'s)\s+(?:own\s+)?(?:[\w-]+\s+){0,2}?"
    r"(?:estimates?|projections?|modelling|modeling|guidance|reckoning|calculations?|maths|aggregate"
    r"|numbers|models?|arithmetic|tracking|count|reading|assumptions?)\b",
    re.I,
)
_NEAR_CERTAIN = re.compile(
    r"\b(?:is|are|'s|looks?|seems?)\s+(?:now\s+)?an?\s+(?:near|virtual)[-\s]certainty\b", re.I
)
# A prediction market's price is its implied chance: "priced at 71 cents".
_CENTS = re.compile(r"\b(?:priced\s+at|trading\s+at|at)\s+(?P<n>\d{1,2})\s*(?:cents|¢)\b", re.I)


def _shares(text: str, seg: Segment) -> list[Cue]:
    """'win a plurality in 71% of simulations', 'a 9/2 chance with the books'."""
    cues = []
    for m in _BOOK_ODDS.finditer(text, seg.start, seg.end):
        betting = _BOOK_WORDS.search(text) or m[0].lower().startswith(("trading", "priced", "best"))
        if betting and (cue := _fractional(text, m)):
            cues.append(cue)
    if _BOOK_WORDS.search(text):
        cues += [
            Cue("number", m.start(), m.end(), m[0], None, round(1 / float(m["d"]), 3), "price")
            for m in _DECIMAL_ODDS.finditer(text, seg.start, seg.end)
            if float(m["d"]) > 1
        ]
    cues += [
        Cue("number", m.start(), m.end(), m[0], None, float(m["n"]) / 100, "runs")
        for pattern in (_CENTS, _PRICED_IN)
        for m in pattern.finditer(text, seg.start, seg.end)
    ]
    cues += [_cue("hedge", m, 0, "would") for m in _YOUD_SEE.finditer(text, seg.start, seg.end)]
    cues += [
        _cue("hedge", m, 0, "no chance") for m in _NOT_A_HOPE.finditer(text, seg.start, seg.end)
    ]
    cues += [
        _cue("hedge", m, 0, "at risk of") for m in _IN_DANGER.finditer(text, seg.start, seg.end)
    ]
    cues += [
        _house("present", m, 0, "likely", "lock")
        for m in _TO_BEAT.finditer(text, seg.start, seg.end)
    ]
    cues += [
        _house("present", m, 0, "almost certainly", "happens")
        for m in _CLOSE_TO_LOCK.finditer(text, seg.start, seg.end)
    ]
    cues += [
        _house("present", m, 0, "likely", "to lose")
        for m in _TO_LOSE.finditer(text, seg.start, seg.end)
    ]
    cues += [
        _house("present", m, 0, "certain", "happens")
        for m in _A_GIVEN.finditer(text, seg.start, seg.end)
    ]
    cues += [
        Cue("verb", m.start(), m.end(), m[0].strip(), "will", codebook_probability("will"))
        for m in _PREDICTED.finditer(text, seg.start, seg.end)
    ]
    cues += [
        Cue("hedge", m.start(), m.start() + 4, m[0][:4], "risks", codebook_probability("risks"))
        for m in _RISK_PLURAL.finditer(text, seg.start, seg.end)
        if m.start() > seg.start
    ]
    cues += [
        _house("projection", m, 0, "likely", "projection")
        for m in _SEE_AHEAD.finditer(text, seg.start, seg.end)
    ]
    cues += [
        _house("present", m, 0, "almost certainly", "happens")
        for m in _NEAR_CERTAIN.finditer(text, seg.start, seg.end)
    ]
    cues += [
        Cue("number", m.start(), m.end(), m[0], None, float(m["n"]) / 100, "runs")
        for m in _SHARE_OF_RUNS.finditer(text, seg.start, seg.end)
    ]
    return cues


def _predicates(text: str, seg: Segment) -> list[Cue]:
    cues = []
    cues += [
        _house("present", m, 0, "will", "not coming")
        for m in _NOT_COMING.finditer(text, seg.start, seg.end)
    ]
    for m in _COMING.finditer(text, seg.start, seg.end):
        word = m["w"].lower()
        phrase = "will" if word in _ARRIVING else "likely"
        cues.append(_house("present", m, 0, phrase, "coming"))
    cues += [
        _house("hedge", m, 0, "likely", "coming")
        for m in _LIKELIEST.finditer(text, seg.start, seg.end)
    ]
    for m in _BOUND_FOR.finditer(text, seg.start, seg.end):
        word = " ".join(m["w"].lower().split())
        phrase = "likely" if word in _LIKELY_FOR else "bound to" if "destined" in word else "will"
        cues.append(_house("present", m, 0, phrase, "set for"))
    return cues


def _chances(text: str, seg: Segment) -> list[Cue]:
    cues = []
    for pattern in (_CHANCE_SIZE, _PROSPECT):
        for m in pattern.finditer(text, seg.start, seg.end):
            cues.append(_house("hedge", m, 0, _CHANCE_VALUES[m["w"].lower()], "chance"))
    return cues


_RATING = re.compile(
    r"\W*(?:mostly\s+|partly\s+|half\s+|largely\s+)?(?:true|false|misleading|unsupported|unproven"
    r"|correct|incorrect|accurate|inaccurate|exaggerated|disputed|missing\s+context|needs\s+context"
    r"|lacks\s+context|fake|fabricated|satire|pants\s+on\s+fire)\b",
    re.I,
)


def _tagged(text: str, seg: Segment) -> list[Cue]:
    """The clause beside a tag of certainty, read as plain 'will'."""
    tagged = _TAG_BEFORE.search(text, 0, seg.start) or _TAG_AFTER.match(text, seg.end)
    if not tagged and (inner := _TAG_AFTER.search(text, seg.start, seg.end)):
        tagged, seg = inner, replace(seg, end=inner.start())  # the call is what precedes its tag
    tagged = tagged or _FRAME_ASIDE.search(text, seg.start, seg.end)
    if not tagged:
        return []
    start = _claim_start(text, seg)
    if text[start : start + 1].isdigit():  # "Nap: Desert Crown, 2.30 Ascot": the name, not the race
        start = seg.start
    priced = text[start : seg.end]
    clause = _STAKE_TAIL.sub("", priced)  # "Copper Kettle, 3pts win at 10/1": the stake is no verb
    first = _FIRST_WORD.match(text, start)
    if not tagged or not first or _OWN_SUBJECT.match(clause):
        return []
    if will_clause(clause) != clause:
        return [_house("present", first, 0, "will", "consequent")]
    if _RATING.match(clause):  # "Verdict: False." is a fact-check's rating, not a pick
        return []
    if not _PAST_VERB.search(clause) and not has_verb(clause):  # "Winner: X", "X second – book it"
        if (price := _PRICE_AFTER.search(priced)) and (p := _price_chance(price["odds"])):
            return [Cue("number", start, start, "", None, p, "pick")]  # "Tip: X, 4/1"
        return [Cue("pick", start, start, "", "likely", codebook_probability("likely"), "pick")]
    return []


_STAKE_TAIL = re.compile(r",\s*\d+(?:\.\d+)?\s*(?:pts?|points?|units?|u)\b.*$", re.I | re.S)
_PRICE_AFTER = re.compile(r"(?:,|\bat\b|@)\s*(?P<odds>\d{1,3}/\d{1,2}|evens|evs)\W*$", re.I)


_NAME_LIST = re.compile(
    r"(?:[A-Z][\w.'’&-]*(?:\s+(?:[A-Z][\w.'’&-]*|de|da|van|von))*(?:\s*\([^()]{1,30}\))?(?:,\s*|\s+and\s+"
    r"|\s*&\s*|$))+"
)


def _role_pick(text: str, seg: Segment) -> list[Cue]:
    """'Relegation: Luton, Burnley', 'Top scorer: Haaland': a pick of who takes a place."""
    role = _ROLE_BEFORE.search(text, 0, seg.start)
    clause = text[seg.start : seg.end].strip(" .!")
    if not role or _PAST_VERB.search(clause) or _OWN_SUBJECT.match(clause):
        return []
    if has_verb(clause) and not _NAME_LIST.fullmatch(clause):  # "Sheffield United" is a name
        return []
    words = " ".join(role["w"].split())
    likely = codebook_probability("likely")
    return [Cue("pick", seg.start, seg.start, words, "likely", likely, "role")]


_INTENDS = re.compile(
    r"^(?:[\w'’.&-]+\s+){1,6}?(?:wants?|hopes?|plans?|intends?|aims?|promises?|pledges?|vows?|wishes"
    r"|is\s+determined|are\s+determined)\b"
    r"|^(?:[\w'’.&+-]+\s+){1,6}?to\s+(?:shut|close|cut|axe|scrap|raise|lower|freeze|open|hire|build|launch"
    r"|sell|buy|invest|recall|end|extend|introduce|publish|hold|merge|relocate|restart|reopen|add|drop"
    r"|offer|pay|charge|expand|phase\s+out)\b",  # "Utility to raise standing charges from April"
    re.I,
)
_IMPERATIVES = frozenset(
    [
        "compare",
        "check",
        "book",
        "call",
        "wash",
        "stay",
        "apply",
        "ask",
        "avoid",
        "remember",
        "make",
        "take",
        "keep",
        "get",
        "watch",
        "read",
        "switch",
        "lock",
        "fix",
        "sign",
        "register",
        "bring",
        "plan",
        "try",
    ]
)


def _dated_present(text: str, seg: Segment) -> tuple[list[Cue], list[str]]:
    """'Rates stay on hold through the summer': a present verb with a time still to come."""
    if not FUTURE_TIME.search(text, seg.start, seg.end):
        return [], []
    start = _reported_start(text, _claim_start(text, seg), seg.end)
    clause = text[start : main_clause_end(text, start, seg.end)]
    first = _FIRST_WORD.match(text, start)
    time = FUTURE_TIME.search(clause)
    if not first or not time or _OWN_SUBJECT.match(clause) or _WH_LEAD.match(clause):
        return [], []
    if _NO_BEFORE.match(clause) and not has_verb(clause):  # "No blockade of Taiwan before 2028."
        return [
            Cue("projection", start, start, "", "will", codebook_probability("will"), "projection")
        ], []
    if _PROJECT.search(clause):  # "economists are pencilling in a cut": the projection carries it
        return [], []
    if _INTENDS.search(clause) or first[0].lower() in _IMPERATIVES:  # "promises to end", "compare"
        return [], [f"'{clause[:40]}' is a wish, a plan or an instruction, not a forecast"]
    rewritten = will_clause(clause)
    copula = _PRESENT_COPULA.search(rewritten) and not _PROGRESSIVE_NOW.search(clause)
    if rewritten == clause or copula or _PAST_VERB.search(_PASSIVE.sub("", clause)):
        return [], []
    diary = _DIARY_PRESENT.search(clause) and not _DEADLINE_TIME.match(time[0])
    if diary or _COUNTERFACTUAL.search(clause) or _HABIT.search(clause):
        return [], [f"'{clause[:40]}' is a schedule or a rule, not a forecast"]
    return [_house("present", first, 0, "will", "consequent")], []


_SAYS_FIRST = re.compile(
    r"[^,;:]{1,60}?\b(?:says|thinks|reckons|insists|believes|predicts|argues|claims|swears)\s+"
    r"(?:that\s+)?",
    re.I,
)


def _reported_start(text: str, start: int, end: int) -> int:
    """'Ms Ortiz thinks the deal collapses by June': the claim is the reported clause."""
    m = _SAYS_FIRST.match(text, start, end)
    return m.end() if m and has_verb(text[m.end() : end]) else start


def _claim_start(text: str, seg: Segment) -> int:
    """Where the clause starts after a lead phrase ('As it stands, X takes Best Picture')."""
    clause = text[seg.start : seg.end]
    lead = _LEAD_PHRASE.match(clause)
    if will_clause(clause) == clause and lead and not has_verb(lead[0]):
        return seg.start + lead.end()
    return seg.start
