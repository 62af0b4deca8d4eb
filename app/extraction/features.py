"""What the learned decision reads about a rule candidate: cue features, and parse features.

Every feature is a name with a value (mostly 1.0). `rule_features` needs only the candidate and
its sentence; `parse_features` reads spaCy's parse of the sentence: whose assertion carries the
modal (the main clause, or a complement reported, hoped for or asked about), first-person
volition, scheduled events, generic rules, counterfactuals, reactions and meta-comments. The
rules-only features approximate the same signals with word patterns, so a pipeline without spaCy
still has them, only coarser.
"""

import re
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING, Protocol

from app.language.horizons import find_horizon

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

Features = dict[str, float]


class CandidateLike(Protocol):
    """The fields of extract.Candidate the features read."""

    @property
    def sentence(self) -> str: ...
    @property
    def start(self) -> int: ...
    @property
    def span(self) -> str: ...
    @property
    def span_start(self) -> int: ...
    @property
    def probability(self) -> float: ...
    @property
    def probability_basis(self) -> str: ...
    @property
    def hedge(self) -> str | None: ...
    @property
    def attributed_to(self) -> str | None: ...
    @property
    def conditional_on(self) -> str | None: ...
    @property
    def resolve_by(self) -> date | None: ...
    @property
    def confidence(self) -> float: ...
    @property
    def reasons(self) -> tuple[str, ...]: ...


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


REPORTING = _set(
    "say tell claim argue believe think expect predict forecast warn insist reckon suggest "
    "estimate suspect assume fear doubt guess bet project see conclude note write add "
    "report signal reckon maintain contend figure feel calculate anticipate foresee"
)
DESIRE = _set("hope wish want pray dream like love prefer need would_like urge")
QUESTIONING = _set(
    "wonder ask know guess question depend decide determine debate unclear uncertain matter "
    "remain see tell"
)
VOLITION = _set(
    "walk update revisit show tell look take share explain keep return cover publish post "
    "bring give write go talk watch try add start break run discuss check follow report "
    "list put make offer send answer review track circle pick examine dig unpack let"
)
EVENT_VERBS = _set(
    "open start begin announce activate close launch hold meet take kick unveil release "
    "publish host convene sit vote debut air stream air broadcast resume end expire deliver "
    "present testify hear rule issue list trade go come visit travel tour speak address "
    "introduce reveal ship arrive reopen kick-off commence run conclude decide"
)
REACTIONS = _set(
    "feel love hate enjoy adore regret relish cheer rejoice mourn miss appreciate savour "
    "savor welcome dread lament cringe grumble groan complain moan swoon wince shrug nod "
    "breathe notice forgive"
)
FEELINGS = _set(
    "furious thrilled disappointed delighted happy angry excited upset sad glad livid "
    "ecstatic relieved nervous worried devastated gutted pleased proud grateful annoyed "
    "frustrated heartbroken elated overjoyed apoplectic incandescent miserable jubilant "
    "amazed shocked stunned bored impressed appalled insufferable horrified outraged baffled "
    "bemused amused irritated unbearable unwatchable anxious unforgettable absorbing "
    "embarrassment counter-productive counterproductive exhausted feral unhinged snubbed "
    "nightmare insufferable smug sweating meltdown spectacle circus"
)
META = _set(
    "prediction forecasting forecaster crystal punditry pundit prognostication scorecard "
    "revisit tally hindsight"
)
GENERIC_NOUNS = _set(
    "winner loser holder applicant entrant bidder ticket member participant whoever anyone "
    "everyone subscriber runner-up finalist qualifier recipient nominee contestant"
)
GENERIC_DETS = _set("each every any all")
RESTRICTING = _set("with without found caught holding using under aged over")
OWNERS = _set("its his her their our my")
FIRST = _set("i we")

# Signs of the look-alikes; a candidate with none of them is a plain forecast.
RED_FLAGS = (
    "first_person_will",
    "you_will",
    "wh_before_cue",
    "date_words",
    "event_verb_date",
    "generic_subject",
    "rule_words",
    "counterfactual",
    "reaction",
    "meta",
    "own_plan",
    "progressive",
    "said_would",
    "announced",
    "desire_verb",
    "advice",
    "past_words",
    "question_mark",
    "resolved_report",
    "pledge",
    "rule_frame",
    "unsaid",
    "advice_would",
    "wish",
    "timetable",
    "house_rule",
    "crowd_reaction",
    "consequence",
    "upkeep",
    "speech_act",
    "own_past_call",
    "terms",
    "rhetorical",
    "no_call",
    "from_date_rule",
    "owned_act",
)
_PARSE_FLAGS = (
    "parse:desired_by_author",
    "parse:questioned",
    "parse:clausal_subject",
    "parse:whether_if",
    "parse:wh_word",
    "parse:first_person_volition",
    "parse:you_subject",
    "parse:let_me",
    "parse:scheduled",
    "parse:generic_subject",
    "parse:generic_noun_subject",
    "parse:would_have",
    "parse:had_inversion",
    "parse:past_verb",
    "parse:reaction",
    "parse:meta_subject",
)
_WORDS = re.compile(r"\b\w[\w'’-]*\b")
_REASON = re.compile(r"^(?P<label>[^']+?)\s+'(?P<words>.*)'$")
_FIRST_WILL = re.compile(
    r"\b(?:I|we)\s*(?:['’]ll|will|shall|am\s+going\s+to|are\s+going\s+to)\b|\blet\s+(?:me|us)\b"
    r"|\b(?:I['’]m|we['’]re)\s+(?:not\s+)?going\s+to\b"
    r"|\blet['’]s\b",
    re.I,
)
_FIRST = re.compile(r"\b(?:I|we|my|our|me|us)\b|\b(?:I|we)['’]", re.I)
_YOU_WILL = re.compile(r"\byou\s*(?:['’]ll|will|are\s+going\s+to)\b", re.I)
_WH = re.compile(r"\b(?:who|what|which|whoever|whatever|whether|how|when|where|why)\b", re.I)
# Dates and clock times, found by pattern (spaCy's NER would cost a third of the parse time).
_WHEN = re.compile(
    r"\b(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|noon|midnight|tomorrow|tonight"
    r"|(?:jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?"
    r"|\d{1,2}(?:st|nd|rd|th)?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*"
    r"|\d{1,2}(?::\d\d)?\s*(?:am|pm|a\.m\.|p\.m\.)|\d{1,2}:\d\d|block\s+[\d,]+"
    r"|this\s+(?:weekend|evening|afternoon|morning))\b",
    re.I,
)
_CLOCK = re.compile(r"\d:\d\d|am|pm|a\.m|p\.m|noon|midnight", re.I)
_TO_WHICH = re.compile(r"\b(?:extent|degree)\s+to\s+which\b", re.I)  # a forecast follows
_CLAUSE_CUT = re.compile(r"[,;:–—()]")
_DATE = re.compile(
    r"\b(?:on|at|from|by|until|before)\s+(?:the\s+)?(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day"
    r"|noon|midnight|\d{1,2}(?::\d\d)?\s*(?:am|pm|a\.m\.|p\.m\.|gmt|utc|bst|et)\b"
    r"|\d{1,2}(?:st|nd|rd|th)?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*"
    r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*\s+\d{1,2}\b|block\s+[\d,]+"
    r"|epoch\s+\d+|height\s+[\d,]+)"
    r"|\b(?:tomorrow|tonight|this\s+(?:weekend|evening|afternoon|morning))\b"
    r"|\b(?:at|until|from|by|before|after)\s+\d{1,2}[:.]\d\d\b"
    r"|\b(?:an?|one|two|three|\w+)\s+(?:hours?|days?|minutes?)\s+later\b",
    re.I,
)
_EVENT_AFTER_MODAL = re.compile(
    r"\b(?:will|['’]ll|shall|is\s+going\s+to|are\s+going\s+to)\s+(?:be\s+)?(?:\w+ly\s+)?"
    r"(?:open|start|begin|announc|activat|clos|launch|hold|held|meet|take\s+place|kick\s+off"
    r"|unveil|releas|publish|host|conven|vote|debut|air|stream|broadcast|resum|end|expir"
    r"|present|testif|issu|list|visit|speak|address|introduc|reveal|ship|arriv|reopen|commenc"
    r"|conclud)\w*",
    re.I,
)
_GENERIC = re.compile(
    r"^\W*(?:the\s+)?(?:each|every|any|whoever|all|winners?|losers?|champions?|holders?"
    r"|applicants?|entrants?|tickets?|members?|participants?|subscribers?|the\s+top\s+\w+)\b"
    r"|\b(?:each|every|any)\s+\w+\s+(?:\w+\s+)?(?:will|must|can|gets?|pays?)\b",
    re.I,
)
_RULE = re.compile(
    r"\b(?:under|according\s+to|by)\s+(?:the\s+)?(?:[\w'’-]+\s+){0,3}(?:rules?|regulations?|law|constitution"
    r"|statute|terms|treaty|contract|scheme|charter|format|regime|bylaws)\b|\bautomatically\b"
    r"|\bas\s+legislated\b|\bby\s+law\b|\bthe\s+rules\s+(?:say|state)\b"
    r"|\bwill\s+be\s+(?:required|obliged|allowed|entitled|eligible|permitted)\s+to\b"
    r"|\bwill\s+(?:apply|take\s+effect|come\s+into\s+force)\s+(?:from|to)\b"
    r"|\bwill\s+be\s+(?:exempt|fined|liable|subject\s+to|capped|taxed)\b|\bterm\s+sheet\b"
    r"|\bwould\s+be\s+(?:only\s+)?the\s+(?:first|second|third|fourth|fifth|sixth|\w+th)\b"
    r"|\bit\s+would\s+take\s+(?:a|an|only|just|at\s+least)\b|\bhead-to-head\s+record\b"
    r"|\b(?:as\s+it\s+(?:is|does)\s+)?every\s+(?:quarter|year|month|week|day|season|weekday)\b",
    re.I,
)
_COUNTERFACTUAL = re.compile(
    r"\bwould\s+(?:\w+\s+)?have\s+\w+(?:ed|en|wn|ne|t)\b|\bif\s+only\b(?!\s+because)|\bif\s+[^,]*\bwould\s+only\b"
    r"|\bif\s+(?:\w+\s+){1,3}would\b|^\W*had\s+\w+|\bwere\s+(?:it|they|he|she)\s+to\b"
    r"|\bcould\s+(?:easily\s+)?(?:be\s+)?(?:fixed|solved|avoided)\b"
    r"|\bif\s+[^;,]*?\b(?:had|['’]d)\s+\w+|\b(?:if|where)\s+[^,;]*?\bwere\b(?!\s+to\b)",
    re.I,
)
_REACTION = re.compile(
    r"\b(?:will|would|['’]ll|(?:is|are|['’]s|['’]re)\s+going\s+to)(?:,\s+[^,]{1,30},)?\s+(?:\w+\s+)?"
    r"(?:be\s+(?:[\w-]+\s+){0,3}?)?(?:"
    + "|".join(sorted(FEELINGS))
    + r"|feel|love|hate|enjoy|adore|regret|relish|cheer|rejoice|welcome|dread|miss|swoon|groan"
    r"|grumble|moan|wince|shrug|nod|breathe|notice|understand|wonder|forgive|appreciate|boo|drag"
    r"|age\s+badly|run\s+long|roll\s+(?:my|our|their|his|her)\s+eyes|want\s+to\s+see|be\s+remembered"
    r"|be\s+(?:\w+\s+)?(?:better|worse|more\s+fun)\s+to\s+watch|be\s+ugly|riot|melt(?:\s+down)?"
    r"|explode|sweat|freak\s+out|go\s+(?:wild|crazy|nuts|mad|ballistic)|come\s+apart"
    r"|lose\s+(?:it|their\s+minds?|their\s+heads?|the\s+plot)|earn\s+(?:their|its|his|her)\s+keep)\b"
    r"|\bwill\s+find\s+(?:[\w'’-]+\s+){1,5}?\w+(?:ing|ed|ble|ful|ous)\b"
    r"|\bwill\s+(?:think|say)\s+(?:I|we|you)['’ ]"
    r"|\bwill\s+greet\b|\bwill\s+be\s+up\s+(?:early|late|all\s+night)\b|\bwould\s+be\s+read\s+(?:in|by|as)\b"
    r"|\bwill\s+make\s+(?:it|this|that)\s+an?\s+(?:\w+\s+)?(?:evening|night|day|occasion|afternoon)\b"
    r"|\b(?:in\s+tears|break\s+\w+\s+hearts?|a\s+long\s+night|a\s+happy\s+place|a\s+hangover"
    r"|sighs?\s+of\s+relief|a\s+write-off|call\s+(?:that|it|this)\s+an?)\b",
    re.I,
)
_META = re.compile(
    r"\b(?:predictions?|forecasting|forecasters?|prognostic\w*|crystal\s+ball"
    r"|mug['’]s\s+game|revisit|my\s+calls|these\s+calls|scorecard|track\s+record|punditry"
    r"|forward-looking|differ\s+materially|without\s+notice|risk\s+factors|past\s+performance"
    r"|not\s+a\s+(?:recommendation|guarantee|reliable\s+(?:guide|indicator))|fact[- ]check\w*"
    r"|^\W*verdict\s*:)",
    re.I,
)
_REPORT = re.compile(
    r"\b(?:said|says|say|told|tells|argues?|argued|believes?|believed|thinks?|thought|expects?"
    r"|predicts?|predicted|warns?|warned|insists?|claims?|claimed|reckons?|according\s+to)\b",
    re.I,
)
_OWN_PLAN = re.compile(
    r"\b(?:he|she|they|I|we)\s+(?:says?|said|tells?|told\s+\w+)\s+(?:that\s+)?(?:he|she|they|I|we)"
    r"\s+(?:will|would|won['’]t|wouldn['’]t|['’]ll|is\s+going\s+to|are\s+going\s+to)\b"
    r"|^\W*(?:he|she|they|I|we|[A-Z]\w+)\b[^,;]*?\bwill\s+(?:not\s+)?\w+\b.*,\s*(?:he|she|they)"
    r"\s+(?:says?|said)\b",
    re.I,
)
_ANNOUNCED = re.compile(
    r"\b(?:has|have|had)?\s*(?:announced|confirmed|confirms|announces|unveiled|unveils)\s+(?:that\s+)?",
    re.I,
)
_SAID_WOULD = re.compile(
    r"\b(?:said|promised|wrote|predicted|claimed|thought|argued|insisted|told\s+\w+"
    r"|had\s+(?:hoped|expected|believed|assumed|feared))\b[^.;,]*\b(?:would|wouldn['’]t)\b",
    re.I,
)
# "said the cap would drop": a reported outcome of something else, not the speaker's own act.
_SAID_OTHER_WOULD = re.compile(
    r"\b(?:said|says|told\s+\w+|warned|estimated|forecast|predicted)\s+(?:that\s+)?(?:the|a|an|its|their"
    r"|this|that|prices|rates|sales|demand|growth|inflation|unemployment)\b[^.;]{0,80}?\b(?:would|will"
    r"|could|might)\s+(?:not\s+)?(?:\w+ly\s+)?(?:fall|rise|drop|climb|reach|hit|top|exceed|run|lead|make"
    r"|cause|cost|push|slow|grow|shrink|fail|collapse|survive|close|peak|stay|remain|come|be)\b",
    re.I,
)
_PROGRESSIVE = re.compile(r"\b(?:will|['’]ll)\s+(?:not\s+)?be\s+\w+ing\b", re.I)
# The verb a modal governs: an outcome nobody controls ("will fall", "won't survive") against
# an act someone decides ("will pay a dividend", "will submit", "will update").
OUTCOME_VERBS = _set(
    "fall rise win lose collapse fail pass survive reach hit slip drop climb slide recover stall "
    "peak top beat miss break end sink soar surge tumble crash rebound shrink grow widen narrow "
    "ease cool slow accelerate default struggle flop succeed happen prevail emerge falter "
    "overtake outperform underperform exceed decline increase decrease double halve vanish "
    "fade fizzle crumble unravel backfire trigger spark push drive force topple"
)
AGENTIVE_VERBS = _set(
    "pay submit publish announce hold open review update continue keep let require allow "
    "present host release issue file send meet visit travel attend sign deliver introduce "
    "launch unveil consider discuss debate vote reveal confirm decide outline detail "
    "hand provide offer apply study include ship"
)
_GOVERNED = re.compile(
    r"\b(?:will|['’]ll|won['’]t|would|wouldn['’]t|could|may|might|going\s+to|cannot|can['’]t)\s+"
    r"(?:not\s+|never\s+)?(?:\w+ly\s+)?(?P<v>[a-z]+)\b",
    re.I,
)
# A forecast already settled ("I wrote that it would fizzle, and it did").
_RESOLVED = re.compile(
    r"\b(?:and|but)\s+(?:it|they|he|she|that|so\s+it)\s+(?:did|didn['’]t|was|wasn['’]t|were|weren['’]t"
    r"|has|hasn['’]t)\b|\blast\s+(?:year|month|week|summer|spring|autumn|winter|july|june)\s+(?:you|I|we"
    r"|he|she|they)\s+(?:said|wrote|predicted|called)\b|\b(?:weeks?|months?|years?)\s+ago\s+(?:I|we|you"
    r"|he|she|they)\s+(?:said|wrote|predicted|called)\b|\b(?:take|taking|took)\s+the\s+(?:win|W)\b"
    r"|[,;]\s+(?:it|they)\s+(?:did\s+not|didn['’]t|did)\b",
    re.I,
)
# Someone's own commitment, reported: "Merz has promised he will not govern with the AfD".
_PLEDGE = re.compile(
    r"\b(?:promised|promises|pledged|pledges|vowed|vows|insists?|insisted|has\s+said|have\s+said"
    r"|committed|confirmed|announced|says|said|made\s+clear|(?:has\s+|have\s+)?told\s+[\w-]+)"
    r"\s+(?:that\s+)?['‘\"]?(?:he|she|it|they|we|I|(?:the|his|her|its|their|our)\s+(?:[\w-]+\s+){0,3}?"
    r"(?:group|company|bank|government|board|firm|party|committee|administration|ministry|line|plant"
    r"|unit|factory|mine|refinery|fab|production|output|chain|airline|carrier|stores?|troops|forces"
    r"|fighters|side|team|players|men|shire|council|department|agency|authority|club|service|office"
    r"|region|state|city|county|union|members))"
    r"\s+[\"“‘']?(?:will|would|won['’]t|wouldn['’]t|['’]ll)\s+(?:not\s+|never\s+|only\s+)?"
    rf"(?!(?:{'|'.join(sorted(OUTCOME_VERBS))})\b)(?!be\b)[a-z]+\b",
    re.I,
)
_RULE_FRAME = re.compile(
    r"\bunder\s+(?:the\s+|its\s+|their\s+|agency\s+|existing\s+|current\s+|new\s+)?(?:[\w-]+\s+)?"
    r"(?:bill|plan|policy|deal|agreement|mandate|proposal|draft|rules?|law|scheme|framework|programme"
    r"|program|contract|licen[cs]e|terms)\b|\bas\s+drafted\b|\bby\s+statute\b|\bthe\s+draft\b"
    r"|\b(?:format|rule|ballot|system|law|bill)\s+means\b"
    r"|\bwill\s+(?:let|allow|require|oblige|entitle|permit|have\s+\d+\s+(?:to\s+)?\d*\s*days)\b",
    re.I,
)
_UNSAID = re.compile(
    r"\b(?:nobody|no\s+one|none\s+of\s+them)\b[^.;:]*\bwill\s+(?:say|admit|tell|concede)\b"
    r"|\bwill\s+(?:say|admit)\s+(?:it\s+|this\s+|so\s+)?(?:out\s+loud|on\s+the\s+record|publicly)\b",
    re.I,
)
_ADVICE_WOULD = re.compile(
    r"\bwould\s+(?:do\s+well|be\s+(?:mad|wise|foolish|crazy|smart|well\s+advised)\s+(?:not\s+)?to)\b",
    re.I,
)
_META_NOUN = re.compile(
    r"\b(?:our|my|their|these|those|such|the|house|price|\w+)\s+forecasts\s+(?:have|are|were"
    r"|beyond|for|of)\b|\b(?:our|my|these|those)\s+(?:\w+\s+)?(?:forecasts|predictions|calls)\b",
    re.I,
)
# A wish or a prayer, not an assertion: "God willing, the rains will come".
_WISH = re.compile(
    r"\b(?:god\s+willing|please\s+god|by\s+god['’]s\s+grace|insh?allah|insha['’]?allah"
    r"|fingers\s+crossed|touch\s+wood|knock\s+on\s+wood|let(?:['’]s|\s+us)\s+hope|hopefully"
    r"|pray(?:ing)?\s+(?:that|for)|if\s+the\s+gods)\b",
    re.I,
)
# A timetable cited as the source: the date is a plan, not a guess.
_TIMETABLE = re.compile(
    r"\b(?:schedule|timetable|calendar|agenda|itinerary|datesheet|order\s+paper)\b"
    r"|\bas\s+(?:[\w'’-]+\s+){0,4}(?:confirmed|announced|agreed|scheduled|planned|decided)\b"
    r"|\bas\s+(?:the|its|their)\s+(?:[\w-]+\s+)?(?:rules?|constitution|law|statute|treaty|charter"
    r"|regulations?|mandate)\s+(?:requires?|demands?|stipulates?|dictates?|says?|provides?)\b"
    r"|\baccording\s+to\s+(?:a|the|its|their)\s+(?:published\s+|official\s+|draft\s+)?"
    r"(?:plan|notice|programme|program|roadmap)\b",
    re.I,
)
# Page rules for readers and candidates: "Mod: posts with links will be removed".
_HOUSE_RULE = re.compile(
    r"^\W*(?:mod(?:erator)?(?:\s+note)?|reminder|rules?|note|housekeeping|admin)\s*[:—–-]"
    r"|\bwill\s+be\s+(?:deleted|removed|banned|locked|disqualified|admitted|refunded|cancelled"
    r"|canceled|suspended|barred|penali[sz]ed|valid|charged)\b|\bwill\s+range\s+from\b"
    r"|\bwill\s+have\s+(?:\w+\s+){0,2}(?:days|weeks|months|minutes|hours)\s+to\b"
    r"|\bwill\s+(?:operate|run|be\s+open)\s+(?:24|round\s+the\s+clock|daily|weekdays)\b"
    r"|\bno\s+(?:candidate|entry|one|player|student)\s+will\s+be\b",
    re.I,
)
# A crowd's mood, which nobody can check: "people are going to riot", "Twitter will explode".
_CROWD = re.compile(
    r"\b(?:people|fans|everyone|everybody|the\s+internet|twitter|social\s+media|the\s+discord|chat"
    r"|the\s+timeline|the\s+comments|the\s+\w+\s+(?:people|crowd|fans|faithful)|the\s+building"
    r"|the\s+(?:crowd|stadium|arena|room))\s+(?:will|['’]ll|(?:is|are|['’]s|['’]re)\s+going\s+to"
    r"|(?:is|are)\s+gonna)\b",
    re.I,
)
# What follows by arithmetic or definition: "approval would make 4.6 million people eligible".
_CONSEQUENCE = re.compile(
    r"\bwould\s+(?:only\s+)?(?:require|need|mean|entail|imply|double|triple|halve"
    r"|make\s+(?:[\w'’.-]+\s+){0,5}?(?:eligible|liable|the\s+(?:first|lowest|highest|biggest|largest"
    r"|youngest|oldest|worst|best))|(?:add|cost|save|raise|cut)\s+(?:about|around|roughly|some|up\s+to"
    r"|an?\s+(?:extra|further)|[\d$€£])|take\s+(?:[\w'’-]+\s+){1,4}?to\s+(?:its|their|the|a)\s+"
    r"(?:lowest|highest|\w+est)|be\s+the\s+(?:\w+est|first|last|most|least)\b"
    r"|make\s+(?:it|them|him|her)\s+the\s+(?:most|least|\w+est)\b|(?:give|leave|cost)\s+(?:about\s+|around\s+"
    r"|roughly\s+|some\s+|up\s+to\s+)?(?:[\d$€£]|the\s+average\b|each\b|every\b|an?\s+(?:[\w-]+\s+){0,2}?"
    r"(?:gap|hole|shortfall|deficit|bill)\b)|wipe\s+out|take\s+(?:[\w'’-]+\s+){1,4}?(?:below|above|under|over"
    r"|past|beyond)\s+[\d$€£]|hit\s+(?:the|its|their)\s+(?:[\w'’-]+\s+){0,4}?target\b)",
    re.I,
)
_MONTHS = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december"
    r"|next\s+(?:year|month|week|term|season)|the\s+(?:new\s+)?(?:year|term|season))"
)
# A rule that starts on a date: "From April, owners of second homes will pay double".
_FROM_DATE = re.compile(
    rf"^\W*(?:from|starting|beginning|as\s+of|with\s+effect\s+from)\s+(?:the\s+)?(?:\d{{1,2}}\s+)?{_MONTHS}\b"
    rf"|\bwill\s+(?:[\w'’-]+\s+){{1,10}}?from\s+(?:the\s+)?(?:\d{{1,2}}\s+)?{_MONTHS}\b",
    re.I,
)
# An organisation's own word about itself: "the company said", "the studio says".
_INSTITUTION_SAYS = re.compile(
    r"\b(?:the|its)\s+(?:company|group|firm|studio|developer|devs|council|department|government|ministry"
    r"|trust|union|club|league|agency|operator|regulator|board|airline|carrier|retailer|bank|school"
    r"|university|hospital|manufacturer|maker|publisher|broadcaster|network)\s+(?:has\s+)?(?:said|says"
    r"|confirmed|told|announced|insists|added)\b|\b(?:devs|developers|management)\s+(?:said|say)\b"
    r"|,\s+(?:the\s+)?(?:company|group|firm|studio|statement|department|ministry|council)\s+said\b",
    re.I,
)


# An even chance with no side taken: "too close to call", "I'd call it a coin flip".
_EVEN_CALL = re.compile(
    r"\btoo\s+close\s+to\s+call\b|\b(?:a\s+)?(?:coin[\s-]+(?:flip|toss)|toss-?up|fifty-fifty|50-50|dead\s+heat)\b",
    re.I,
)
_LEAN = re.compile(
    r"\b(?:lean(?:s|ing)?|edge[sd]?|favou?r(?:ed|ite)?|slight(?:ly)?|ahead|but\s+I(?:'d|\s+would)?\s+(?:take|pick|go))\b",
    re.I,
)


_EVEN_OF = re.compile(
    r"\s*,?\s*(?:whether|if|that|for|on\s+whether|over\s+whether|as\s+to)\b", re.I
)


def no_call(sentence: str) -> bool:
    """Whether the sentence calls the contest even without taking a side."""
    m = _EVEN_CALL.search(sentence)
    if m is None or _LEAN.search(sentence):
        return False
    return not _EVEN_OF.match(sentence, m.end())  # "a coin toss whether the bill passes" names one


# A scheme's terms stated with "will": prices, payments, fines, eligibility, sentences.
_TERMS = re.compile(
    r"\bwill\s+(?:cost|pay)\s+(?:[\w'’-]+\s+){0,3}?[$€£]?\d[\d,.]*\s*(?:[a-z]+\s+)?(?:a|per|each)\s+"
    r"(?:month|year|week|day|night|household|head|person|ticket|seat)\b"
    r"|\bwill\s+(?:not\s+)?be\s+(?:paid|offered|refunded|charged|eligible|entitled|required|allowed|able\s+to"
    r"|given|issued|sent|contacted|directed|notified|told|informed|invited|referred|affected|graded|used"
    r"|published|carried\s+out|completed)\b|\bwill\s+face\s+(?:fines?|penalties|a\s+(?:fine|penalty|charge)|up\s+to)\b"
    r"|\bwill\s+(?:serve|spend)\s+(?:at\s+least\s+)?(?:half|two-thirds|a\s+third|\d)"
    r"|\bwill\s+not\s+(?:see|pay|be\s+charged)\s+any\b",
    re.I,
)
# Rhetoric no one could check: "History will not be kind", "Voters will remember".
_RHETORICAL = re.compile(
    r"\b(?:history|voters|the\s+public|posterity|the\s+electorate|readers|taxpayers|the\s+country)\s+"
    r"will\s+(?:not\s+)?(?:remember|forget|forgive|judge|be\s+(?:kind|unkind|harsh)|punish|notice)\b"
    r"|\bwill\s+not\s+(?:save|wait\s+for|matter)\b|\b(?:none|nothing|all)\s+of\s+(?:it|this|that)\s+will"
    r"\s+matter\b|\bor\s+(?:the|they|it)\s+[\w\s]{0,20}?will\s+(?:fix|sort|deal\s+with)\s+(?:him|her|them|it)\b",
    re.I,
)
# The page's own upkeep: "This post will be updated", "the model will be re-run weekly".
_UPKEEP = re.compile(
    r"\bwill\s+be\s+(?:updated|revised|refreshed|re-?run|re-?estimated|recalculated|re-?issued"
    r"|corrected|amended)\b|\b(?:next|latest|final|full)\s+(?:update|outlook|survey|run|release"
    r"|report|estimate)\b[^.;]*\bwill\s+be\s+(?:issued|published|released|posted|out)\b",
    re.I,
)
# What someone will say, not what will happen: "the critics will call this defeatism".
_SPEECH_ACT = re.compile(
    r"\b(?:will|would|['’]ll|(?:is|are)\s+going\s+to)\s+(?:[\w,]+\s+){0,3}?(?:say|call|argue|tell\s+you"
    r"|accuse|point\s+to|claim|insist|complain|warn|object|protest|counter|reply|respond|dismiss|denounce"
    r"|brand|describe|hail|blame|cry|howl|scream|shout|moan|grumble|spin|frame|paint|portray)\b",
    re.I,
)
# The author's own past call ("In 2019 I wrote that X would …"): settled or not, not a forecast.
_OWN_PAST_CALL = re.compile(
    r"\b(?:in|back\s+in)\s+(?:19|20)\d\d,?\s+I\s+(?:\w+\s+)?(?:predicted|wrote|warned|argued|said|forecast"
    r"|called|thought|insisted|suggested)\b|\bI\s+(?:have\s+|had\s+)?(?:predicted|wrote|warned|argued|said"
    r"|written|insisted)\s+(?:\w+\s+){0,2}(?:in\s+(?:this|these|the)\s+(?:column|pages|newspaper|space|blog"
    r"|newsletter)|in\s+(?:19|20)\d\d)\b"
    r"|\bI\s+(?:\w+\s+)?(?:predicted|said|told\s+\w+(?:\s+\w+)?|wrote|gave|called|forecast|warned)\b[^.;]*"
    r"\b(?:ago|last\s+(?:week|month|year|season|spring|summer|autumn|winter)|(?:spring|summer|autumn|winter)"
    r"\s+of\s+(?:19|20)\d\d)\b|\b(?:last|this)\s+(?:week|month|year)['’]s\s+(?:issue|column|post|newsletter)\b"
    r"|\bI\s+(?:said|predicted|wrote|called)\b[^.;]*\bwould\b[^.;]*;\s+(?:and\s+)?(?:he|she|it|they|we)\s+"
    r"(?:did|lost|won|held|fell|rose|came|went|finished)\b",
    re.I,
)
_DESIRE = re.compile(r"\b(?:I|we)\s+(?:\w+\s+)?(?:hope|want|wish|pray)\b", re.I)
_ADVICE = re.compile(r"\b(?:should|must|ought\s+to|needs?\s+to|have\s+to|has\s+to)\b", re.I)
_INVERTED_IF = re.compile(r"^\W*(?:should|were|had)\s+\w+", re.I)  # "Should the rains fail, ..."
_PAST = re.compile(r"\b(?:was|were|had|did|would\s+have|could\s+have|might\s+have)\b", re.I)


def cue_of(candidate: CandidateLike) -> tuple[str, str]:
    """The cue label and its words, from the first reason ("future modal 'will'")."""
    m = _REASON.match(candidate.reasons[0]) if candidate.reasons else None
    return (m["label"], m["words"]) if m else ("unknown", "")


def rule_features(candidate: CandidateLike, siblings: int) -> Features:
    """Features from the rules' candidate and its sentence's words; `siblings` counts the
    candidates of the same sentence."""
    label, words = cue_of(candidate)
    sentence, span = candidate.sentence, candidate.span
    before = sentence[: max(sentence.find(words), 0)] if words else ""
    clause_before = _CLAUSE_CUT.split(before)[-1]
    at = len(before)
    own_clause = clause_before + _CLAUSE_CUT.split(sentence[at:], maxsplit=1)[0]
    n_words = len(_WORDS.findall(sentence))
    reasons = " ".join(candidate.reasons)
    f: Features = {
        "bias:rules": 1.0,
        f"cue={label}": 1.0,
        f"cue={label}:{' '.join(words.lower().split()[:3])}": 1.0,
        "stated": float(candidate.probability_basis == "stated"),
        "hedge": float(candidate.hedge is not None),
        "p": candidate.probability,
        "p_low": float(candidate.probability < 0.5),
        "flipped": float("claim negated" in reasons),
        "attributed": float(candidate.attributed_to is not None),
        "conditional": float(candidate.conditional_on is not None),
        "deadline": float(candidate.resolve_by is not None),
        "time_phrase_unusable": float("no usable time horizon" in reasons),
        "negation": float("negation '" in reasons),
        "set_aside": float("set aside:" in reasons),
        "confidence": candidate.confidence,
        "first_person": float(bool(_FIRST.search(sentence))),
        "first_person_will": float(bool(_FIRST_WILL.search(sentence))),
        "you_will": float(bool(_YOU_WILL.search(sentence))),
        "wh_before_cue": float(bool(_WH.search(_TO_WHICH.sub("", clause_before)))),
        "date_words": float(bool(_DATE.search(span))),
        "event_verb": float(bool(_EVENT_AFTER_MODAL.search(span))),
        "generic_subject": float(bool(_GENERIC.search(span))),
        "counterfactual": float(bool(_COUNTERFACTUAL.search(sentence))),
        "rule_words": float(bool(_RULE.search(sentence))),
        "reaction": float(bool(_REACTION.search(span))),
        "meta": float(bool(_META.search(sentence) or _META_NOUN.search(sentence))),
        "own_plan": float(bool(_OWN_PLAN.search(sentence))),
        "progressive": float(bool(_PROGRESSIVE.search(span))),
        "said_would": float(bool(_SAID_WOULD.search(sentence))),
        "said_other_would": float(bool(_SAID_OTHER_WOULD.search(sentence))),
        "announced": float(bool(_ANNOUNCED.search(before))),
        "report_verb": float(bool(_REPORT.search(sentence))),
        "desire_verb": float(bool(_DESIRE.search(before))),
        "advice": float(bool(_ADVICE.search(span)) and not _INVERTED_IF.match(span)),
        "past_words": float(bool(_PAST.search(own_clause))),
        "outcome_verb": float(_governed(span) in OUTCOME_VERBS),
        "agentive_verb": float(_governed(span) in AGENTIVE_VERBS),
        "resolved_report": float(bool(_RESOLVED.search(sentence))),
        "pledge": float(bool(_PLEDGE.search(sentence))),
        "rule_frame": float(bool(_RULE_FRAME.search(sentence))),
        "unsaid": float(bool(_UNSAID.search(sentence))),
        "advice_would": float(bool(_ADVICE_WOULD.search(sentence))),
        "wish": float(bool(_WISH.search(sentence))),
        "timetable": float(bool(_TIMETABLE.search(sentence))),
        "house_rule": float(bool(_HOUSE_RULE.search(sentence))),
        "crowd_reaction": float(bool(_CROWD.search(sentence))),
        "consequence": float(bool(_CONSEQUENCE.search(sentence))),
        "upkeep": float(bool(_UPKEEP.search(sentence))),
        "speech_act": float(bool(_SPEECH_ACT.search(span))),
        "own_past_call": float(bool(_OWN_PAST_CALL.search(sentence))),
        "terms": float(bool(_TERMS.search(span))),
        "rhetorical": float(bool(_RHETORICAL.search(sentence))),
        "no_call": float(no_call(sentence)),
        "from_date_rule": float(bool(_FROM_DATE.search(sentence))),
        "institution_says": float(bool(_INSTITUTION_SAYS.search(sentence))),
        "quoted": float(any(q in sentence for q in '"“”')),
        "question_mark": float("?" in sentence),
    }
    if verb := _governed_words(span):  # what will happen: "be signed" is a diary, "fall" an outcome
        f[f"verb={verb}"] = 1.0
    f["event_verb_date"] = f["event_verb"] * f["date_words"]
    f["owned_act"] = f["institution_says"] * f["agentive_verb"]  # "the studio says it will release"
    f["several"] = float(siblings > 1)
    f["long"] = float(n_words > 35)
    f["no_red_flag"] = float(not any(f[name] for name in RED_FLAGS))
    return f


def _governed(span: str) -> str:
    """The dictionary form of the verb after the span's first modal ('will fall' → 'fall')."""
    m = _GOVERNED.search(span)
    if m is None:
        return ""
    verb = m["v"].lower()
    for suffix in ("ing", "es", "s", "ed"):
        if verb.endswith(suffix) and verb[: -len(suffix)] in OUTCOME_VERBS | AGENTIVE_VERBS:
            return verb[: -len(suffix)]
    return verb


def _governed_words(span: str) -> str:
    """The governed verb, with the participle after a 'be' ('will be signed' → 'be signed')."""
    verb = _governed(span)
    if (
        verb == "be"
        and (m := _GOVERNED.search(span))
        and (after := _NEXT_WORD.match(span, m.end()))
    ):
        return f"be {after[1].lower()}"
    return verb


_NEXT_WORD = re.compile(r"\s+(?:\w+ly\s+)?([a-z]+)\b")


def add_sentence_features(rows: list[Features], sentences: list[int]) -> None:
    """What the other pieces of the same sentence show: a look-alike's sign in any of them,
    and whether this is the sentence's first piece (the one its label is about)."""
    flags = (*RED_FLAGS, *_PARSE_FLAGS)
    seen: dict[int, set[str]] = {}
    for row, at in zip(rows, sentences, strict=True):
        seen.setdefault(at, set()).update(name for name in flags if row.get(name))
    first: set[int] = set()
    for row, at in zip(rows, sentences, strict=True):
        if at not in first:
            first.add(at)
            row["first_piece"] = 1.0
        for name in seen[at]:
            row[f"in_sentence:{name}"] = 1.0
        if seen[at]:
            row["in_sentence:any_flag"] = 1.0


def parse_features(candidate: CandidateLike, doc: "Doc") -> Features:
    """Features from the dependency parse of the candidate's sentence."""
    anchor = _anchor_token(candidate, doc)
    if anchor is None:
        return {"parse:no_anchor": 1.0}
    verb = _clause_head(anchor)
    f: Features = {"parse:ok": 1.0}
    f.update(_governor_features(verb))
    f.update(_subject_features(verb, doc))
    f.update(_event_features(verb, doc))
    f.update(_mood_features(verb, doc))
    f["parse:no_red_flag"] = float(not any(name in f for name in _PARSE_FLAGS))
    return f


def _anchor_token(candidate: CandidateLike, doc: "Doc") -> "Token | None":
    """The token where the cue's words begin, looked for from the quoted span on."""
    _, words = cue_of(candidate)
    sentence = candidate.sentence
    at = sentence.find(words, candidate.span_start - candidate.start) if words else -1
    if at < 0 and words:
        at = sentence.find(words)
    if at < 0:
        at = candidate.span_start - candidate.start
    for token in doc:
        if token.idx <= at < token.idx + max(len(token.text), 1) or token.idx >= at:
            return token
    return None


def _forms(token: "Token") -> set[str]:
    """The token's lemma and plausible stems: the small model's lemmas slip ('hopes' → 'hop')."""
    word = token.lower_
    forms = {token.lemma_.lower(), word}
    for suffix, add in (("s", ""), ("es", ""), ("d", ""), ("ed", ""), ("ing", ""), ("ing", "e")):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            forms.add(word[: -len(suffix)] + add)
    return forms


def _in(token: "Token", words: frozenset[str]) -> bool:
    return not _forms(token).isdisjoint(words)


def _clause_head(token: "Token") -> "Token":
    """The verb whose clause the cue belongs to: an auxiliary's or adverb's head."""
    while token.dep_ in ("aux", "auxpass", "neg", "advmod", "prt", "det", "amod") and (
        token.head is not token
    ):
        token = token.head
    return token


def _governor_features(verb: "Token") -> Features:
    """Whose assertion the clause is: main, reported by someone, hoped for, asked about."""
    f: Features = {}
    if verb.dep_ == "ROOT":
        f["parse:main_clause"] = 1.0
    f[f"parse:dep={verb.dep_}"] = 1.0
    if verb.dep_ in ("csubj", "csubjpass"):
        f["parse:clausal_subject"] = 1.0
    if verb.dep_ == "relcl":
        f["parse:relative_clause"] = 1.0
    if any(c.dep_ == "mark" and c.lower_ in ("whether", "if") for c in verb.children):
        f["parse:whether_if"] = 1.0
    if any(c.tag_ in ("WP", "WRB", "WDT") for c in verb.children):
        f["parse:wh_word"] = 1.0
    child, depth = verb, 0
    while child.dep_ != "ROOT" and depth < 6:
        head = child.head
        complement = child.dep_ in ("ccomp", "xcomp", "csubj", "acomp", "dobj", "attr", "pcomp")
        if complement and _in(head, REPORTING):
            who = "author" if _subject_is_first(head) else "other"
            f[f"parse:reported_by_{who}"] = 1.0
            if who == "other" and _own_subject(verb):
                f["parse:reported_own_action"] = 1.0  # "the ministry said its troops will hold"
        if complement and _in(head, DESIRE):  # "I hope" is a wish; "the chancellor hopes", a report
            f["parse:desired_by_author" if _subject_is_first(head) else "parse:desired"] = 1.0
        if complement and _in(head, QUESTIONING) and _asks(child):
            f["parse:questioned"] = 1.0
        if child.dep_ == "advcl" and any(c.lower_ in ("if", "unless") for c in child.children):
            f["parse:in_condition"] = 1.0
        child, depth = head, depth + 1
    return f


def _own_subject(verb: "Token") -> bool:
    """Whether a reported clause's subject is the speaker's own: 'its troops', 'they', 'we'."""
    for s in verb.children:
        if s.dep_ in ("nsubj", "nsubjpass"):
            owned = any(c.dep_ == "poss" and c.lower_ in OWNERS for c in s.children)
            return owned or s.lower_ in ("we", "they", "i")
    return False


def _asks(clause: "Token") -> bool:
    """Whether a complement clause is an indirect question: whether / if / a wh-word."""
    return any(
        c.lower_ in ("whether", "if") or c.tag_ in ("WP", "WRB", "WDT") for c in clause.children
    )


def _subject_is_first(verb: "Token") -> bool:
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    return any(s.lower_ in FIRST for s in subjects) or (not subjects and verb.tag_ == "VB")


def _subject_features(verb: "Token", doc: "Doc") -> Features:
    """First-person volition, 'you will', generic subjects."""
    f: Features = {}
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass", "expl")]
    for s in subjects:
        word = s.lower_
        if word in FIRST:
            f["parse:first_person_subject"] = 1.0
            if _in(verb, VOLITION):
                f["parse:first_person_volition"] = 1.0
        if word == "you":
            f["parse:you_subject"] = 1.0
        if s.dep_ == "expl":
            f["parse:there_is"] = 1.0
        dets = {c.lower_ for c in s.children if c.dep_ in ("det", "predet")}
        if dets & GENERIC_DETS or word in ("whoever", "anyone", "everyone"):
            f["parse:generic_subject"] = 1.0
        elif s.lemma_.lower() in GENERIC_NOUNS and ("the" in dets or s.tag_ == "NNS"):
            f["parse:generic_noun_subject"] = 1.0
        if s.pos_ == "PROPN":
            f["parse:proper_subject"] = 1.0
        owned = any(c.dep_ in ("poss", "nummod") for c in s.children)
        if s.tag_ == "NNS" and not dets and not owned:
            f["parse:bare_plural_subject"] = 1.0
            if any(c.dep_ in ("acl", "relcl") or c.lower_ in RESTRICTING for c in s.children):
                f["parse:restricted_plural_subject"] = 1.0  # "posts with links", "candidates found"
    if any(t.lemma_.lower() == "let" and t.nbor(1).lower_ in ("me", "us", "'s") for t in doc[:-1]):
        f["parse:let_me"] = 1.0
    return f


def _event_features(verb: "Token", doc: "Doc") -> Features:
    """Scheduled events: a date or a clock time inside the clause of an event verb."""
    f: Features = {}
    times = [m.span() for m in _WHEN.finditer(doc.text)]
    inside = [t for t in verb.subtree if any(a <= t.idx < b for a, b in times)]
    if inside:
        f["parse:date_in_clause"] = 1.0
        if any(_CLOCK.search(t.text) for t in inside):
            f["parse:time_in_clause"] = 1.0
    if _in(verb, EVENT_VERBS):
        f["parse:event_verb"] = 1.0
        if inside:
            f["parse:scheduled"] = 1.0
    return f


def _mood_features(verb: "Token", doc: "Doc") -> Features:
    """Counterfactuals, reactions, meta-comments, tense, negation, passives."""
    f: Features = {}
    aux = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    aux_words = [a.lower_ for a in aux]
    if "would" in aux_words and "have" in aux_words and verb.tag_ == "VBN":
        f["parse:would_have"] = 1.0
    if doc[0].lower_ == "had" and doc[0].dep_ == "aux":
        f["parse:had_inversion"] = 1.0
    future = {"will", "'ll", "shall", "wo", "would", "could", "might", "may"} & set(aux_words)
    infinitive = any(c.dep_ == "xcomp" for c in verb.children)
    if verb.tag_ == "VBD" or (verb.tag_ == "VBN" and aux and not future and not infinitive):
        f["parse:past_verb"] = 1.0
    if verb.tag_ in ("VBZ", "VBP") and not aux:
        f["parse:present_verb"] = 1.0
    if any(c.dep_ == "neg" for c in verb.children):
        f["parse:negated"] = 1.0
    if any(c.dep_ == "auxpass" for c in verb.children):
        f["parse:passive"] = 1.0
    complements = [c for c in verb.children if c.dep_ in ("acomp", "oprd", "attr")]
    if _in(verb, REACTIONS) or any(_in(c, FEELINGS) for c in complements):
        f["parse:reaction"] = 1.0
    if any(
        (_in(t, META) or t.lemma_ in ("forecast", "prediction")) and t.pos_ == "NOUN" for t in doc
    ):
        f["parse:meta_word"] = 1.0
    if any(_in(t, META) and t.dep_ in ("nsubj", "nsubjpass") for t in doc):
        f["parse:meta_subject"] = 1.0
    return f


# The sentence model (decide.keeps_sentence) reads words, not cues: it sees only sentences in
# which the rules found nothing. Labels and numbers are folded so that "14:10 —", "PRIYA:",
# "$2,000" and "$1,640" are one word each, and the model learns the phrasing, not the figures.
_TIME_LABEL = re.compile(r"^\s*\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?\s*[—–-]\s*", re.I)
_SPEAKER_LABEL = re.compile(
    r"^\s*(?:[A-Z][A-Z.'’ -]{1,30}|[QA]|[A-Z][a-z]+(?:\s[A-Z][a-z]+){0,2}|u/\w+|\w+_\w+)"
    r"(?:\s\([^)]{0,40}\))?:\s+"
)
_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")
_WORD = re.compile(r"\w+|[:;—?%$£€]")
SENTENCE_NGRAMS = 3


def sentence_label(text: str) -> str:
    """A live-blog time or a speaker's name that opens the sentence ('14:10 — ', 'PRIYA: ')."""
    m = _TIME_LABEL.match(text) or _SPEAKER_LABEL.match(text)
    return m[0] if m else ""


def _folded_words(text: str) -> list[str]:
    """The sentence's words lower-cased, digits as 0, an opening label as one word."""
    label = sentence_label(text)
    words = ["<label>"] if label else []
    return words + _WORD.findall(_DIGITS.sub("0", text[len(label) :]).lower())


def sentence_features(text: str) -> Features:
    """Word n-grams (1 to 3) of a sentence, with its label and its digits folded, and whether it
    names a time (by the horizon rules)."""
    words = _folded_words(text)
    grams: Features = {"time": 1.0} if find_horizon(text) else {}
    for n in range(1, SENTENCE_NGRAMS + 1):
        for i in range(len(words) - n + 1):
            grams["w:" + " ".join(words[i : i + n])] = 1.0
    return grams


CANDIDATE_NGRAMS = 2


def candidate_words(text: str) -> Features:
    """The sentence's words and word pairs ("n:" + gram), for the candidate decision: they let it
    weigh what no hand-made feature names ("will air on", "per the notice")."""
    return dict(_candidate_words(text))


@lru_cache(maxsize=256)
def _candidate_words(text: str) -> tuple[tuple[str, float], ...]:
    words = _folded_words(text)
    grams = {
        "n:" + " ".join(words[i : i + n])
        for n in range(1, CANDIDATE_NGRAMS + 1)
        for i in range(len(words) - n + 1)
    }
    return tuple((g, 1.0) for g in sorted(grams))
