"""The claim of a candidate: the forecast's clause rewritten as a standalone sentence.

The claim is stated so that TRUE is what the author asserts (docs/extraction.md, "Claims and
probabilities"): "is set to", "could" and hedge adverbs read as plain "will" (their weight is in
the probability), a hedge that denies an event turns the claim round, a hedge said of an event
gives "X will come about".
"""

import re
from dataclasses import replace

from app.extraction import cues
from app.extraction.cues import Cue
from app.extraction.verbforms import BASE_VERBS, base, has_modal, past_as_will, will_clause

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
    r"\b(?:is|are|am|was|were|['’]s|['’]re|looks?|seems?|appears?|remains?)\s+(?:(?:now|still|already"
    r"|increasingly|all\s+but|widely|highly|very|almost|nearly|virtually|more|most)\s+)*"
    r"(?P<neg>not\s+(?!likely|probable))?[\"'“‘]?(?:set|poised|on\s+track|on\s+course|bound|doomed|about|certain|sure|expected|forecast"
    r"|predicted|projected|tipped|likely|unlikely|probable|a\s+long\s+shot|not\s+likely|primed|destined"
    r"|the\s+likeliest|the\s+most\s+likely"
    r"|favou?red|(?:the\s+)?(?:[\w-]+\s+)?favou?rites?)\s+to[\"'”’]?\s+",
    re.I,
)


def _will(m: re.Match[str]) -> str:
    """'is expected to' → 'will', 'is not expected to' → 'will not'."""
    return "will not " if m["neg"] else "will "


_TO_VP = re.compile(r"\s*to\s+(?P<vp>[a-z].*)", re.S)
_NP_TO_VP = re.compile(r"(?P<np>.+?)\s+to\s+(?P<vp>[a-z].*)", re.S)
_FOR_NP_TO_VP = re.compile(r"\s*for\s+(?P<np>.+?)\s+to\s+(?P<vp>[a-z].*)", re.S)
_VERB_FRAME_LEAD = re.compile(r"^(?:is\s+for|is\s+that|on|that)\s+", re.I)
_SUBJECT_BEFORE = re.compile(
    r"(?P<np>.+?)(?:\s+(?:is|are|was|looks|seems|appears|remains|becomes|has\s+become)\b|['’](?:s|re)\b)"
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
_OF_NP = re.compile(
    r"\s*(?:chance|probability|likelihood|odds|risk)?\s*(?:of|on)\s+(?P<np>.+)", re.I | re.S
)
_CHANCE_OF_BEFORE = re.compile(
    r"(?:chance|probability|likelihood|odds|risk)\s+of\s+(?P<np>.+?)\s+(?:at|is|as)"
    r"(?:\s+['\"]?(?:about|around|roughly|nearly|almost|some|perhaps|maybe|under|over|below|above"
    r"|no\s+more\s+than|at\s+least|less\s+than|more\s+than))*\s*['\"]?$",
    re.I,
)
_PROBABILITY_NOUN = re.compile(r"^\s*(?:chance|probability|likelihood|odds|risk)\b(?!\s+of)", re.I)
_THAT_CLAUSE = re.compile(r".*?\bthat\s+(?P<c>.+)", re.I | re.S)
_TO_LOSE_WORDS = re.compile(r"(?P<who>[A-Z][\w.&'’ -]*?|the\s+[a-z][\w-]*)['’]s?\s+to\s+lose\b")
_THE = re.compile(r"^The\b")
_DETERMINER = re.compile(r"(?P<d>a|an|any)\s+", re.I)
_ELLIPSIS_LEAD = re.compile(r"\s*[–,]\s*(?:it|they|he|she|that|this)\s+$", re.I)
_NP_GERUND = re.compile(r"(?P<np>(?:\S+\s+){0,5}?\S+)\s+(?P<v>[a-z]+ing)\b(?P<rest>.*)", re.S)
_WHETHER = re.compile(r".*?\b(?:whether|if)\s+(?P<c>.+)", re.I | re.S)
# Hedges that stand where a modal would: "cannot survive" is "will not survive" turned round.
_MODAL_HEDGES = {
    "cannot": "will",
    "can't": "will",
    "would": "will",
    "would not": "will not",
    "wouldn't": "will not",
    "risks": "will",
    "at risk of": "will",
}
_MODAL_PAIR = re.compile(
    r"\b(will|won't|shall)(\s+not)?\s+(?:could|would|may|might|can|will|shall|should|must)"
    r"(?:\s+not)?\b",
    re.I,
)
_DOUBLE_COMMA = re.compile(r"\s*,(?:\s*,)+")
_MODAL_COMMA = re.compile(r"\b(will|won't|will not)\s*,\s*", re.I)
_NOT = re.compile(r"\bnot\b", re.I)
_THERE_WILL_BE = re.compile(r"^There will be (?P<c>.+)$", re.S)
_NP_PARTICIPLE = re.compile(
    r"(?P<np>(?:the|a|an|its|their)\s+[^,;:]{1,60}?)\s+(?P<rest>[a-z]+(?:ed|en)\b.*)", re.I | re.S
)
_OPEN_QUOTE_TAIL = re.compile(r"\s['‘\"“](?:for|to|in|on|at|by|as|of|with|and|or|but|the|a)$", re.I)
_DANGLING = re.compile(
    r"\s+(?:and|or|but|nor|yet|so|of|to|in|on|at|for|with|by|from|into|than|as|that|which|who"
    r"|whose|if|because|while|whereas|although|though|unless|until|when|the|a|an|its|their|his"
    r"|her|our|my|your|is|are|was|were|be|not)$",
    re.I,
)
_FINITE = re.compile(
    r"\b(?:is|are|was|were|am|has|have|had|does|do|did|isn't|aren't|wasn't|weren't|hasn't"
    r"|haven't|doesn't|don't|didn't)\b",
    re.I,
)


def lead(text: str) -> str:
    """Punctuation and discourse words that open a piece ('But', 'and that', 'Specifically,')."""
    lead = _LEAD.match(text)
    size = lead.end() if lead else 0
    marker = cues.discourse(text[size:])
    return text[: size + len(marker)]


def claim(
    text: str,
    norm: str,
    start: int,
    end: int,
    anchor: Cue,
    hedge: Cue,
    *,
    flipped: bool,
    believer: str | None = None,
    year: int | None = None,
    shared_subject: str | None = None,
) -> str:
    """A falsifiable sentence whose truth is what the author asserts; `text[start:end]` is the
    forecast's own clause, `norm` the sentence normalised, `hedge` the cue its p comes from,
    `believer` the subject of the frame ('Her campaign expects'), `year` the year it was said."""
    if anchor.kind == "ellipsis":
        return _tidy(_ellipsis_claim(text, norm, anchor))
    if (
        shared_subject
        and not text[start : anchor.start].strip(" ,")
        and (subject := _SHARED_SUBJECT.match(shared_subject))
    ):  # "X would lower Y, and would take Z": the second verb is X's too
        given = f"{subject['np']} "
        size = len(given) - (anchor.start - start)
        text = text[:start] + given + text[anchor.start :]
        norm = norm[:start] + given + norm[anchor.start :]
        end, anchor, hedge = end + size, _shifted(anchor, size), _shifted(hedge, size)
    after = text[anchor.end : end]
    if _JUDGEMENT.fullmatch(after) and (told := _COLON_TAIL.match(text, end)):
        return _tidy(will_clause(told["c"]))  # "The call is simple: X"; "less exciting: X"
    if anchor.shape == "surprise" and (tail := _IF_TAIL.match(text, end)):  # "It would surprise
        anchor, after = replace(anchor, shape="surprised if"), tail["c"]  # me if the ECB moves"
    shaped = _shaped(text[start : anchor.start], anchor, after, year, flipped)
    if shaped == NO_CLAIM:
        return NO_CLAIM
    if shaped is not None:
        return _tidy(shaped)
    if anchor.kind == "number" and (odds := _OWN_ODDS.search(text, start, anchor.start)):
        own = text[start : odds.start()]  # ", which I'd put at": the clause before the odds
        return _tidy(will_clause(_WEAK.sub("will", own)))
    if anchor.kind == "number" and (priced := _number_claim(text[start : anchor.start], after)):
        return _tidy(priced)
    if anchor.kind in ("hedge", "number"):
        built = _hedge_claim(text, start, end, anchor, flipped)
        if built is not None:
            return _tidy(built)
    clause = _clause_text(text, start, end, anchor, hedge, believer)
    if anchor.kind == "number" and clause.startswith(anchor.words):  # "70/30 we get a new high"
        rest = clause[len(anchor.words) :].strip(" ,:")
        clause = will_clause(rest) if will_clause(rest) != rest else clause
    elif anchor.kind == "number" and anchor.words in clause and not has_modal(clause):
        lead_np = text[start : anchor.start].strip(" ,:;")  # "25bp and a hawkish dot plot, 70/30"
        clause = _event(lead_np, True) if lead_np and not cues.has_verb(lead_np) else clause
    # "Don't expect relief": the author expects no relief
    denied = anchor.kind == "verb" and cues.ADVICE_BEFORE.search(norm[: anchor.start])
    return _tidy(_negate(clause) if flipped != bool(denied) else clause)


def _clause_text(
    text: str, start: int, end: int, anchor: Cue, hedge: Cue, believer: str | None
) -> str:
    """The clause as a plain statement: 'is set to' and 'could' read 'will', hedges dropped."""
    if anchor.kind == "weak modal" and start <= anchor.start:
        text, end = _replace(text, end, anchor, "will")
    elif hedge.phrase in cues.ADVERBS and start <= hedge.start < end:
        # "will probably not": the 'not' is the hedge's; "probably drags": "will drag"
        text, end = _replace(text, end, *_adverb_modal(text, start, hedge))
    clause = text[start:end]
    if anchor.kind == "verb":
        clause = _verb_frame_clause(clause, believer)
    clause = _TO_WILL.sub(_will, clause)
    if hedge.phrase in cues.ADVERBS and not has_modal(clause):  # "X lose 100 games, probably by"
        clause = will_clause(_LIST_NUMBER.sub("", clause.lstrip(), count=1))
    clause = _ADVERB_AFTER_MODAL.sub(lambda m: m["m"], clause)
    clause = _ADVERB_BEFORE_MODAL.sub("", clause)
    return _LEADING_ADVERB.sub("", clause)


def _adverb_modal(text: str, start: int, hedge: Cue) -> tuple[Cue, str]:
    """The hedge adverb dropped, or, before a present verb with no modal, read as 'will' ('sales
    probably fall', 'the top of the ticket probably drags' → 'will drag')."""
    verb = _NEXT_WORD.match(text, hedge.end)
    if verb is None or has_modal(text[start : hedge.start], months=True):
        return hedge, ""
    word = verb["w"]
    if word in BASE_VERBS or (word.endswith("s") and will_clause(f"it {word}") != f"it {word}"):
        return replace(hedge, end=verb.end()), f"will {base(word)}"
    return hedge, ""


_NEXT_WORD = re.compile(r"\s+(?P<w>[a-z]+)\b")


def _replace(text: str, end: int, cue: Cue, words: str) -> tuple[str, int]:
    """The text with a cue's words replaced, and the clause end moved to match."""
    return text[: cue.start] + words + text[cue.end :], end + len(words) - (cue.end - cue.start)


def _shifted(cue: Cue, by: int) -> Cue:
    return replace(cue, start=cue.start + by, end=cue.end + by)


def _verb_frame_clause(clause: str, believer: str | None) -> str:
    """'the euro to weaken' → 'the euro will weaken'; 'to win Ohio' → 'Her campaign will win
    Ohio'; 'the dollar weakening' → 'the dollar will weaken'; 'more failures' → 'There will be'."""
    clause = _VERB_FRAME_LEAD.sub("", clause, count=1)
    if m := _HOLDER_SEES.match(clause):  # "the bank sees inflation averaging 0.2%"
        clause = m["rest"]
    if (m := _TO_VP.fullmatch(clause)) and believer:
        return f"{believer} will {m['vp']}"
    if m := _NP_TO_VP.fullmatch(clause):
        return f"{m['np']} will {m['vp']}"
    if gerund := _gerund_clause(clause):
        return gerund
    if has_modal(clause, months=True) or will_clause(clause) != clause:
        return will_clause(clause)
    return _noun_claim(clause)


def _noun_claim(np: str) -> str:
    """'revenue of $4bn' → 'Revenue will be $4bn'; 'a full-year loss of $900m' → 'The full-year
    loss will be $900m'; any other noun phrase is an event: 'There will be two cuts'."""
    m = _MEASURE_OF.match(np)
    if m is None or not _noun_phrase(m["n"]) or (m["d"] and not _QUANTITY.search(m["n"])):
        return f"There will be {np}"
    subject = f"The {m['n']}" if m["d"] else m["n"]
    return f"{subject} will be {m['q']}"


# "revenue of $4bn", "growth of between 3.5 and 4 percent": a measure and its amount.
_MEASURE_OF = re.compile(
    r"(?:(?P<d>an?|the)\s+)?(?P<n>(?:[\w'-]+\s+){0,4}?[\w'-]+)\s+of\s+(?P<q>(?:(?:about|around"
    r"|roughly|some|nearly|almost|between|up\s+to|at\s+least|at\s+most|more\s+than|less\s+than"
    r"|under|over|only|just|close\s+to|a\s+further|another|well\s+over|just\s+under)\s+)?[-+$€£]?\d.*)",
    re.I | re.S,
)
# Heads of "a ... of <amount>" that name the amount ("a loss of"), not an event ("a move of").
_QUANTITY = re.compile(
    r"\b(?:loss|profit|deficit|surplus|shortfall|margin|majority|turnout|total|tally|bill|cost"
    r"|price|value|valuation|yield|rate|share|balance)$",
    re.I,
)


def _hedge_claim(text: str, start: int, end: int, anchor: Cue, flipped: bool) -> str | None:
    """A claim around a hedge or number that carries the forecast alone, or None if none fits."""
    before, after = text[start : anchor.start], _PROBABILITY_NOUN.sub("", text[anchor.end : end])
    noun = _DETERMINER_BEFORE.search(before)  # "with the risks skewed": 'risks' is a noun
    if (verb := _MODAL_HEDGES.get(anchor.phrase or "")) and before.strip() and not noun:
        return _modal_hedge(before, verb, after, flipped)
    if anchor.words.lower().endswith(" to"):  # "bound to": the verb phrase follows at once
        after = f" to {after.lstrip()}"
    if m := _FOR_NP_TO_VP.match(after):  # "impossible for Zelensky to accept"
        return _maybe_negated(f"{m['np']} will {m['vp']}", flipped)
    if (m := _TO_VP.match(after)) and (subject := _subject_of(before)):  # "X is likely to"
        return _maybe_negated(f"{subject} will {m['vp']}", flipped)
    if m := _THAT_CLAUSE.match(after) or _WHETHER.match(after):
        return _maybe_negated(will_clause(m["c"]), flipped)
    if (m := _OF_NP.match(after) or _CHANCE_OF_BEFORE.search(before)) and not _gerund(m["np"]):
        return _event(m["np"], not flipped)
    if cues.has_verb(after):  # "no chance the budget passes"
        return _maybe_negated(will_clause(after.strip(" ,")), flipped)
    if m := _HAS_CHANCE.match(before.strip()):  # "Italy have a genuine chance of beating Wales"
        return _maybe_negated(f"{m['np']} will {base(m['v'])}{m['rest']}", flipped)
    np = _np_before(before)
    if np is None and before.strip(" ,") and not after.strip(" ,.'\""):  # "X can't be ruled out"
        np = before.strip(" ,")
    return _event(np, not flipped) if np else None


_IMPLY_A = re.compile(
    r"\b(?:imply|implies|price|prices|give|gives|see|sees|put|puts|assign|assigns)\s+(?:only\s+|just\s+"
    r"|roughly\s+|about\s+|around\s+)?an?\s*$",
    re.I,
)
_CHANCE_NP = re.compile(r"\s*(?:chance|shot|probability|likelihood)\s+of\s+(?P<np>[^;]+)", re.S)
_STANDS_A = re.compile(r"^(?P<np>.+?)\s+(?:has|have|stands?)\s+an?\s*$", re.S)
_CHANCE_VERB = re.compile(r"\s*(?:chance|shot)\s+of\s+(?P<v>[a-z]+ing)\b(?P<rest>[^;]*)", re.S)


def _number_claim(before: str, after: str) -> str | None:
    """The event a stated chance is said of, the odds wording dropped: 'the pact survives
    through 2026 with a probability of roughly', 'X, a 1-to-4 favourite, which implies a chance
    of about', 'X as 4/7 favourites to regain the cup', '"Ironwood" at 1.15 for Best Picture'."""
    if m := _CHANCES_ARE.fullmatch(before.strip()):  # "Labour's chances are 50-50"
        return f"{m['x']} will {base(m['g']) if m['g'] else 'win'}{m['rest'] or ''}"
    if (m := _GIVES.fullmatch(before.strip())) and (odds := _CHANCE_OF.match(after)):
        if odds["v"]:  # "give a band of rain a 70% chance of reaching the circuit"
            return f"{m['x']} will {base(odds['v'])}{odds['rest']}"
        return f"{m['x']} will win"  # "give City roughly a one-in-eight shot"
    if (m := _PERCENT_TO.match(after)) and (held := _HELD_AT.fullmatch(before.strip(" ,"))):
        return f"{_own_subject(held['x'].strip(' ,'))} will {m['vp']}"  # "make France 41% to win"
    implied = _IMPLY_A.search(before)
    if implied and (m := _CHANCE_NP.match(after)) and not _gerund(m["np"]):  # "swaps imply a
        return _noun_claim(m["np"].strip(" ,"))  # one-in-three shot of a hike in December"
    stands = _STANDS_A.search(before)
    if stands and (m := _CHANCE_VERB.match(after)):  # "the bill stands a one-in-ten chance of"
        return f"{stands['np'].strip(' ,')} will {base(m['v'])}{m['rest']}"
    tail = _ODDS_WORDING.search(before)
    if tail is None:
        return None
    event = _SCENARIO_LEAD.sub("", before[: tail.start()].strip(" ,"))
    if m := _CHANCES_OF.fullmatch(event):
        return f"{m['x']} will {base(m['v'])}{m['rest']}"
    if _ODDS_NOUN.search(event):  # "the odds of a second package": built the usual way
        return None
    if m := _FAVOURITE_TO.fullmatch(event):
        return f"{m['x']} will {m['vp']}"
    if m := _FAVOURITE.fullmatch(event) or _PRICED_FOR.fullmatch(event):
        winner = _own_subject(m["x"].strip(" ,"))  # "the former governor, Tomas Brandt"
        return f"{winner} will win{' ' + m['np'] if m['np'] else ''}"
    clause = will_clause(event)
    return clause if clause != event else None


_CHANCES_ARE = re.compile(
    r"(?P<x>(?-i:[A-Z])[\w.&' -]{0,40}?)['’]s?\s+(?:chances|odds|hopes|prospects)"
    r"(?:\s+of\s+(?P<g>[a-z]+ing)(?P<rest>\s[^,;:]{1,60}?)?)?\s+(?:are|look|remain|stand\s+at)(?:\s+(?:about|around|roughly|at\s+best"
    r"|no\s+better\s+than|now|still))*",
    re.I | re.S,
)
_ODDS_WORDING = re.compile(
    r"(?:,?\s*(?:which\s+(?:implies|is|gives|means)|implying|with)\s+)?(?:an?\s+)?(?:implied\s+)?"
    r"(?:chance|probability|likelihood)\s+of(?:\s+(?:about|around|roughly|some|nearly|almost))*"
    r"\s*$|\s+at(?:\s+(?:about|around|roughly|some|nearly|almost))*\s*$"
    r"|\s+(?:have|has)\s+(?:\w+\s+)?(?:slipped|risen|fallen|dropped|climbed|jumped|moved"
    r"|shortened|lengthened|drifted)\s+to(?:\s+(?:about|around|roughly))?\s*$",
    re.I,
)
_SCENARIO_LEAD = re.compile(
    r"^(?:in|on|by)\s+(?:our|my|the|their)\s+(?:\w+\s+)?(?:scenarios?|models?|numbers|simulations"
    r"|reckoning|estimates?),?\s+",
    re.I,
)
_ODDS_HOLDER = r"(?:.*?\b(?:make|makes|has|have|put|puts|rate|rates|price|prices)\s+)?"
_FAVOURITE_TO = re.compile(
    _ODDS_HOLDER
    + r"(?P<x>.+?)\s+as\s+(?:the\s+|its\s+|an?\s+)?(?:[\w/.-]+\s+)?favou?rites?\s+to\s+(?P<vp>.+)",
    re.S,
)
_FAVOURITE = re.compile(
    _ODDS_HOLDER + r"(?P<x>.+?),?\s+(?:as\s+)?(?:the\s+|its\s+|an?\s+)(?:[\w/.-]+\s+)?favou?rite"
    r"(?:\s+(?:for|to\s+win)\s+(?P<np>[^,]+))?,?",
    re.S,
)
_GIVES = re.compile(
    r".+?\s+(?:give|gives|gave|put|puts)\s+(?P<x>.+?)(?:\s+(?:roughly|about|around|only|just))?"
    r"\s+(?:a|an)",
    re.S,
)
_CHANCE_OF = re.compile(
    r"\s*(?:chance|shot|probability|likelihood)(?:\s+of\s+(?P<v>[a-z]+ing)\b(?P<rest>.*)|\W*$)",
    re.S,
)
_PERCENT_TO = re.compile(r"\s*to\s+(?P<vp>[^,;]+)")
_HELD_AT = re.compile(
    _ODDS_HOLDER
    + r"(?P<x>[^,;]+?)(?:\s+(?:are|is|were|was)|['’](?:re|s))?(?:\s+(?:now|still|only|just))*"
    r"(?:\s+(?:at|on)(?:\s+(?:about|around|roughly))?)?",
    re.S,
)
_ODDS_NOUN = re.compile(r"\b(?:odds|chances?|probability|likelihood|risk)\b", re.I)
_PRICED_FOR = re.compile(_ODDS_HOLDER + r"(?P<x>.+?)\s+at\s+[\d.]+\s+for\s+(?P<np>[^,]+)", re.S)
_CHANCES_OF = re.compile(
    r"(?:.*\bput\s+)?(?P<x>.+?)['’]s?\s+(?:chances|odds|hopes)\s+of\s+(?P<v>[a-z]+ing)\b(?P<rest>.*)",
    re.S,
)


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


_WHETHER_NP = re.compile(r"whether\s+(?:or\s+not\s+)?(?P<c>.+)", re.I | re.S)


def _event(np: str, happens: bool) -> str:
    """A claim that an event named by a noun phrase does, or does not, come about."""
    if (asked := _WHETHER_NP.match(np)) and will_clause(asked["c"]) != asked["c"]:
        said = will_clause(asked["c"])  # "Whether the deal survives is doubtful"
        return said if happens else _negate(said)
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


# A tag of certainty after the claim is its weight, not its content: ", I'd bet on that".
_TRAILING_TAG = re.compile(
    r"\s*[,;–—.!-]\s*(?:and\s+)?(?:(?:I['’]d|I\s+would)\s+(?:bet|put\s+(?:good\s+|real\s+)?money|stake\s+my\s+\w+"
    r"|put\s+my\s+\w+)\s+on\s+(?:it|that)|mark\s+(?:my\s+words|it\s+down)|no\s+question|book\s+it"
    r"|write\s+it\s+in\s+(?:pen|ink)|screenshot\s+this|bank\s+on\s+it|you\s+watch|trust\s+me|full\s+stop"
    r"|calling\s+it(?:\s+now)?|lock\s+it(?:\s+in)?|nailed\s+on|no\s+notes|don['’]t\s+(?:@|at)\s+me"
    r"|bet\s+the\s+(?:house|farm)|you\s+heard\s+it\s+here(?:\s+first)?|end\s+of\s+story)$",
    re.I,
)
_LIST_NUMBER = re.compile(
    r"^(?:\(?\d{1,2}(?:/\d{1,2}|[.)])|@[\w.]+)\s+(?=\S)"
)  # "4. ", "2/7 ", "@handle "
_LEADING_ASIDE = re.compile(r"^[–—-]\s[^–—]{1,160}?\s[–—-]\s+")


_STAGE_NOTE = re.compile(r"^\[[^\]]{1,80}\]\s*")  # "[radio bulletin, transcript] The minister …"
_WHY_HEADLINE = re.compile(r"^Why\s+(?=\S[^?]*\b(?:will|won't)\b[^?]*$)")


def _tidy(claim: str) -> str:
    """One line, a capital first letter, a full stop at the end, and grammatical."""
    text = _LEADING_ASIDE.sub("", " ".join(claim.split()).lstrip(" >•▪‣·"))
    text = _LIST_NUMBER.sub("", text, count=1)
    text = _WHY_HEADLINE.sub(
        "", _STAGE_NOTE.sub("", text, count=1), count=1
    )  # "Why the summit will fail": an explainer's claim
    if tag := _TRAILING_TAG.search(text.rstrip(' .!"”’')):
        text = text[: tag.start()]
    text = _last_sentence(text.lstrip(" –—-,;:"))
    opened = '"' in lead(text)
    text = _without_asides(text[len(lead(text)) :])
    text = _grammatical(text.rstrip(" ,;:–-.!"))
    if text.count('"') % 2:  # '"Salt Orchard" will beat': the lead took the opening quote
        text = f'"{text}' if opened else "".join(text.rsplit('"', 1)).rstrip(" ,;:–-.!")
    if text.endswith(('."', ".”")):  # '"we will see X by Christmas."': one full stop, outside
        text = text[:-2] + text[-1]
    quotes = len(text) - len(text.lstrip("\"'“‘"))
    return f"{text[: quotes + 1].upper()}{text[quotes + 1 :]}." if text else ""


def _without_asides(text: str) -> str:
    """The clause without a condition before it (it is in conditional_on), the aside the cut
    left ('as futures now imply, X') or another holder's view ('X, which the Treasury wants,')."""
    if (m := _CONDITION_LEAD.match(text)) and _MODAL_AHEAD.search(text, m.end()):
        text = text[m.end() :]
    text = _ASIDE_LEAD.sub("", text, count=1)
    return _HOLDER_ASIDE.sub(lambda m: "" if _VIEW.search(m["a"]) else m[0], text)


_CONDITION_LEAD = re.compile(r"(?:if|should|unless|provided|once)\s+(?:[^,;:]|,(?=\d))+,\s+", re.I)
_MODAL_AHEAD = re.compile(r"\b(?:will|won't|would)\b", re.I)
_HOLDER_ASIDE = re.compile(r",\s+(?:as|which|whom)\s+(?P<a>[^,]{1,90}),(?=\s)", re.I)
_VIEW = re.compile(
    r"\b(?:says?|said|wants?|insists?|denies|thinks?|expects?|believes?|hinted|hints|floated"
    r"|lobbying|calling|pushing|points\s+to|planning|chance|likely|put|estimates?|begged|fears?"
    r"|hopes?)\b",
    re.I,
)


def _last_sentence(text: str) -> str:
    """A quote cut as one sentence ('Blackouts? No. But payments will pass'): the last piece
    that is a clause."""
    pieces = _SENTENCE_END.split(text)
    clauses = [p for p in pieces if _is_clause(p)]
    return clauses[-1] if len(pieces) > 1 and clauses else text


_SENTENCE_END = re.compile(
    r"(?<=[a-z][.?!])(?<!\bMr\.)(?<!\bMs\.)(?<!\bDr\.)(?<!\bSt\.)\s+(?=[A-Z])"
)
# What is left of a frame or an aside once the condition before it is cut off: "as futures now
# imply, X", "which several members are pushing for, X", "That means X", "told me X".
_ASIDE_LEAD = re.compile(
    r"^(?:(?:which|that|this)\s+(?:is\s+why|means|tells\s+(?:you|us)|suggests|implies)(?:\s+that)?"
    r",?\s+|(?:as|which)\s+[^,]{1,80},\s+(?=(?:\S+\s+){0,8}?(?:will|won't|would)\b)"
    r"|told\s+(?:me|us|reporters|the\s+\w+)\s+(?:that\s+)?)",
    re.I,
)


_MODAL_ASIDE = re.compile(
    r"\b(?P<m>will|would|won't)\s*,?\s+(?:of\s+course|no\s+doubt|surely|doubtless|inevitably"
    r"|characteristically|predictably|again|once\s+again),\s+",
    re.I,
)


def _grammatical(text: str) -> str:
    """No two modals in a row, no 'There will be' before a clause, no dangling last word, a
    finite verb."""
    text = _MODAL_ASIDE.sub(r"\g<m> ", text)  # "will, of course, call" → "will call"
    text = _MODAL_COMMA.sub(r"\1 ", _DOUBLE_COMMA.sub(",", text))  # "will, , hold" → "will hold"
    text = _will_for_would(_unhedged(text))
    text = _MODAL_PAIR.sub(lambda m: m[1] + (" not" if _NOT.search(m[0], len(m[1])) else ""), text)
    if (m := _THERE_WILL_BE.match(text)) and _is_clause(m["c"]):
        text = will_clause(m["c"])
    elif m and (p := _NP_PARTICIPLE.match(m["c"])):  # "to see the review pushed into 2027"
        text = f"{p['np']} will be {p['rest']}"
    while (m := _DANGLING.search(text)) and m.start() > 0:
        text = text[: m.start()].rstrip(" ,;:–-")
    text = _OPEN_QUOTE_TAIL.sub("", text)  # "stay where they are 'for": a quote cut after its word
    if not _is_clause(text):
        said = will_clause(text)
        text = (
            said
            if _is_clause(said) and not _POSSESSED_PLURAL.match(text)
            else f"{text} will come about"
        )
    return text


def _will_for_would(text: str) -> str:
    """'would' about what is to come reads 'will' (R-p 3): the claim's first 'would' when no
    'will' comes before it, and 'and would' after one."""
    first = _WOULD.search(text) or _SHOULD.search(text)
    if first and not _MODAL_AHEAD.search(text, 0, first.start()) and not _REPORTED.search(text):
        text = f"{text[: first.start()]}will{text[first.end() :]}"
    return _AND_WOULD.sub(" and will", text) if _WILL.search(text) else text


_WOULD = re.compile(
    r"(?<!\bwhich\s)(?<!\bthat\s)(?<!\bwho\s)(?<!\bI\s)(?<!\bwe\s)(?<!\bWe\s)"
    r"\bwould(?:\s+(?:likely|probably))?\b"
)
_SHOULD = re.compile(r"\b(?:should|ought\s+to)(?!\s+(?:have|not)\b)")  # epistemic, in a forecast
_AND_WOULD = re.compile(r",?\s+and\s+would(?:\s+(?:likely|probably))?\b", re.I)
_WILL = re.compile(r"\bwill\b", re.I)
_REPORTED = re.compile(r"\b(?:said|predicted|thought|warned|argued|if|unless|whether)\b", re.I)


def _unhedged(text: str) -> str:
    """Hedges left inside the clause: 'will, very likely, signal', 'add perhaps a thousand homes'
    (about a thousand), 'by the end of the year, perhaps sooner', 'maybe by a couple of
    thousand'."""
    text = _ADVERB_AFTER_MODAL.sub(lambda m: m["m"], text)
    text = _GOING_TO.sub(lambda m: "will not" if m["neg"] else "will", text, count=1)
    text = _HEDGED_AMOUNT.sub("about ", text)
    text = _HEDGED_BY.sub(" by", text)
    return _HEDGED_TAIL.sub("", text)


_GOING_TO = re.compile(
    r"\b(?:is|are|am)\s+(?:(?:\w+ly|almost\s+certainly|in\s+all\s+(?:likelihood|probability)),?\s+)*"
    r"(?P<neg>not\s+)?going\s+to\b(?=\s+[a-z])",
    re.I,
)
_HEDGE_WORD = r"(?:perhaps|maybe|possibly|probably)"
_HEDGED_AMOUNT = re.compile(
    rf"\b{_HEDGE_WORD}\s+(?=[$€£]?\d|an?\s+(?:thousand|hundred|million|billion|dozen|third"
    r"|quarter|half)\b)",
    re.I,
)
_HEDGED_BY = re.compile(rf",?\s+{_HEDGE_WORD}\s+by\b", re.I)
_HEDGED_TAIL = re.compile(  # the hedge word itself may be gone already (it set p)
    rf",\s+(?:{_HEDGE_WORD}\s+(?:[\w-]+\s*){{1,2}}|(?:sooner|earlier|later|higher|lower|longer))"
    r"(?=['\"’]?$)",
    re.I,
)


def _is_clause(text: str) -> bool:
    if has_modal(text, months=True) or _FINITE.search(text):
        return True
    return will_clause(text) != text and not _POSSESSED_PLURAL.match(text)


# "our each-way fancies for the Open": a plural noun after a possessive, not a verb
_POSSESSED_PLURAL = re.compile(
    r"(?:our|my|their|his|her|its)\s+(?:[\w-]+\s+)?[a-z]+s\b(?!\s+(?:to|that)\b)", re.I
)


def _modal_hedge(before: str, verb: str, after: str, flipped: bool) -> str:
    """'The coalition cannot survive X' → 'The coalition will not survive X' (turned round);
    'the plan risks alienating X' → 'the plan will alienate X'; 'would' reads 'will'."""
    after = _POSSIBLY.sub("", after, count=1)
    if m := _GERUND_FIRST.match(after):
        after = f" {base(m['v'])}{m['rest']}"
    elif after.strip() and not _BARE_VERB.match(after):  # "risks a recession": an event
        return _event(after.strip(" ,"), not flipped)
    modal = f"{verb} not" if flipped and "not" not in verb else verb
    if flipped and "not" in verb:
        modal = "will"
    return f"{before.rstrip()} {modal} {after.strip()}"


# Present-tense idioms, picks, targets and projections, restated with "will" (cues.py).
_CONTESTANT = re.compile(
    r"\b(?:incumbent|candidate|challenger|team|side|club|champions?|president|premier|prime"
    r"\s+minister|chancellor|manager|coach|senator|governor|mayor|leader|favourite|favorite"
    r"|nominee|they|he|she|(?!(?:The|A|An|This|That|These|Those|Its|Their|Our|His|Her|My|Your)\b)"
    r"[A-Z][a-z]+)\b"
)
_FALLS = re.compile(r"\b(?:government|coalition|cabinet|regime|administration|ministry)\b", re.I)
_FAVOURITE_AFTER = re.compile(
    r"\s*(?:on\s+)?favou?rites?(?:\s+to\s+(?P<vp>[^,;]+)|\s+for\s+(?P<np>[^,;]+))?(?:[,;]|$)", re.I
)
_RATIO_NAME = re.compile(
    r"\s*(?P<x>[\"“]?[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3}[\"”]?)\s*(?:,|$)"
)
_PRICE_LEAD = re.compile(r"\s+(?:as|at|is|are|an?)\s*$", re.I)
_FOR_NP = re.compile(r"\s*for\s+(?P<np>.+)", re.S)
_PROGRESSIVE_WORDS = re.compile(r"(?P<v>\w+ing)$", re.I)
_BY_MARGIN_WORDS = re.compile(
    r"(?:honestly,?\s+|and\s+)?(?P<np>.+?)\s+(?P<by>by\s+.+|\d{1,3}[-–]\d{1,3})$", re.I | re.S
)
_IN_N_WORDS = re.compile(r"(?P<np>.+?)\s+in\s+(?P<n>.+)$", re.S)
_ENDS_WORDS = re.compile(r"(?P<v>\w+)\s+(?P<t>.+?)\s+(?P<l>north\s+of|south\s+of|\w+)\s*$", re.S)
_TARGET_WORDS = re.compile(
    r"(?:our|my|the|their|a|its|we|i)\s+(?:(?:have|set|keep)\s+an?\s+)?(?P<q>(?:[\w&-]+\s+){0,3}?)"
    r"(?P<t>target|number|estimate)(?:\s+for\s+(?P<np>.+?))?\s+(?:is|remains|of|stays|:)"
    r"(?:\s+now|\s+still)?\s*$|(?:we|i)\s+target\s*$",
    re.I | re.S,
)
_TARGET_QUALIFIER = re.compile(
    r"^(?:price|year-end|end-of-year|\d+-month|twelve-month|new|revised|raised|base|bull|bear"
    r"|official|long-term|medium-term)$",
    re.I,
)
_LEVELS = {"north of": "above", "south of": "below", "past": "above", "beyond": "above"}
_PICK_BEAT = re.compile(
    r"(?P<x>.+?)\s+(?:over|to\s+beat|against|ahead\s+of|vs\.?|versus)\s+(?P<y>.+)", re.S
)
_PICK_TO = re.compile(r"(?P<x>.+?)\s+to\s+(?P<vp>[a-z].*)", re.S)
_PICK_IN = re.compile(
    r"(?P<x>.+?)\s+in\s+(?P<n>three|four|five|six|seven|straight\s+sets|\d)\b(?P<r>.*)", re.S
)
_PICK_SPREAD = re.compile(r"(?P<x>.+?)\s+(?:covers?\s+)?(?P<s>[+-]\d+(?:\.5)?)\b(?P<r>.*)", re.S)
_PICK_LABEL_TAIL = re.compile(r"\s+(?:is|are)\s+(?:my|our|the)\b.*$", re.I | re.S)
_PICK_ANYTIME = re.compile(
    r"(?P<x>.+?)\s+(?:anytime\s+(?:touchdown|TD|goal\s*scorer|goal|scorer))(?P<r>.*)", re.I | re.S
)
_PICK_SPREAD_OVER = re.compile(
    r"(?P<x>.+?)\s+(?:covers?\s+)?(?P<s>[+-]\d+(?:\.5)?)\s+(?:over|against|vs\.?|versus|at)\s+(?P<y>.+)",
    re.S,
)
_PICK_LINE_TOTAL = re.compile(
    r"(?:(?P<x>.+?)\s+)?(?P<side>over|under)\s+(?P<n>\d+\.5)(?P<r>(?:(?!\s+for\s).)*)"
    r"(?:\s+for\s+(?P<who>.+))?",
    re.I | re.S,
)
_PICK_WIN = re.compile(r"(?P<x>.+?)\s+(?:for|to\s+win)\s+(?P<np>.+)", re.S)
_PICK_TOTAL = re.compile(r"the\s+(?P<side>over|under)\b(?P<r>.*)", re.I | re.S)
_ODDS_TAIL = re.compile(
    r"\s*\([^)]*\)|\s+(?:here|tonight|again|straight\s+up|on\s+the\s+moneyline)\b"
    r"|\s+at\s+[+-]\d{3,4}\b|\s*(?:\bat\b|@|,)\s*(?:\d{1,3}/\d{1,2}|evens|evs)(?![\d/]).*"
    r"|\s+(?:to\s+win|ML)$",
    re.I | re.S,
)
_FAVOUR = re.compile(r".*?\bin\s+favou?r\s+of\s+(?P<np>.+)|\s*for\s+(?P<np2>[A-Z].+)", re.I | re.S)
# The verb may be missing: the frame ("The model has") is the believer, outside the clause.
_MODEL_BEFORE = re.compile(
    r"(?:.*\b(?:has|have|put|puts|give|gives|rate|rates|price|prices|peg|pegs|see|sees)\s+)?"
    r"(?P<np>.+?)\s+(?:at|on)\s+(?:about\s+|around\s+|roughly\s+)?$",
    re.I | re.S,
)
_SLIM_OF = re.compile(
    r"\b(?:chances?|odds|prospects|likelihood|hopes)\s+(?:of|for)\s+(?P<np>.+)$", re.I | re.S
)
_CERTAIN_SHAPES = {
    "toast",
    "over",
    "lock",
    "happens",
    "no-show",
    "relegated",
    "days over",
    "unreal",
}
_ASIDE = re.compile(
    r"(?:meanwhile|frankly|though|however|surely|by\s+contrast|of\s+course|as\s+a\s+practical\s+matter"
    r"|i'm\s+afraid|i\s+fear|let\s+us\s+be\s+clear|let's\s+be\s+clear|in\s+short|honestly|sadly"
    r"|alas|mark\s+my\s+words|in\s+my\s+view|for\s+now|for\s+what\s+it's\s+worth|i\s+suspect|i\s+think"
    r"|to\s+be\s+fair|at\s+this\s+point|nah|yeah|look|well|sorry|then|now|again|too|also"
    r"|let\s+us\s+stop\s+pretending|simple|honestly)",
    re.I,
)
_TOWARDS = re.compile(r"^(?:for|towards?)\s+", re.I)
_AWARD = re.compile(r"(?P<award>.+?)\s+goes\s+to$", re.S)
_CHANCE_TO = re.compile(r"\s*(?:chance\s+)?(?:to|of)\s+(?P<vp>.+)", re.S)
_HAS_CHANCE = re.compile(
    r"(?P<np>.+?)\s+(?:have|has|stand|stands)\s+an?\s+(?:[\w-]+\s+)?(?:chance|shot)\s+of\s+"
    r"(?P<v>[a-z]+ing)\b(?P<rest>[^,;]*)",
    re.S,
)
_SHARED_SUBJECT = re.compile(
    r"(?P<np>[^,;:]{2,80}?)\s+(?:will|would|won't|could|may|might|cannot|can't|is|are)\b", re.S
)
_DETERMINER_BEFORE = re.compile(r"\b(?:the|its|their|these|those|of|and|our|his|her)\s+$", re.I)
_OWN_ODDS = re.compile(
    r",\s*which\s+(?:I|we)(?:'d|\s+would)?\s+(?:put|rate|give|make|say|call|reckon)\b", re.I
)
_WEAK = re.compile(r"\b(?:could|might|may)(?:\s+well)?\b(?!\s+not)", re.I)
_POSSIBLY = re.compile(
    r"^\s*(?:possibly|really|simply|ever|conceivably|realistically|probably|likely|almost\s+certainly"
    r"|certainly|surely|definitely|in\s+all\s+(?:likelihood|probability))\b,?",
    re.I,
)
_JUDGEMENT = re.compile(
    r"\s*(?:(?:less|more|very|quite|pretty|fairly|rather|even)\s+)?(?:simple|simpler|clear|clearer"
    r"|straightforward|easy|exciting|dull|boring|bold|blunt|stark|obvious|different)\s*",
    re.I,
)
_COLON_TAIL = re.compile(
    r"\s*:\s*(?P<c>[^;:]+?)(?:,\s+(?:whatever|regardless|no\s+matter)\b[^;:]*)?(?:[;:]|$)", re.I
)
_IF_TAIL = re.compile(r"\s*,?\s*(?:if|when|that)\s+(?P<c>[^;:]+)", re.I)
_GERUND_FIRST = re.compile(r"\s*(?P<v>[a-z]+ing)\b(?P<rest>.*)", re.S)
_BARE_VERB = re.compile(r"\s*[\"'“‘]?(?:not\s+)?(?:be|have|[a-z]+)\b", re.S)


_OBJECT_PRONOUNS = {"them": "They", "him": "He", "her": "She", "us": "We"}
_FOR_ME = re.compile(
    r"\s+(?:for\s+me|in\s+my\s+book|here|now|(?:of|on)\s+the\s+(?:weekend|week|day|night|card|meeting"
    r"|round|coupon))\b.*$|\s*(?:\bat\b|@|,)\s*(?:\d{1,3}/\d{1,2}|evens)(?![\d/]).*$",
    re.I | re.S,
)


def _fancied(words: str, subject: str | None, after: str) -> str | None:
    """'I fancy them to edge the title' → 'They will edge the title'; 'Sydney are a good thing
    here', 'a South African winner is odds-on for me' → the subject wins."""
    if words.lower().startswith(("i ", "we ")) and (m := _PICK_TO.fullmatch(after.strip())):
        return f"{_OBJECT_PRONOUNS.get(m['x'].lower(), m['x'])} will {m['vp']}"
    after = _FOR_PRIZE.sub(" ", _FOR_ME.sub("", after))  # "my pick for Player of the Year"
    return f"{subject} will win{after}" if subject else None


_FOR_PRIZE = re.compile(r"^\s+for\s+(?=(?:the\s+)?(?-i:[A-Z]))", re.I)


_RELATIVE_ASIDE = re.compile(r",\s+(?:which|who|whose|where)\b[^,;:]*,")


def _shaped(before: str, anchor: Cue, after: str, year: int | None, flipped: bool) -> str | None:
    """The 'will' claim of a cue with a shape, or None to build it the usual way."""
    subject = _own_subject(_RELATIVE_ASIDE.sub("", before).strip(" ,"))
    shape = anchor.shape
    if shape == "surprise" and subject:  # "A first-round exit would not surprise me"
        return _event(subject, not flipped)
    if shape == "surprised if" and after.strip():  # "I'd be surprised if the talks failed"
        return _maybe_negated(_surprising(after.strip(" ,"), anchor.words), flipped)
    if shape == "headline" and subject:  # "Heating oil prices poised to rise"
        return f"{subject} will {after.strip()}"
    if shape == "consequent":  # "If X, President Oruç wins a fourth term"
        return will_clause(f"{anchor.words}{after}")
    if shape == "pick words":  # "Ravens over the Bengals is the safest pick"
        return _pick(anchor.words)
    if shape == "slim" and (m := _SLIM_OF.search(subject)):
        return _event(m["np"].strip(), happens=False)
    if shape == "belief":  # "I think it goes ahead", "I doubt he gets there" (turned round)
        rest = after.strip(" ,:")
        if subject and rest.split() and rest.split()[0] in BASE_VERBS:  # "Ireland, I think, win"
            return _maybe_negated(f"{subject} will {rest}", flipped)
        said = will_clause(rest)
        if said == rest and (projected := _projected(rest)):  # "the Tories winning 150 seats"
            said = projected
        return _maybe_negated(said, flipped)
    if shape == "projection" and flipped and (projected := _projected(after.strip(" ,:"))):
        return _negate(projected)  # "Don't count on a rebound": there will not be one
    if shape == "set for" and subject:  # "Housing starts are set for their weakest year"
        return f"{subject} will have {after.strip()}"
    if shape == "not coming" and subject:  # "A repeat is not on the cards"
        return f"{subject} will not happen{after}"
    if shape == "coming" and subject:  # "A recession is coming", "A deal is on the cards"
        return f"{subject} will {'come' if 'coming' in anchor.words else 'happen'}{after}"
    if shape == "peaked":
        return f"{subject or 'The price'} will not rise above its current peak{after}"
    if shape == "headed" and subject:
        return f"{subject} will end up {_TOWARDS.sub('in ', after.strip(), count=1)}"
    if shape == "goes to" and (m := _AWARD.match(anchor.words)):
        return f"{after.split(',')[0].strip()} will win {m['award']}"
    if shape in _CERTAIN_SHAPES and subject:
        return _certain(subject, shape, after)
    if shape == "to lose" and subject and (m := _TO_LOSE_WORDS.search(anchor.words)):
        if subject.lower() in ("it", "this", "that"):  # "It's Nadia Kerr's to lose"
            return f"{m['who']} will win"
        return f"{m['who']} will win {_THE.sub('the', subject, count=1)}{after}"
    if shape == "progressive" and subject and (m := _PROGRESSIVE_WORDS.search(anchor.words)):
        negated = _NOT.search(anchor.words) or "n't" in anchor.words
        return f"{subject} will{' not' if negated else ''} {base(m['v'])}{after}"
    if shape == "wins this" and subject:
        verb, rest = anchor.words.split(maxsplit=1)
        return f"{subject} will {base(verb)} {rest}{after}"
    if shape == "by margin" and (m := _BY_MARGIN_WORDS.match(anchor.words)):
        return f"{m['np']} will win {m['by']}{after}"  # "Sweden by fifty points", "Harker 5-2"
    if shape == "in n" and (m := _IN_N_WORDS.match(anchor.words)):
        return f"{m['np']} will win in {m['n']}{after}"
    if shape == "pick":
        return _pick(after.strip(" ,:"))
    if shape == "table" and (m := cues.TABLE_ROW.match(anchor.words)):
        return table_claim(m)
    if shape == "role":
        return _role(anchor.words, after.strip(" ,:"))
    if shape == "fancy":
        return _fancied(anchor.words, subject, after)
    if shape == "price" and subject:  # "the Brumbies are $1.45 with the bookies"
        return f"{_OBJECT_PRONOUNS.get(subject.lower(), subject)} will win"
    if shape in ("projection", "see"):
        return _projected(after.strip(" ,:"))
    if shape == "ends at" and subject and (m := _ENDS_WORDS.match(anchor.words.strip())):
        period = str(year) if year and m["t"].lower() == "the year" else m["t"]
        level = _LEVELS.get(" ".join(m["l"].lower().split()), m["l"])
        return f"{subject} will {base(m['v'])} {period} {level} {after.strip()}"
    if shape == "target" and (m := _TARGET_WORDS.match(anchor.words.strip())):
        verb = "reach" if m["t"] in (None, "target") else "be"
        return f"{_target_subject(m, subject)} will {verb} {after.strip()}"
    if shape == "ratio" and (m := _FAVOURITE_AFTER.match(after)):  # "Japan as 5/4 favourites"
        who = _own_subject(_PRICE_LEAD.sub("", before).strip(" ,"))
        return f"{who} will {m['vp'] or 'win ' + (m['np'] or '')}".rstrip()
    if shape == "ratio" and (m := _RATIO_NAME.match(after)):  # "60/40 Orchard, with the rest"
        return f"{m['x']} will win"
    if shape == "ratio" and (m := _FAVOUR.match(after)):
        return _pick((m["np"] or m["np2"]).strip())
    if shape == "model at" and (m := _MODEL_BEFORE.match(before)):
        return _model_claim(m["np"], after)
    return None


def _surprising(clause: str, words: str) -> str:
    """The event of 'surprised if the Fed cuts' / 'if it failed' / 'to see Brent at $100'."""
    if words.lower().endswith(" see"):  # "to see X take it", "to see Brent at $100"
        return _bare_infinitive(clause) or _projected(clause) or clause
    will = will_clause(clause)
    return past_as_will(will) if will == clause else will


def _bare_infinitive(clause: str) -> str | None:
    """'the lead of "Gravel" take it' → 'the lead of "Gravel" will take it'."""
    for m in re.finditer(r"(?<=\s)[a-z]+\b", clause):
        np = clause[: m.start()].strip()
        if m[0] in BASE_VERBS and _noun_phrase(np):
            return f"{np} will {clause[m.start() :]}"
    return None


_CLAUSE_COMMA = re.compile(r",(?!\d{3}\b)")


def _own_subject(subject: str) -> str:
    """The subject next to the idiom: 'As for the plan, that plan' → 'that plan'; asides such as
    'meanwhile' or 'I'm afraid' dropped."""
    pieces = _CLAUSE_COMMA.split(subject)  # "10,000" is one number, not two pieces
    parts = [p.strip() for p in pieces if p.strip() and not _ASIDE.fullmatch(p.strip())]
    return parts[-1] if parts else subject


_TARGET_NP = re.compile(
    r"^(?:[\w'’-]+\s+){0,3}(?:target|goal|pledge|promise|deadline)\b",
    re.I,
)


def _certain(subject: str, shape: str | None, after: str) -> str:
    """'The incumbent is toast' → 'The incumbent will lose'; 'X is a lock for Y': X wins Y."""
    if shape == "unreal" and _TARGET_NP.search(subject):  # "The target is a fantasy"
        return f"{subject} will not be met{after}"
    if shape == "unreal":
        return f"{subject} will not come about{after}"
    if shape == "over":
        return f"The current leader will win {subject[:1].lower()}{subject[1:]}{after}"
    if shape == "happens":
        return f"{subject} will go ahead{after}"
    if shape == "no-show":
        return f"{subject} will not appear{after}"
    if shape == "relegated":
        return f"{subject} will be relegated{after}"
    if shape == "days over":
        return f"{subject} will not return{after}"
    if shape == "lock":
        return _locked(subject, after)
    verb = "fall" if _FALLS.search(subject) else "lose" if _CONTESTANT.search(subject) else "fail"
    return f"{subject} will {verb}{after}"


def _locked(subject: str, after: str) -> str:
    """'X is a lock to win' / 'for the top four' / 'for the drop'; a lock with no contest named
    is a contestant's win, or an event's going ahead ('The deal is a lock')."""
    if m := _TO_VP.match(after):
        return f"{subject} will {m['vp']}"
    if m := _FOR_NP.match(after):
        return f"{subject} will {_PLACES.get(_place(m['np']), 'win')} {m['np']}"
    if _CONTESTANT.search(subject) and not _EVENT.search(subject):
        return f"{subject} will win{after}"
    if _DETERMINER.match(subject):  # "A June cut is nailed on"
        return f"{_event(subject, True)}{after}"
    return f"{subject} will go ahead{after}"


def _place(np: str) -> str:
    """The kind of place a contestant is a lock for: 'the top four' → 'top'."""
    m = _PLACE.match(np)
    return m["p"].lower() if m else ""


_PLACE = re.compile(r"(?:the\s+)?(?P<p>top|bottom|playoffs|knockouts?|final|semi-?finals?)\b", re.I)
_PLACES = {"top": "finish in", "bottom": "finish in", "playoffs": "make"} | dict.fromkeys(
    ("knockout", "knockouts", "final", "semifinal", "semifinals", "semi-final", "semi-finals"),
    "reach",
)
_EVENT = re.compile(
    r"\b(?:deal|merger|takeover|bid|cut|hike|hold|rise|fall|vote|bill|sale|listing|launch|strike"
    r"|reform|plan|election|referendum|ceasefire|agreement|treaty|move|rally|recession)\b",
    re.I,
)


_ROLES = (
    (re.compile(r"relegat|going down|the drop", re.I), "will be relegated"),
    (re.compile(r"promot", re.I), "will be promoted"),
    (re.compile(r"scorer|boot", re.I), "will be top scorer"),
    (re.compile(r"top (?P<n>\w+)", re.I), "will finish in the top {n}"),
    (re.compile(r"bottom|wooden", re.I), "will finish bottom"),
    (re.compile(r"runner", re.I), "will finish second"),
    (re.compile(r"quarter", re.I), "will reach the quarter-finals"),
    (re.compile(r"semi", re.I), "will reach the semi-finals"),
    (re.compile(r"finalist", re.I), "will reach the final"),
    (re.compile(r"first", re.I), "will be the first manager to lose their job"),
    (re.compile(r"(?P<n>\w+ of the \w+)", re.I), "will be named {n}"),
    (re.compile(r"ballon", re.I), "will win the Ballon d'Or"),
)


def table_claim(m: re.Match[str]) -> str:
    """'Brent ($/bbl): Q4-25f 64' → 'Brent ($/bbl) will be 64 in Q4 2025'."""
    period = f"{m['q'].upper()} 20{m['yy']}" if m["q"] else m["yyyy"]
    return f"{m['np'].strip()} will be {m['v'].strip()} in {period}"


def _role(label: str, after: str) -> str | None:
    """'Relegation: Luton, Burnley' → 'Luton will be relegated' (a list by its first pick)."""
    side = _pick(after)
    if side is None or not side.endswith(" will win"):
        return side
    for pattern, form in _ROLES:
        if m := pattern.search(label):
            return f"{side.removesuffix(' will win')} {form.format(**m.groupdict()).lower()}"
    return side


NO_CLAIM = ""  # a pick whose side cannot be restated: the candidate is dropped
_BARE_NUMBER = re.compile(r"[−+-]?\d+(?:\.\d+)?")
_DRAW = re.compile(r"(?:the\s+|a\s+)?draw(?:\s+in\s+(?P<m>(?-i:[A-Z]).{2,40}))?", re.I)


def _pick(side: str) -> str | None:
    """The claim of a pick: 'Lyon over Porto' → 'Lyon will beat Porto'."""
    side = _FIRST_SENTENCE.split(side, maxsplit=1)[0]  # "Orlić. Runner-up: X": the pick is Orlić
    if (named := side.split(", ", 1)[0]) != side and _SIDE.fullmatch(named):
        side = named  # "Castellà, whose grass game is better": the name, not its praise
    side = _TRAILING_TAG.sub("", _ODDS_TAIL.sub("", side).strip(" ,.")).strip(" ,")
    if not side:
        return None
    if _BARE_NUMBER.fullmatch(side):  # "I'm going with −4": a score, not a side to restate
        return NO_CLAIM
    if m := _THAT_CLAUSE.match(side):
        return will_clause(m["c"])
    if m := _DRAW.fullmatch(side):
        return f"{m['m'] or 'The match'} will end in a draw"
    if m := _PICK_TOTAL.match(side):
        verb = "go over" if m["side"].lower() == "over" else "stay under"
        return f"The combined score{m['r']} will {verb} the posted total"
    side = _PICK_LABEL_TAIL.sub("", side)
    if m := _PICK_ANYTIME.fullmatch(side):
        return f"{m['x']} will score{m['r']}"
    if m := _PICK_LINE_TOTAL.fullmatch(side):
        who = m["x"] or m["who"]
        verb = "go over" if m["side"].lower() == "over" else "stay under"
        return f"{who} will {verb} {m['n']}{m['r']}" if who else f"There will be {m[0]}"
    for pattern, form in (
        (_PICK_SPREAD_OVER, "{x} will cover the {s} spread against {y}"),
        (_PICK_BEAT, "{x} will beat {y}"),
        (_PICK_TO, "{x} will {vp}"),
        (_PICK_IN, "{x} will win in {n}{r}"),
        (_PICK_SPREAD, "{x} will cover the {s} spread{r}"),
        (_PICK_BY, "{x} will win {by}"),
        (_PICK_WIN, "{x} will win {np}"),
    ):
        if m := pattern.fullmatch(side):
            return form.format(**m.groupdict())
    if (m := _NP_GERUND.fullmatch(side)) and _noun_phrase(m["np"]) and len(m["np"].split()) <= 4:
        return f"{m['np']} will {base(m['v'])}{m['rest']}"
    return f"{side} will win"


def _projected(clause: str) -> str | None:
    """'unemployment at 5% by June' → 'Unemployment will be at 5% by June'; 'two cuts' →
    'There will be two cuts'."""
    clause = _LEADING_ASIDE.sub("", clause)  # "On current trends – the last six months ... – X"
    if not clause:
        return None
    if m := _HOLDER_SEES.match(clause):  # "the bank sees inflation averaging 0.2%"
        clause = m["rest"]
    clause = _TO_WILL.sub(_will, clause)  # "is projected to reach"
    if has_modal(clause, months=True):
        return clause
    if _COUNTED_NP.match(clause) and (m := _PARTICIPLE.match(clause)):  # "a further 30 cases
        return f"{_subject_case(m['np'])} will be {m['pp']}{m['rest']}"  # reported by June"
    if (m := _NP_TO_VP.fullmatch(clause)) and _noun_phrase(m["np"]) and _verb_first(m["vp"]):
        return f"{_subject_case(m['np'])} will {m['vp']}"
    if gerund := _gerund_clause(clause):
        return gerund
    if will_clause(clause) != clause:
        return will_clause(clause)
    if (m := _UP_DOWN.match(clause)) and _noun_phrase(m["np"]):
        return f"{_subject_case(m['np'])} will be {m['r']}"
    if _SIDE.fullmatch(clause.strip(" .")):  # "I'd bet on Lyon": a side in a contest
        return f"{clause.strip(' .')} will win"
    if (m := _AS_THE.match(clause)) and _noun_phrase(m["np"]):  # "Reform UK as the largest party"
        return f"{_subject_case(m['np'])} will be {m['r']}"
    if (m := _LEVEL_AFTER.match(clause)) and _noun_phrase(m["np"]):
        if _COUNTED.match(m["r"]) and m["l"].lower() in ("at", "on"):  # "Labour on 148 seats"
            return f"{_subject_case(m['np'])} will win {m['r']}"
        if m["l"].lower() == "on":
            return _noun_claim(clause)
        level = _LEVELS.get(" ".join(m["l"].lower().split()), m["l"])
        return f"{_subject_case(m['np'])} will be {level} {m['r']}"
    return _noun_claim(clause)


_HOLDER_SEES = re.compile(
    r"(?:the|our|its|their|his|her)\s+(?:[\w'-]+\s+){0,3}?(?:sees|expects|projects|forecasts"
    r"|predicts|pencils\s+in)\s+(?P<rest>.+)",
    re.I | re.S,
)
_OF = re.compile(r"\s+of\b", re.I)
_PARTICIPLE = re.compile(
    r"(?P<np>.+?)\s+(?P<pp>reported|recorded|confirmed|built|sold|delivered|installed|shipped"
    r"|completed|added|created|lost|cut|approved|registered|diagnosed)\b(?P<rest>.*)",
    re.S,
)
_COUNTED_NP = re.compile(r"(?:an?\s+|the\s+)?(?:further|another|extra)\s+[\d,.]+\s", re.I)
_PICK_BY = re.compile(
    r"(?P<x>(?:the\s+)?(?-i:[A-Z])[\w'’.&-]*(?:\s+(?-i:[A-Z])[\w'’.&-]*){0,3})\s+(?P<by>by\s+(?:knockout"
    r"|ko|tko|submission|decision|stoppage|unanimous\s+decision|split\s+decision)(?:,\s+[\w\s-]+)?)",
    re.I,
)
_FIRST_SENTENCE = re.compile(r"(?<=\w\w)[.!]\s+(?=[A-Z])")
_SIDE = re.compile(r"(?:the\s+)?(?-i:[A-Z])[\w'’.&-]*(?:\s+(?-i:[A-Z])[\w'’.&-]*){0,3}")
_AS_THE = re.compile(r"(?P<np>.+?)\s+as\s+(?P<r>the\s+.+)", re.I | re.S)
_UP_DOWN = re.compile(r"(?P<np>.+?)\s+(?P<r>(?:up|down)\s+(?:by\s+)?[$€£\d].*)", re.I | re.S)
_NOT_NP_END = re.compile(
    r"(?:,|\b(?:of|to|for|in|on|at|by|with|from|than|and|or|but|well|a|an|the|less|more|very|so"
    r"|too|who|which|that|been|be|is|are|was|were|has|have))$",
    re.I,
)
_OBJECT_PRONOUNS = {"them": "they", "him": "he", "her": "she", "us": "we", "me": "I"}


def _gerund_clause(clause: str) -> str | None:
    """'the dollar weakening into the summer' → 'the dollar will weaken into the summer'; of
    several -ing words the last that follows a noun phrase is the verb ('mass bleaching events
    occurring')."""
    found = None
    for m in _ING.finditer(clause, 0, _within(clause, 7)):
        np, rest = clause[: m.start()].strip(), clause[m.end() :]
        if _noun_phrase(np) and not _OF.match(rest) and m[0].lower() not in _ING_NOT_VERBS:
            found = f"{_subject_case(np)} will {base(m[0])}{rest}"
    return found


def _within(text: str, words: int) -> int:
    m = re.match(rf"(?:\S+\s+){{0,{words}}}", text)
    return m.end() if m else len(text)


_ING = re.compile(r"(?<=\s)[a-z]+ing\b")
_ING_NOT_VERBS = {
    "during",
    "including",
    "following",
    "according",
    "regarding",
    "concerning",
    "pending",
    "something",
    "nothing",
    "anything",
    "everything",
    "spring",
    "morning",
    "evening",
    "king",
    "thing",
    "ceiling",
    "building",
    "funding",
    "spending",
    "pricing",
    "housing",
    "lending",
    "borrowing",
    "earnings",
    "meeting",
    "ruling",
    "rating",
    "polling",
    "bring",
}


def _noun_phrase(np: str) -> bool:
    """Whether words can stand as the claim's subject: no comma, no dangling word, not a bare
    determiner or adverb ('A widening of', 'less exciting', 'turnout of')."""
    words = np.split()
    if not words or len(words) > 12 or _NOT_NP_END.search(np.strip()):
        return False
    if words[0].lower() in ("a", "an", "less", "more", "very", "so", "too", "most"):
        return False
    return not any(_FINITE.fullmatch(w) or (has_modal(w) and w != "May") for w in words)


def _verb_first(vp: str) -> bool:
    """Whether 'to ...' goes on with a verb ('to weaken'), not a noun ('to stagnation')."""
    first = vp.split()[0].lower() if vp.split() else ""
    if first in _NOT_VERB_STARTS:  # "moves the show to its streaming service"
        return False
    return first.isalpha() and not first.endswith(("tion", "ment", "ness", "ity", "ance", "ence"))


_NOT_VERB_STARTS = {"the", "a", "an", "its", "their", "his", "her", "our", "my", "your", "this"}


def _subject_case(np: str) -> str:
    """'them' as a subject is 'they'."""
    return _OBJECT_PRONOUNS.get(np.strip().lower(), np)


_COUNTED = re.compile(
    r"\d[\d,]*\s+(?:seats|votes|games|wins|points|medals|delegates|states)\b", re.I
)
_LEVEL_AFTER = re.compile(
    r"(?P<np>.+?)\s+(?P<l>at|on|above|below|near|around|north\s+of|south\s+of|under|over)\s+"
    r"(?P<r>[$€£\d].*)",
    re.I | re.S,
)


def _target_subject(m: re.Match[str], subject: str) -> str:
    """Whose target: 'for the S&P 500', 'our S&P 500 target', else the price."""
    if m["np"]:
        return m["np"].strip()
    words = [w for w in (m["q"] or "").split() if not _TARGET_QUALIFIER.match(w)]
    if words:
        return f"The {' '.join(words)}"
    return subject if subject and not subject.lower().startswith(("we", "i ")) else "The price"


def _model_claim(np: str, after: str) -> str:
    """'our model has the Conservatives at 55%' → 'The Conservatives will win'."""
    if m := _CHANCE_TO.match(after):
        vp = m["vp"]
        first, _, rest = vp.partition(" ")
        return f"{np} will {base(first) if first.endswith('ing') else first} {rest}".rstrip()
    return f"{np} will win"
