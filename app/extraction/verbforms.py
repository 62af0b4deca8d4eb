"""Verb forms a claim needs: the base of 'alienating' or 'collapses', a present clause as 'will'.

A small lexicon for the forms spelling rules get wrong, then the rules; no tagger needed.
"""

import re

_BASE = {
    "is": "be",
    "are": "be",
    "am": "be",
    "has": "have",
    "does": "do",
    "goes": "go",
    "having": "have",
    "being": "be",
    "dying": "die",
    "lying": "lie",
    "tying": "tie",
}
_E_AFTER = {
    "rais",
    "eas",
    "clos",
    "retir",
    "ris",
    "los",
    "mak",
    "tak",
    "com",
    "leav",
    "giv",
    "hik",
    "driv",
    "becom",
    "declin",
    "collaps",
    "produc",
    "reduc",
    "increas",
    "decreas",
    "paus",
    "caus",
    "choos",
    "us",
    "chang",
    "charg",
    "merg",
    "emerg",
    "surg",
    "diverg",
    "writ",
    "shap",
    "scor",
    "secur",
    "ensur",
    "squeez",
    "freez",
    "slid",
    "strik",
    "hop",
    "sav",
    "mov",
    "prov",
    "improv",
    "arriv",
    "achiev",
    "receiv",
    "serv",
    "continu",
    "issu",
    "pursu",
    "valu",
    "escap",
    "tim",
    "revers",
    "balloon",
    "survey",
    "releas",
    "purchas",
    "leas",
    "cur",
    "fac",
    "plac",
    "pric",
    "forc",
    "announc",
    "advanc",
    "financ",
    "balanc",
    "bounc",
    "welcom",
    "overcom",
    "outpac",
    "liv",
    "resolv",
    "solv",
    "involv",
    "dissolv",
    "revok",
    "invok",
    "provok",
    "evok",
    "stok",
    "wak",
    "quak",
    "shak",
    "brak",
    "bak",
    "rat",
    "stat",
    "dat",
    "wast",
    "tast",
    "hast",
    "past",
    "fad",
    "trad",
    "wad",
    "invad",
    "evad",
    "persuad",
    "decid",
    "divid",
    "provid",
    "guid",
    "rid",
    "hid",
    "rul",
    "fil",
    "pil",
    "til",
    "smil",
    "compil",
    "sampl",
    "settl",
    "handl",
    "tackl",
    "struggl",
    "doubl",
    "tripl",
    "troubl",
    "stumbl",
    "crumbl",
    "tumbl",
    "rumbl",
    "wobbl",
    "bubbl",
    "juggl",
    "haggl",
    "cycl",
    "recycl",
    "unveil",
    "unravel",
}
_KEEP = {"balloon", "survey", "unveil", "unravel"}
_DOUBLED = re.compile(r"([bdgklmnprtz])\1$")
_E_ENDINGS = re.compile(r"(?:[^aeiou]at|iz|is|yz|v|[^aeiou]uc|dg|ng(?=e)|rg|lg|ur|ag)$")
_MODAL = re.compile(
    r"\b(?:will|won't|shall|would|can|cannot|could|may|might|must|should)\b|'ll\b", re.I
)
# A present-tense clause: a subject of one to six words, then a verb in -s.
_PRESENT_VERB = re.compile(
    r"(?<=\s)(?P<not>(?:does\s+not|doesn't|do\s+not|don't)\s+)?(?P<v>isn't|aren't|[a-z]+(?:s|es)|is|are)\b"
    r"(?!')"
)
_PRESENT = re.compile(
    r"^(?P<np>(?:[\w$€£.,'-]+\s+){1,6}?)(?P<not>(?:does\s+not|doesn't|do\s+not|don't)\s+)?"
    r"(?P<v>[a-z]+(?:s|es)|is|are|isn't|aren't)\b(?P<rest>.*)$",
    re.S,
)
_DO_NOT = re.compile(
    r"^(?P<np>(?:[\w$€£.'-]+\s+){1,6}?)(?:does\s+not|doesn't|do\s+not|don't)\s+(?P<v>[a-z]+)\b"
    r"(?P<rest>.*)$",
    re.S,
)
_NOT_A_SUBJECT = re.compile(
    r"^(?:for|to|in|on|at|of|with|by|from|as|if|when|between|about|around|over|under|than)\b"
    r"|\b(?:is|are|was|were|be|been|not|has|have"
    r"|had|will|would|can|could)\b",
    re.I,
)


def _plural_subject(verb: str, np: str, rest: str) -> bool:
    """An -s word that is no third-person verb: 'across', 'diagnosis', or a plural noun whose
    verb comes later ('the big floating projects in the Celtic Sea are out')."""
    if _NOUN_ENDING.search(verb):
        return True
    return bool(_ARTICLE_START.match(np) and _LATER_ARE.match(rest))


_ARTICLE_START = re.compile(r"(?:the|these|those|its|their|our|his|her)\s", re.I)
_LATER_ARE = re.compile(
    r"(?:(?!\b(?:that|which|who|when|if|as|because|while|and|but)\b)[^,;])*?\b(?:are|aren't)\b"
)
# "across", "diagnosis", "stimulus", "economics": an -s that is no third person.
_NOUN_ENDING = re.compile(r"(?:ss|sis|[^e]us|ics)$")
_NOUN_AFTER = re.compile(r"-|\s+of\b|\s+(?:at|for)\s+[$€£\d]", re.I)
_OPEN_END = re.compile(
    r"\b(?:the|a|an|its|their|his|her|our|my|your|this|that|these|those|with|of|for|to|in|on|at"
    r"|by|from|and|or|but)\s+$",
    re.I,
)
_LEVEL_VERBS = {
    "peaks",
    "averages",
    "tops",
    "trades",
    "sits",
    "stands",
    "closes",
    "ends",
    "finishes",
    "hovers",
    "settles",
    "bottoms",
    "stays",
    "remains",
    "holds",
    "comes",
    "lands",
    "opens",
}
_ARTICLES = {
    "a",
    "an",
    "the",
    "this",
    "that",
    "these",
    "those",
    "its",
    "their",
    "our",
    "his",
    "her",
}
_DETERMINERS = _ARTICLES | {
    "less",
    "most",
    "least",
    "very",
    "so",
    "too",
    "between",
    "about",
    "around",
    "up",
    "down",
    "only",
    "just",
    "roughly",
    "nearly",
    "almost",
    "at",
    "a",
    "an",
    "the",
    "no",
    "more",
    "fewer",
    "several",
    "many",
    "few",
    "some",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "higher",
    "lower",
    "further",
}
_NOT_VERBS = {
    "this",
    "its",
    "his",
    "hers",
    "yes",
    "as",
    "us",
    "was",
    "has",
    "plus",
    "less",
    "thus",
    "always",
    "perhaps",
    "news",
    "means",
    "series",
    "costs",
    "rates",
    "prices",
    "sales",
    "gas",
    "bonus",
    "status",
    "crisis",
    "analysis",
    "basis",
    "process",
    "success",
    "business",
    "access",
    "progress",
    "congress",
    "chaos",
    "bias",
    "odds",
    "focus",
    "census",
    "consensus",
    "stimulus",
    "markets",
    "shares",
    "stocks",
    "bonds",
    "yields",
    "votes",
    "seats",
    "polls",
    "talks",
    "officials",
    "analysts",
    "economists",
    "investors",
    "voters",
    "fans",
    "players",
    "teams",
    "others",
    "years",
    "months",
    "weeks",
    "days",
    "points",
    "goals",
    "games",
    "sets",
}


def base(verb: str) -> str:
    """The dictionary form of a verb in -ing or -s: 'alienating' → 'alienate'."""
    word = verb.lower()
    if word in _BASE:
        return _BASE[word]
    if word.endswith("ing") and len(word) > 4:
        return _from_stem(word[:-3])
    return _from_s(word)


def _from_stem(stem: str) -> str:
    if stem in _KEEP:
        return stem
    if stem in _E_AFTER:
        return stem + "e"
    if _DOUBLED.search(stem) and not stem.endswith(("ll", "ss", "zz")):
        return stem[:-1]
    if _E_ENDINGS.search(stem) and not stem.endswith(("eat", "oat", "ait", "ist")):
        return stem + "e"
    return stem


def _from_s(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes", "zzes", "oes")):
        return word[:-2]
    return word[:-1] if word.endswith("s") else word


_IRREGULAR_PAST = {
    "went": "go",
    "came": "come",
    "won": "win",
    "lost": "lose",
    "fell": "fall",
    "rose": "rise",
    "got": "get",
    "made": "make",
    "took": "take",
    "held": "hold",
    "beat": "beat",
    "ran": "run",
    "sold": "sell",
    "left": "leave",
    "broke": "break",
    "gave": "give",
    "grew": "grow",
    "met": "meet",
}
_PAST = re.compile(r"(?<=\s)(?P<v>[a-z]+ed|" + "|".join(_IRREGULAR_PAST) + r")\b")


def past_as_will(clause: str) -> str:
    """'if the merger closed this year' (a hypothetical past): 'the merger will close this year'."""
    text = clause.strip()
    m = _PAST.search(text, 0, _first_words(text, 6))
    if m is None or has_modal(text) or _np_is_no_subject(text[: m.start()]):
        return clause
    word = m["v"]
    verb = _IRREGULAR_PAST.get(word) or _from_stem(
        word[:-2] if not word.endswith("ied") else word[:-3] + "ie"
    )
    if word.endswith("ied"):
        verb = word[:-3] + "y"
    return _will_before_adverbs(text[: m.start()], "will", f"{verb}{text[m.end() :]}")


def _will_before_adverbs(np: str, modal: str, rest: str) -> str:
    """'the communique quietly' + 'drop' → 'the communique will quietly drop'."""
    m = re.match(r"(?P<head>.*?\s)(?P<adv>(?:[a-z]+ly\s+)+)$", np, re.S)
    if m and m["head"].strip():
        return f"{m['head']}{modal} {m['adv']}{rest}"
    return f"{np}{modal} {rest}"


def has_modal(clause: str, *, months: bool = False) -> bool:
    """Whether a modal verb is in the clause; with `months`, a capital 'May' after the first
    word is the month ('the Fed cuts in May')."""
    text = _MONTH_MAY.sub("", clause) if months else clause
    return bool(_MODAL.search(text))


_MONTH_MAY = re.compile(r"(?<=\S)(\s+)May\b")


def as_will(clause: str) -> str:
    """'the merger collapses' → 'the merger will collapse'; a clause with a modal is kept. The
    cues read a change as 'has a present verb', so this stays as they were tuned on."""
    return _as_will(clause, strict=False)


def will_clause(clause: str) -> str:
    """as_will for a claim's wording: also 'Arsenal win' and 'the index doesn't make', and no
    'across' or 'diagnosis' read as a verb in -s."""
    text = clause.strip()
    if has_modal(text, months=True):
        return clause
    if (m := _DO_NOT.match(text)) and not _NOT_A_SUBJECT.search(m["np"]):
        return _will_before_adverbs(m["np"], "will not", f"{m['v']}{m['rest']}")
    if (plural := plural_as_will(text, proper=True)) != text:  # "the Knicks make the finals"
        return plural
    return _as_will(clause, strict=True)


def _as_will(clause: str, *, strict: bool) -> str:
    if has_modal(clause, months=strict):
        return clause
    text = clause.strip()
    for m in _PRESENT_VERB.finditer(text, 0, _first_words(text, 8)):
        np, rest = text[: m.start()], text[m.end() :]
        verb = m["v"].lower()
        if verb in _NOT_VERBS or (strict and _plural_subject(verb, np, rest)):
            continue
        if _np_is_no_subject(np) or _NOT_A_SUBJECT.search(np):
            continue
        if _OPEN_END.search(np):  # "with the risks skewed": 'risks' follows a determiner
            continue
        noun = _NOUN_AFTER.match(rest) and verb not in _LEVEL_VERBS  # "peaks at 13.8" is a verb
        after = rest.split()
        if after and _is_s_form(after[0]):  # "low-cost carriers goes bust": the verb is next
            continue
        if noun or (after and after[0] in _BASE_VERBS):
            break  # "shipments of", "approvals recover": a noun, the verb is later
        negated = bool(m["not"]) or verb in ("isn't", "aren't")
        base_verb = "be" if verb in ("isn't", "aren't") else base(verb)
        rest = _COORDINATED.sub(_coordinated_base, rest)  # "will peak ... and then start to fall"
        return _will_before_adverbs(np, "will not" if negated else "will", f"{base_verb}{rest}")
    return plural_as_will(clause)


def _is_s_form(word: str) -> bool:
    """'goes', 'falls': the -s form of a known verb."""
    word = word.lower().strip(",.;:")
    return word.endswith("s") and base(word) != word and base(word) in _BASE_VERBS


_COORDINATED = re.compile(
    r"\b(?P<c>and|but|or)\s+(?P<a>(?:then|later|soon|quickly|eventually)\s+)?(?P<v>[a-z]+(?:s|es))\b"
    r"(?=\s+(?:to|a|an|the|by|up|down|back|at|in|out|off|[$€£\d]|\w+ed\b))"
)


def _coordinated_base(m: re.Match[str]) -> str:
    if m["v"] in _NOT_VERBS:
        return m[0]
    return f"{m['c']} {m['a'] or ''}{base(m['v'])}"


def _first_words(text: str, n: int) -> int:
    """The offset after the first n words."""
    m = re.match(rf"(?:\S+\s+){{0,{n}}}\S*", text)
    return m.end() if m else len(text)


def _np_is_no_subject(np: str) -> bool:
    """'two ', 'higher ' alone, or a subject led by a quantity word ('Two quarter-point')."""
    words = np.lower().split()
    return not words or (
        words[0] in _DETERMINERS and (len(words) == 1 or words[0] not in _ARTICLES)
    )


# A plural subject and a verb in its base form: "mortgage approvals recover to 65,000".
_PLURAL_PRESENTS = [
    re.compile(
        rf"^(?P<np>(?:[\w$€£.'-]+\s+){{{n}}}[\w'-]+s\s+|(?:I|we|they|you)\s+)(?P<v>[a-z]+)\b(?P<rest>.*)$",
        re.S,
    )
    for n in range(4, -1, -1)
]
# A team or country takes a plural verb in British usage: "Arsenal win the league".
_PROPER_PRESENT = re.compile(r"^(?P<np>(?:[A-Z][\w'-]*\s+){1,3})(?P<v>[a-z]+)\b(?P<rest>.*)$", re.S)
BASE_VERBS = _BASE_VERBS = {
    "see",
    "flatline",
    "blink",
    "win",
    "lose",
    "beat",
    "fall",
    "rise",
    "recover",
    "hold",
    "stay",
    "remain",
    "end",
    "finish",
    "reach",
    "climb",
    "drop",
    "slip",
    "slide",
    "sink",
    "soar",
    "surge",
    "jump",
    "double",
    "halve",
    "peak",
    "stall",
    "fail",
    "pass",
    "grow",
    "shrink",
    "slow",
    "ease",
    "widen",
    "narrow",
    "top",
    "outsell",
    "overtake",
    "outperform",
    "lag",
    "trail",
    "lead",
    "default",
    "collapse",
    "survive",
    "cut",
    "hike",
    "raise",
    "return",
    "come",
    "go",
    "get",
    "make",
    "take",
    "hit",
    "miss",
}


def plural_as_will(clause: str, *, proper: bool = False) -> str:
    """'approvals recover to 65,000' → 'approvals will recover to 65,000'; else the clause. The
    longest subject is tried first, then shorter ones ('Arsenal win the league this season':
    'this' is no plural noun)."""
    text = clause.strip()
    patterns = [*_PLURAL_PRESENTS, _PROPER_PRESENT] if proper else _PLURAL_PRESENTS
    for pattern in patterns:  # tried in order, each only when the one before did not fit
        m = pattern.match(text)
        if m and m["v"] in _BASE_VERBS and not _NOT_A_SUBJECT.search(m["np"]):
            return f"{m['np']}will {m['v']}{m['rest']}"
    return clause
