"""Candidate predictions in an article's text, for a journalist to accept, edit or reject.

Text → sentences (pysbd) → clause-sized pieces → forecast cues and the filters for look-alikes
(cues.py) → claim, probability, deadline (DESIGN §5). Conventions (docs/extraction.md):

- The claim is stated so that TRUE is what the author asserts, negation included: "no ceasefire
  will materialize" is the claim "No ceasefire will materialize." at the codebook's 0.9 for
  plain "will". Hedges that deny an event ("unlikely", "almost inconceivable", "I doubt",
  "little chance": codebook values under 0.4, which give the probability of the event) turn the
  claim round: "make any peace agreement almost inconceivable" (0.03) is the claim "No peace
  agreement ... will come about." at 0.97. Words of possibility ("could", "might") keep the
  event at their 0.4; a number in the text is kept as written, for the event it names.
- A number in the text ("a 70% chance", "7 in 10", "3-to-1") wins over the codebook.
- The deadline comes only from a time phrase in the forecast's own words; none is invented.
"""

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

from app.extraction import cues
from app.extraction.cues import Condition, Cue, Frame, Segment
from app.extraction.sentences import Sentence, split_sentences
from app.language.horizons import DeadlineError, find_horizon, parse_deadline

NO_HORIZON = "no time horizon in the text"
_DENIAL_BELOW = 0.4  # codebook hedges under the level of 'could' give the event's probability
_CONFIDENCE: dict[cues.CueKind, float] = {
    "number": 0.9,
    "ellipsis": 0.85,
    "modal": 0.8,
    "verb": 0.8,
    "idiom": 0.8,
    "weak modal": 0.55,
    "hedge": 0.65,
}
_ANCHOR_REASON: dict[cues.CueKind, str] = {
    "number": "stated probability",
    "ellipsis": "verdict on the question before it",
    "modal": "future modal",
    "verb": "predictive verb",
    "idiom": "idiom",
    "weak modal": "modal of possibility",
    "hedge": "hedge",
}

_LEAD = re.compile(r"[\s,;:–\"'(]*")
_THAT_CUT = re.compile(
    r"\b(?:\w+ing|believ\w*|think\w*|thought|expect\w*|predict\w*|forecast\w*|anticipat\w*"
    r"|hope[sd]?|fear\w*|argu\w*|says?|said|claim\w*|insist\w*|warn\w*|reckon\w*|estimat\w*"
    r"|suggest\w*|bet\w*|doubt\w*|means?|shows?|clear|certain|sure|likely|unlikely|possible"
    r"|impossible|probable|improbable|inevitable|inconceivable|chance|possibility|odds|risk"
    r"|convinced|confident|evident|obvious|is|are|and)\s+that\s+"
    r"|\b(?:extent|degree)\s+to\s+which\s+",
    re.I,
)
_AFTER_HEDGE = re.compile(r"\s*(?:that\s+)?", re.I)
_NEGATION = re.compile(r"\b(?:no|not|never|nobody|nothing|none|neither|nor|won't|\w+n't)\b", re.I)
_NEGATED_MODAL = re.compile(r"\b(?:will\s+(?:not|never)|won['’]t|shall\s+not|shan['’]t)\b", re.I)
_PLAIN_MODAL = re.compile(r"\b(?P<m>will|shall|(?:is|are|am)(?=\s+going\s+to))\b|['’]ll\b", re.I)
_ADVERB = (
    r"(?:(?:almost|most|quite|very)\s+)?(?:certainly|definitely|probably|possibly|perhaps|likely"
    r"|surely|undoubtedly|inevitably)"
)
_ADVERB_AFTER_MODAL = re.compile(rf"\b(?P<m>will|shall|won['’]t)\s+{_ADVERB}\b,?", re.I)
_ADVERB_BEFORE_MODAL = re.compile(
    rf"\b{_ADVERB},?\s+(?=(?:will|won['’]t|shall|is\s+going|are\s+going|not)\b)", re.I
)
_LEADING_ADVERB = re.compile(r"^(?:perhaps|maybe|probably|possibly|surely),?\s+", re.I)
_TO_WILL = re.compile(
    r"\b(?:is|are|am|['’]s|['’]re|looks?|seems?|appears?|remains?)\s+(?:(?:now|still|already"
    r"|increasingly|all\s+but|widely|highly|very|almost|nearly|virtually|more|most)\s+)*"
    r"(?:set|poised|on\s+track|on\s+course|bound|doomed|about|certain|sure|expected|forecast"
    r"|predicted|projected|tipped|likely|unlikely|probable|a\s+long\s+shot|not\s+likely)\s+to\s+",
    re.I,
)
_TO_VP = re.compile(r"\s*to\s+(?P<vp>[a-z].*)", re.S)
_NP_TO_VP = re.compile(r"(?P<np>.+?)\s+to\s+(?P<vp>[a-z].*)", re.S)
_FOR_NP_TO_VP = re.compile(r"\s*for\s+(?P<np>.+?)\s+to\s+(?P<vp>[a-z].*)", re.S)
_VERB_FRAME_LEAD = re.compile(r"(?:is\s+for|is\s+that|on|that)\s+", re.I)
_SUBJECT_BEFORE = re.compile(
    r"(?P<np>.+?)\s+(?:is|are|was|looks|seems|appears|remains|becomes|has\s+become)\b"
    r"(?:\s+(?:\w+ly|now|still|almost|nearly|virtually|all\s+but|very|quite|more|most|so))*"
    r"(?:\s+an?)?\s*$",
    re.I | re.S,
)
_MAKES = re.compile(r".*?\b(?:makes?|making|renders?|rendering)\s+(?P<np>.+?)\s*$", re.I | re.S)
_ODDS_OF = re.compile(
    r"(?:the\s+)?(?:odds|chances?|likelihood|probability|risk)\s+(?:of|that)\s+(?P<np>.+?)"
    r"\s+(?:is|are)\b",
    re.I | re.S,
)
_OF_NP = re.compile(r"\s*(?:chance|probability|likelihood|odds|risk)?\s*of\s+(?P<np>.+)", re.I)
_CHANCE_OF_BEFORE = re.compile(
    r"(?:chance|probability|likelihood|odds|risk)\s+of\s+(?P<np>.+?)\s+(?:at|is)"
    r"(?:\s+(?:about|around|roughly|nearly|almost|some|perhaps|maybe))?\s*$",
    re.I,
)
_PROBABILITY_NOUN = re.compile(r"^\s*(?:chance|probability|likelihood|odds|risk)\b(?!\s+of)", re.I)
_THAT_CLAUSE = re.compile(r".*?\bthat\s+(?P<c>.+)", re.I | re.S)
_DETERMINER = re.compile(r"(?P<d>a|an|any)\s+", re.I)
_ELLIPSIS_LEAD = re.compile(r"\s*[–,]\s*(?:it|they|he|she|that|this)\s+$", re.I)
_QUANTITY_AFTER = re.compile(r"\s*(?:%|(?:point|percent|per\s*cent|of)\b)", re.I)
_YEAR_IS_OUT = re.compile(r"before\s+the\s+(?P<u>year|month|week|decade)$", re.I)
_IS_OUT = re.compile(r"\s+(?:is\s+out|is\s+over|ends)\b", re.I)


@dataclass(frozen=True)
class Candidate:
    """One sentence's forecast as found: where it is, what it claims, how sure and by when."""

    sentence: str
    start: int
    end: int
    span: str
    span_start: int
    span_end: int
    claim: str
    hedge: str | None
    probability: float
    probability_basis: Literal["stated", "codebook"]
    horizon_text: str | None
    resolve_by: date | None
    no_horizon_reason: str | None
    conditional_on: str | None
    attributed_to: str | None
    confidence: float
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class _Reading:
    """One sentence being read: its text as found and normalised, and what came before it."""

    sentence: Sentence
    norm: str
    made_at: date
    speaker: str | None
    trailing: Frame | None

    @property
    def text(self) -> str:
        return self.sentence.text


@dataclass(frozen=True)
class _Probability:
    value: float
    basis: Literal["stated", "codebook"]
    source: Cue
    flipped: bool


@dataclass(frozen=True)
class _Found:
    """What one forecast is made of, with offsets into its sentence."""

    seg: Segment
    anchor: Cue
    start: int  # the claim's own clause
    end: int
    frame: Frame | None
    cond: Condition | None
    prob: _Probability


@dataclass(frozen=True)
class _Deadline:
    resolve_by: date | None
    horizon_text: str | None
    reason: str | None


def extract(text: str, *, published_at: date) -> list[Candidate]:
    """Candidate forecasts in a text, in order, with offsets into it; deadlines count from
    `published_at`."""
    made_at = published_at
    found: list[Candidate] = []
    speaker: str | None = None
    for sentence in split_sentences(text):
        norm = cues.normalise(sentence.text)
        reading = _Reading(sentence, norm, made_at, speaker, cues.trailing_frame(norm))
        found += _candidates(reading)
        speaker = _named_in(reading) or speaker
    return found


def _named_in(reading: _Reading) -> str | None:
    """Who a later 'he' or 'they' may stand for: a frame's named subject, or the first name."""
    for f in (cues.frame(reading.norm, 0, len(reading.norm)), reading.trailing):
        if f and not f.first_person and f.subject.lower() not in cues.PRONOUNS:
            return f.subject
    return cues.speaker(reading.norm)


def _candidates(reading: _Reading) -> list[Candidate]:
    """The candidates of one sentence: one per clause-sized piece that carries a forecast."""
    if cues.is_question(reading.norm):
        return []
    if reading.trailing and reading.trailing.announces:
        return []
    pieces = _pieces(reading)
    found = []
    for index, seg in enumerate(pieces):
        anchors, rejected = cues.anchors(reading.norm, seg)
        if anchors:
            anchor = max(anchors, key=lambda c: (cues.PRIORITY[c.kind], -c.start))
            scope = _scope_start(pieces, index)
            found.append(_candidate(reading, seg, scope, anchor, rejected))
    return found


def _pieces(reading: _Reading) -> list[Segment]:
    """The sentence's pieces, the trailing frame (', analysts say.') cut off the last one."""
    cut = reading.trailing.start if reading.trailing else len(reading.norm)
    clipped = [Segment(s.start, min(s.end, cut), s.joined) for s in cues.segments(reading.norm)]
    return [s for s in clipped if reading.norm[s.start : s.end].strip()]


def _scope_start(pieces: list[Segment], index: int) -> int:
    """Where the frame and the condition of a piece may start: back over pieces joined by 'and'."""
    while index > 0 and pieces[index].joined == "and":
        index -= 1
    return pieces[index].start


def _candidate(
    reading: _Reading, seg: Segment, scope: int, anchor: Cue, rejected: list[str]
) -> Candidate:
    """Everything about one forecast, given the cue that carries it."""
    found = _found(reading, seg, scope, anchor)
    prob, cond = found.prob, found.cond
    claim = _claim(reading, found)
    span_start, span_end = _span(reading, found)
    deadline = _deadline(reading, span_start, span_end, cond)
    attributed = _attributed_to(reading, found.frame)
    return Candidate(
        sentence=reading.text,
        start=reading.sentence.start,
        end=reading.sentence.end,
        span=reading.text[span_start:span_end],
        span_start=reading.sentence.start + span_start,
        span_end=reading.sentence.start + span_end,
        claim=claim,
        hedge=prob.source.words if prob.basis == "codebook" else None,
        probability=round(prob.value, 3),
        probability_basis=prob.basis,
        horizon_text=deadline.horizon_text,
        resolve_by=deadline.resolve_by,
        no_horizon_reason=deadline.reason,
        conditional_on=cond.text if cond else None,
        attributed_to=attributed,
        confidence=_confidence(found, deadline, attributed),
        reasons=_reasons(found, claim, attributed, deadline, rejected),
    )


def _found(reading: _Reading, seg: Segment, scope: int, anchor: Cue) -> _Found:
    """The condition, frame, probability and clause of the forecast a cue carries."""
    cond = cues.condition(reading.norm, scope, seg.end, anchor)
    frame = _governing_frame(reading, scope, anchor)
    prob = _probability(reading, seg, anchor, cond)
    start = _clause_start(reading, seg, anchor, frame, cond)
    end = cond.start if cond and not cond.leading else seg.end
    end = len(reading.norm[:end].rstrip(" .,;:!?–"))
    return _Found(seg, anchor, start, end, frame, cond, prob)


def _governing_frame(reading: _Reading, scope: int, anchor: Cue) -> Frame | None:
    """The frame before the cue (a predictive verb is its own frame), else a trailing one."""
    before = anchor.end if anchor.kind == "verb" else anchor.start
    return cues.frame(reading.norm, scope, before) or reading.trailing


def _attributed_to(reading: _Reading, frame: Frame | None) -> str | None:
    """Who holds the belief, a pronoun resolved to the last name; None for the author."""
    if frame is None or frame.first_person:
        return None
    if frame.subject.lower() in cues.PRONOUNS:
        return reading.speaker or frame.subject
    return frame.subject


def _probability(
    reading: _Reading, seg: Segment, anchor: Cue, cond: Condition | None
) -> _Probability:
    """A number in the text if there is one, else the codebook value of the nearest hedge."""
    end = len(reading.norm) if reading.trailing and seg.end >= reading.trailing.start else seg.end
    numbers = [c for c in cues.stated(reading.norm, seg.start, end) if not _inside(c, cond)]
    if numbers:
        number = _nearest(numbers, anchor)
        return _Probability(number.probability or 0.0, "stated", number, flipped=False)
    hedges = [c for c in cues.qualifiers(reading.norm, seg.start, end) if not _inside(c, cond)]
    source = _nearest(hedges, anchor) if hedges else anchor
    value = source.probability if source.probability is not None else 0.9  # not reached
    if source.kind == "hedge" and value < _DENIAL_BELOW:
        return _Probability(1 - value, "codebook", source, flipped=True)
    return _Probability(value, "codebook", source, flipped=False)


def _inside(cue: Cue, cond: Condition | None) -> bool:
    return cond is not None and cond.start <= cue.start < cond.end


def _nearest(found: list[Cue], anchor: Cue) -> Cue:
    """The cue closest to the anchor; the longer one when two are as close."""

    def distance(c: Cue) -> tuple[int, int]:
        gap = max(c.start - anchor.end, anchor.start - c.end, 0)
        return gap, -(c.end - c.start)

    return min(found, key=distance)


def _clause_start(
    reading: _Reading, seg: Segment, anchor: Cue, frame: Frame | None, cond: Condition | None
) -> int:
    """Where the forecast's own clause begins: after frames, conditions, 'that', hedges."""
    norm = reading.norm
    points = [seg.start]
    if cond and cond.leading and cond.end <= anchor.start:
        points.append(cond.end)
    if frame and seg.start <= frame.end and (frame.end <= anchor.start or anchor.kind == "verb"):
        points.append(frame.end)
    if anchor.kind == "verb":  # "Our forecast is for ...": no frame, the clause follows the verb
        points.append(anchor.end)
    if anchor.kind not in ("hedge", "number"):
        points += _hedge_cuts(reading, seg, anchor)
        points += [m.end() for m in _THAT_CUT.finditer(norm, seg.start, anchor.start)]
    start = max(p for p in points if p <= anchor.start or anchor.kind == "verb")
    return start + len(_lead(norm[start : seg.end]))


def _hedge_cuts(reading: _Reading, seg: Segment, anchor: Cue) -> list[int]:
    """Ends of hedges that open the clause ('I doubt', 'little chance that')."""
    hedges = cues.qualifiers(reading.norm, seg.start, anchor.start)
    ends = [h.end for h in hedges if cues.is_frame_hedge(h) and h.end <= anchor.start]
    return [end + len(_after_hedge(reading.norm[end:])) for end in ends]


def _after_hedge(rest: str) -> str:
    m = _AFTER_HEDGE.match(rest)
    return m[0] if m else ""


def _lead(text: str) -> str:
    """Punctuation and discourse words that open a piece ('But', 'and that', 'Specifically,')."""
    lead = _LEAD.match(text)
    size = lead.end() if lead else 0
    marker = cues.discourse(text[size:])
    return text[: size + len(marker)]


def _claim(reading: _Reading, found: _Found) -> str:
    """A falsifiable sentence whose truth is what the author asserts."""
    text, anchor, flipped = reading.text, found.anchor, found.prob.flipped
    if anchor.kind == "ellipsis":
        return _tidy(_ellipsis_claim(reading, anchor))
    if anchor.kind in ("hedge", "number"):
        built = _hedge_claim(text, found.start, found.end, anchor, flipped)
        if built is not None:
            return _tidy(built)
    clause = _clause_text(text, found.start, found.end, anchor, found.prob.source)
    # "Don't expect relief": the author expects no relief
    denied = anchor.kind == "verb" and cues.ADVICE_BEFORE.search(reading.norm[: anchor.start])
    return _tidy(_negate(clause) if flipped != bool(denied) else clause)


def _clause_text(text: str, start: int, end: int, anchor: Cue, hedge: Cue) -> str:
    """The clause as a plain statement: 'is set to' and 'could' read 'will', hedges dropped."""
    if anchor.kind == "weak modal" and start <= anchor.start:
        text, end = _replace(text, end, anchor, "will")
    elif hedge.phrase in cues.ADVERBS and start <= hedge.start < end:
        text, end = _replace(text, end, hedge, "")  # "will probably not": the 'not' is the hedge's
    clause = text[start:end]
    if anchor.kind == "verb":
        clause = _verb_frame_clause(clause)
    clause = _TO_WILL.sub("will ", clause)
    clause = _ADVERB_AFTER_MODAL.sub(lambda m: m["m"], clause)
    clause = _ADVERB_BEFORE_MODAL.sub("", clause)
    return _LEADING_ADVERB.sub("", clause)


def _replace(text: str, end: int, cue: Cue, words: str) -> tuple[str, int]:
    """The text with a cue's words replaced, and the clause end moved to match."""
    return text[: cue.start] + words + text[cue.end :], end + len(words) - (cue.end - cue.start)


def _verb_frame_clause(clause: str) -> str:
    """'the euro to weaken' → 'the euro will weaken'; 'more bank failures' → 'There will be ...'."""
    clause = _VERB_FRAME_LEAD.sub("", clause, count=1)
    if m := _NP_TO_VP.fullmatch(clause):
        return f"{m['np']} will {m['vp']}"
    return f"There will be {clause}"


def _hedge_claim(text: str, start: int, end: int, anchor: Cue, flipped: bool) -> str | None:
    """A claim around a hedge or number that carries the forecast alone, or None if none fits."""
    before, after = text[start : anchor.start], _PROBABILITY_NOUN.sub("", text[anchor.end : end])
    if anchor.words.lower().endswith(" to"):  # "bound to": the verb phrase follows at once
        after = f" to {after.lstrip()}"
    if m := _FOR_NP_TO_VP.match(after):  # "impossible for Zelensky to accept"
        return _maybe_negated(f"{m['np']} will {m['vp']}", flipped)
    if (m := _TO_VP.match(after)) and (subject := _subject_of(before)):  # "X is likely to"
        return _maybe_negated(f"{subject} will {m['vp']}", flipped)
    if m := _THAT_CLAUSE.match(after):
        return _maybe_negated(m["c"], flipped)
    if (m := _OF_NP.match(after) or _CHANCE_OF_BEFORE.search(before)) and not _gerund(m["np"]):
        return _event(m["np"], not flipped)
    if cues.has_verb(after):  # "no chance the budget passes"
        return _maybe_negated(after.strip(" ,"), flipped)
    np = _np_before(before)
    return _event(np, not flipped) if np else None


def _gerund(np: str) -> bool:
    return np.split()[0].lower().endswith("ing") if np.split() else True


def _maybe_negated(claim: str, flipped: bool) -> str:
    return _negate(claim) if flipped else claim


def _subject_of(before: str) -> str | None:
    """The subject in 'X is likely' / 'X is a long shot' before a hedge."""
    m = _SUBJECT_BEFORE.match(before.strip())
    return m["np"].strip() if m else None


def _np_before(before: str) -> str | None:
    """The event a hedge is said of: 'make any peace agreement ... almost inconceivable'."""
    for pattern in (_MAKES, _ODDS_OF, _SUBJECT_BEFORE):
        if m := pattern.match(before.strip()):
            return m["np"].strip(" ,")
    return None


def _event(np: str, happens: bool) -> str:
    """A claim that an event named by a noun phrase does, or does not, come about."""
    m = _DETERMINER.match(np)
    core = np[m.end() :] if m else np
    if not happens:
        return f"No {core} will come about" if m else f"{np} will not come about"
    return f"A {core} will come about" if m and m["d"].lower() == "any" else f"{np} will come about"


def _ellipsis_claim(reading: _Reading, anchor: Cue) -> str:
    """'whether X will succeed – it won't' is the claim that X will not succeed."""
    norm = reading.norm
    lead = _ELLIPSIS_LEAD.search(norm[: anchor.start])
    end = lead.start() if lead else anchor.start
    asked = [m.end() for m in cues.QUESTION_CLAUSE.finditer(norm, 0, end)]
    question = reading.text[asked[-1] if asked else 0 : end]
    negative = anchor.phrase in ("will not", "won't")
    return _negate(question) if negative == (_NEGATED_MODAL.search(question) is None) else question


def _negate(claim: str) -> str:
    """The same claim with its polarity turned round, as plainly as the words allow."""
    if m := _NEGATED_MODAL.search(claim):
        return f"{claim[: m.start()]}will{claim[m.end() :]}"
    if m := _PLAIN_MODAL.search(claim):
        modal = m["m"] or " will"
        return f"{claim[: m.start()]}{modal} not{claim[m.end() :]}"
    return f"It is not the case that {claim[:1].lower()}{claim[1:]}"


def _tidy(claim: str) -> str:
    """One line, a capital first letter, a full stop at the end."""
    text = " ".join(claim.split())
    text = text[len(_lead(text)) :].rstrip(" ,;:–-.!")
    return f"{text[:1].upper()}{text[1:]}." if text else ""


def _span(reading: _Reading, found: _Found) -> tuple[int, int]:
    """The words to quote: the clause with its frame, condition and hedge, inside the piece."""
    seg, anchor, frame, cond = found.seg, found.anchor, found.frame, found.cond
    firsts = [found.start, anchor.start, found.prob.source.start]
    if frame and frame.start >= seg.start:
        firsts.append(frame.start)
    if cond and cond.leading:
        firsts.append(cond.start)
    if anchor.kind == "ellipsis":
        asked = [m.start() for m in cues.QUESTION_CLAUSE.finditer(reading.norm, 0, anchor.start)]
        firsts = [asked[-1] if asked else seg.start]
    first = max(min(firsts), seg.start)
    first += len(_lead(reading.norm[first : seg.end]))
    last = _span_end(reading, seg, anchor)
    return first, max(last, first)


def _span_end(reading: _Reading, seg: Segment, anchor: Cue) -> int:
    """The end of the quoted words: the piece, with a trailing frame, without end punctuation."""
    if anchor.kind == "ellipsis":
        return anchor.end
    end = seg.end
    if reading.trailing and end >= reading.trailing.start:
        end = len(reading.norm)
    text = reading.norm[:end].rstrip(" .,;:!?–")
    return len(text)


def _deadline(reading: _Reading, start: int, end: int, cond: Condition | None) -> _Deadline:
    """The first time phrase in the quoted words (outside the condition) that names a deadline."""
    text = reading.text[:end]
    if cond:  # a time in the condition ("if the Fed cuts in June") is not the forecast's
        text = text[: cond.start] + " " * (cond.end - cond.start) + text[cond.end :]
    errors: list[str] = []
    pos = start
    while found := find_horizon(text[pos:]):
        _, last, words = found
        rest = text[pos + last :]
        if _QUANTITY_AFTER.match(rest):  # "cut by a quarter point" names an amount, not a time
            pos += last
            continue
        try:
            return _parsed(words, rest, reading.made_at)
        except DeadlineError as err:
            errors.append(str(err))
        pos += last
    reason = f"no usable time horizon: {errors[0]}" if errors else NO_HORIZON
    return _Deadline(None, None, reason)


def _parsed(words: str, rest: str, made_at: date) -> _Deadline:
    """The deadline a phrase names; 'before the year is out' is the end of the year."""
    phrase = words
    if (m := _YEAR_IS_OUT.search(words)) and (out := _IS_OUT.match(rest)):
        phrase, words = f"by the end of the {m['u']}", words + out[0]
    deadline = parse_deadline(phrase, made_at=made_at)
    return _Deadline(deadline.resolve_by, words.strip(), None)


def _confidence(found: _Found, deadline: _Deadline, attributed: str | None) -> float:
    """How sure we are that this is a real forecast: the cue's strength, a deadline, a frame."""
    score = _CONFIDENCE[found.anchor.kind]
    score += 0.1 if deadline.resolve_by else 0.0
    score -= 0.1 if attributed else 0.0
    score -= 0.05 if found.cond else 0.0
    return round(min(max(score, 0.05), 0.99), 2)


def _reasons(
    found: _Found, claim: str, attributed: str | None, deadline: _Deadline, rejected: list[str]
) -> tuple[str, ...]:
    """Which cues and filters fired, in words a journalist can check."""
    anchor = found.anchor
    reasons = [f"{_ANCHOR_REASON[anchor.kind]} '{anchor.words}'", _probability_reason(found.prob)]
    if negation := _NEGATION.search(claim):
        reasons.append(f"negation '{negation[0]}'")
    if attributed:
        reasons.append(f"attributed to '{attributed}'")
    if found.cond:
        reasons.append(f"conditional on '{found.cond.text}'")
    time = f"time phrase '{deadline.horizon_text}'" if deadline.horizon_text else deadline.reason
    reasons.append(time or NO_HORIZON)
    used = f"'{found.prob.source.words}'"
    reasons += [f"set aside: {r}" for r in dict.fromkeys(rejected) if used not in r]
    return tuple(reasons)


def _probability_reason(prob: _Probability) -> str:
    if prob.basis == "stated":
        return f"stated '{prob.source.words}' = {prob.value:.2f}"
    said = f"codebook '{prob.source.phrase}' ('{prob.source.words}')"
    if prob.flipped:
        return f"{said} gives the event {1 - prob.value:.2f}: claim negated, p {prob.value:.2f}"
    return f"{said} = {prob.value:.2f}"
