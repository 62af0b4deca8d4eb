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

from app.extraction import claims, cues, decide, features, parse
from app.extraction.cues import Condition, Cue, Frame, Segment
from app.extraction.parse import Parser
from app.extraction.sentences import Sentence, split_sentences
from app.language.horizons import DeadlineError, find_horizon, parse_deadline

NO_HORIZON = "no time horizon in the text"
_PLAIN_WOULD = {"would", "would not", "wouldn't"}
_DENIAL_BELOW = 0.4  # codebook hedges under the level of 'could' give the event's probability
_CONFIDENCE: dict[cues.CueKind, float] = {
    "number": 0.9,
    "ellipsis": 0.85,
    "modal": 0.8,
    "verb": 0.8,
    "idiom": 0.8,
    "weak modal": 0.55,
    "hedge": 0.65,
    "present": 0.7,
    "pick": 0.75,
    "target": 0.75,
    "projection": 0.8,
}
_ANCHOR_REASON: dict[cues.CueKind, str] = {
    "number": "stated probability",
    "ellipsis": "verdict on the question before it",
    "modal": "future modal",
    "verb": "predictive verb",
    "idiom": "idiom",
    "weak modal": "modal of possibility",
    "hedge": "hedge",
    "present": "present-tense forecast",
    "pick": "pick of a side",
    "target": "stated target",
    "projection": "projection",
}

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
_QUANTITY_AFTER = re.compile(r"\s*(?:%|(?:point|percent|per\s*cent|of)\b)", re.I)
_YEAR_IS_OUT = re.compile(r"before\s+the\s+(?P<u>year|month|week|decade)$", re.I)
# A forecast no cue marks may be a pick (0.7) or a plain 'will' (0.9): the words do not say
# which, so it is read as the codebook phrase between them.
_UNCUED = "very good chance"
_UNCUED_P = cues.codebook_probability(_UNCUED)
_UNCUED_CONFIDENCE = 0.5  # below every cue's: the journalist sees these last
# What opens a sentence before its claim: a live-blog time, a speaker, "My pick:", "One:".
_OPENING_LABEL = re.compile(
    r"(?:\s*\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?\s*[—–-]\s*)?"
    r"(?:[^\s:,;.]+(?:\s[^\s:,;.]+){0,4}:\s+)?",
    re.I,
)
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
    cue_kind: str = "modal"  # cues.cue_kind: which rule proposed it, for the decision


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


def extract(
    text: str, *, published_at: date, parser: Parser | Literal["default"] | None = "default"
) -> list[Candidate]:
    """Candidate forecasts in a text, in order, with offsets into it; deadlines count from
    `published_at`. The rules propose, the learned decision (decide.py) keeps, and the sentence
    model reads the sentences the rules found nothing in; `parser` is the dependency parse the
    decision reads (default: HINDSIGHT_SPACY_MODEL's, loaded on first use; None: rules alone)."""
    nlp = parse.default_parser() if isinstance(parser, str) else parser
    read = _read(text, published_at=published_at)
    kept = decide.keep([c for _, found in read for c in found], nlp)
    uncued = [_uncued_candidate(r) for r in _unread(read) if decide.keeps_sentence(r.text)]
    return sorted(kept + uncued, key=lambda c: (c.start, c.span_start))


def rule_candidates(text: str, *, published_at: date) -> list[Candidate]:
    """Every candidate the rules propose, before the learned decision."""
    return [c for _, found in _read(text, published_at=published_at) for c in found]


def uncued_candidates(text: str, *, published_at: date) -> list[Candidate]:
    """A candidate for each sentence the rules found nothing in, before the sentence model."""
    return [_uncued_candidate(r) for r in _unread(_read(text, published_at=published_at))]


def _unread(read: list[tuple[_Reading, list[Candidate]]]) -> list[_Reading]:
    """The sentences the rules found nothing in, questions and settled calls aside."""
    return [
        r
        for r, found in read
        if not found and not cues.is_question(r.norm) and not _settled(r.text)
    ]


def _read(text: str, *, published_at: date) -> list[tuple[_Reading, list[Candidate]]]:
    """Each sentence as read, with the candidates the rules propose in it."""
    read = []
    speaker: str | None = None
    for sentence in split_sentences(text):
        norm = cues.normalise(sentence.text)
        reading = _Reading(sentence, norm, published_at, speaker, cues.trailing_frame(norm))
        read.append((reading, _candidates(reading)))
        speaker = _named_in(reading) or speaker
    return read


def _uncued_candidate(reading: _Reading) -> Candidate:
    """A sentence the rules found nothing in, as a candidate for the sentence model. No cue says
    what the forecast is, so its words stand as the claim, flagged for the journalist to state,
    and its probability is the house value for a forecast without a cue."""
    text = reading.text
    label = _OPENING_LABEL.match(text)
    first = label.end() if label else 0
    last = max(len(text.rstrip(" .,;:!?–")), first)
    frame = cues.frame(reading.norm, first, last) or reading.trailing
    deadline = _deadline(reading, first, last, None)
    attributed = _attributed_to(reading, frame)
    words = text[first:last]
    score = _UNCUED_CONFIDENCE + (0.1 if deadline.resolve_by else 0.0)
    time = f"time phrase '{deadline.horizon_text}'" if deadline.horizon_text else deadline.reason
    reasons = (
        "no forecast cue: the sentence model reads the sentence as a forecast",
        f"house rule: a forecast without a cue read as codebook '{_UNCUED}' = {_UNCUED_P:.2f}",
        "the claim is the sentence as written: state what it predicts",
        time or NO_HORIZON,
    )
    return Candidate(
        sentence=text,
        start=reading.sentence.start,
        end=reading.sentence.end,
        span=words,
        span_start=reading.sentence.start + first,
        span_end=reading.sentence.start + last,
        claim=f"{words[:1].upper()}{words[1:]}.",
        hedge=None,
        probability=_UNCUED_P,
        probability_basis="codebook",
        horizon_text=deadline.horizon_text,
        resolve_by=deadline.resolve_by,
        no_horizon_reason=deadline.reason,
        conditional_on=None,
        attributed_to=attributed,
        confidence=round(score, 2),
        reasons=(*reasons, f"attributed to '{attributed}'") if attributed else reasons,
        cue_kind=decide.SENTENCE,
    )


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
            candidate = _candidate(reading, seg, scope, anchor, rejected)
            if candidate.claim and not _EMPTY_CLAIM.fullmatch(candidate.claim):  # "Some will."
                found.append(candidate)
    return found


def _settled(text: str) -> bool:
    """An even call with no side ("too close to call"), or a hedge on the past ("It is likely
    that the famine was caused by the blockade"): the sentence model's look-alikes."""
    past = _HEDGED_PAST.search(text) and not cues.FUTURE_TIME.search(text)
    return features.no_call(text) or bool(past)


_HEDGED_PAST = re.compile(
    r"\b(?:likely|probably|possibly|probable|possible|certain|certainly|doubt)\b[^.;]*?"
    r"\b(?:was|were|had\s+been|has\s+been|have\s+been|did)\b",
    re.I,
)
_EMPTY_CLAIM = re.compile(r"(?:[\w'’-]+\s+){1,6}?(?:will|won't|would)(?:\s+not)?\.", re.I)


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
    claim = claims.claim(
        _unquoted(_without_aside(reading, found.frame), found.prob.source),
        reading.norm,
        found.start,
        found.end,
        found.anchor,
        found.prob.source,
        flipped=found.prob.flipped,
        believer=found.frame.subject if found.frame else None,
        year=reading.made_at.year,
        shared_subject=reading.text[scope : seg.start] if scope < seg.start else None,
    )
    span_start, span_end = _span(reading, found)
    deadline = _deadline(reading, span_start, span_end, cond)
    if found.anchor.shape == "table":  # "Q4-25f" is dated by the claim's "in Q4 2025"
        deadline = _claim_deadline(claim, reading.made_at)
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
        cue_kind=cues.cue_kind(found.anchor),
    )


def _found(reading: _Reading, seg: Segment, scope: int, anchor: Cue) -> _Found:
    """The condition, frame, probability and clause of the forecast a cue carries."""
    cond = cues.condition(reading.norm, scope, seg.end, anchor)
    frame = _governing_frame(reading, scope, anchor)
    prob = _probability(reading, seg, anchor, cond)
    aside = frame is not None and _is_aside(reading.norm, frame)
    start = _clause_start(reading, seg, anchor, None if aside else frame, cond)
    end = cond.start if cond and not cond.leading else seg.end
    end = cues.main_clause_end(reading.norm, anchor.end, end)
    end = len(reading.norm[:end].rstrip(" .,;:!?–"))
    return _Found(seg, anchor, start, end, frame, cond, prob)


def _is_aside(norm: str, frame: Frame) -> bool:
    """'Finland, she thinks, will host': a frame set off by commas inside its clause."""
    before = norm[: frame.start].rstrip()
    return before.endswith(",") and len(before) > 1 and norm[frame.end : frame.end + 1] == ","


def _unquoted(text: str, hedge: Cue) -> str:
    """The text with quote marks round the hedge blanked ('approval is "very likely"'), so the
    claim reads the hedge as a word of the sentence; offsets hold."""
    before, after = hedge.start - 1, hedge.end
    if before < 0 or after >= len(text) or hedge.kind != "hedge":
        return text
    if text[before] in "\"“'‘" and text[after] in "\"”'’":
        return f"{text[:before]} {text[hedge.start : after]} {text[after + 1 :]}"
    return text


def _without_aside(reading: _Reading, frame: Frame | None) -> str:
    """The sentence with a parenthetical frame blanked out (same length, so offsets hold)."""
    if frame is None or not _is_aside(reading.norm, frame):
        return reading.text
    start = len(reading.norm[: frame.start].rstrip()) - 1
    return reading.text[:start] + " " * (frame.end + 1 - start) + reading.text[frame.end + 1 :]


def _governing_frame(reading: _Reading, scope: int, anchor: Cue) -> Frame | None:
    """The frame before the cue (a predictive verb is its own frame), else a trailing one."""
    own_frame = anchor.kind in ("verb", "projection") or anchor.shape in ("see", "belief")
    before = anchor.end if own_frame else anchor.start
    found = cues.frame(reading.norm, scope, before) or reading.trailing
    return found or cues.quote_frame(reading.norm, scope)


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
    end = cues.main_clause_end(reading.norm, anchor.end, end, own_odds=True)  # not ", which would"
    numbers = [c for c in cues.stated(reading.norm, seg.start, end) if not _inside(c, cond)]
    if numbers:
        number = _nearest(numbers, anchor)
        return _Probability(number.probability or 0.0, "stated", number, flipped=False)
    hedges = [c for c in cues.qualifiers(reading.norm, seg.start, end) if not _inside(c, cond)]
    # "would probably", "would not surprise me": the hedge on 'would' is the more specific
    hedges = [c for c in hedges if c.phrase not in _PLAIN_WOULD] or hedges
    hedges = [c for c in hedges if not _within(c, anchor)]  # "can't" inside "I can't see"
    source = _nearest(hedges, anchor) if hedges else anchor
    value = source.probability if source.probability is not None else 0.9  # not reached
    if source.kind == "hedge" and value < _DENIAL_BELOW:
        return _Probability(1 - value, "codebook", source, flipped=True)
    return _Probability(value, "codebook", source, flipped=False)


def _within(cue: Cue, anchor: Cue) -> bool:
    """A shorter cue inside the anchor's own words."""
    inside = anchor.start <= cue.start and cue.end <= anchor.end
    return inside and (cue.start, cue.end) != (anchor.start, anchor.end)


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
    return start + len(claims.lead(norm[start : seg.end]))


def _hedge_cuts(reading: _Reading, seg: Segment, anchor: Cue) -> list[int]:
    """Ends of hedges that open the clause ('I doubt', 'little chance that')."""
    hedges = cues.qualifiers(reading.norm, seg.start, anchor.start)
    ends = [h.end for h in hedges if cues.is_frame_hedge(h) and h.end <= anchor.start]
    return [end + len(_after_hedge(reading.norm[end:])) for end in ends]


def _after_hedge(rest: str) -> str:
    m = _AFTER_HEDGE.match(rest)
    return m[0] if m else ""


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
    first += len(claims.lead(reading.norm[first : seg.end]))
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


def _claim_deadline(claim: str, made_at: date) -> _Deadline:
    found = find_horizon(claim)
    if found is None:
        return _Deadline(None, None, NO_HORIZON)
    try:
        return _parsed(found[2], "", made_at)
    except DeadlineError as err:
        return _Deadline(None, None, f"no usable time horizon: {err}")


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
    if prob.source.shape is not None:  # a house convention (docs/extraction.md), not a codebook row
        said = f"house rule: {prob.source.kind} '{prob.source.words}' read as {said}"
    if prob.flipped:
        return f"{said} gives the event {1 - prob.value:.2f}: claim negated, p {prob.value:.2f}"
    return f"{said} = {prob.value:.2f}"
