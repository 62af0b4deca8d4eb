"""The claim of a candidate: the forecast's clause rewritten as a standalone sentence.

The claim is stated so that TRUE is what the author asserts (docs/extraction.md, "Claims and
probabilities"): "is set to", "could" and hedge adverbs read as plain "will" (their weight is in
the probability), a hedge that denies an event turns the claim round, a hedge said of an event
gives "X will come about".
"""

import re

from app.extraction import cues
from app.extraction.cues import Cue

_LEAD = re.compile(r"[\s,;:–\"'(]*")
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


def lead(text: str) -> str:
    """Punctuation and discourse words that open a piece ('But', 'and that', 'Specifically,')."""
    lead = _LEAD.match(text)
    size = lead.end() if lead else 0
    marker = cues.discourse(text[size:])
    return text[: size + len(marker)]


def claim(
    text: str, norm: str, start: int, end: int, anchor: Cue, hedge: Cue, *, flipped: bool
) -> str:
    """A falsifiable sentence whose truth is what the author asserts; `text[start:end]` is the
    forecast's own clause, `norm` the sentence normalised, `hedge` the cue its p comes from."""
    if anchor.kind == "ellipsis":
        return _tidy(_ellipsis_claim(text, norm, anchor))
    if anchor.kind in ("hedge", "number"):
        built = _hedge_claim(text, start, end, anchor, flipped)
        if built is not None:
            return _tidy(built)
    clause = _clause_text(text, start, end, anchor, hedge)
    # "Don't expect relief": the author expects no relief
    denied = anchor.kind == "verb" and cues.ADVICE_BEFORE.search(norm[: anchor.start])
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


def _ellipsis_claim(text: str, norm: str, anchor: Cue) -> str:
    """'whether X will succeed – it won't' is the claim that X will not succeed."""
    lead = _ELLIPSIS_LEAD.search(norm[: anchor.start])
    end = lead.start() if lead else anchor.start
    asked = [m.end() for m in cues.QUESTION_CLAUSE.finditer(norm, 0, end)]
    question = text[asked[-1] if asked else 0 : end]
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
    text = text[len(lead(text)) :].rstrip(" ,;:–-.!")
    return f"{text[:1].upper()}{text[1:]}." if text else ""
