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
_E_ENDINGS = re.compile(r"(?:[^aeiou]at|iz|is|yz|v|[^aeiou]uc|dg|ng(?=e)|rg|lg|ur)$")
_MODAL = re.compile(
    r"\b(?:will|won't|shall|would|can|cannot|could|may|might|must|should)\b|'ll\b", re.I
)
# A present-tense clause: a subject of one to six words, then a verb in -s.
_PRESENT = re.compile(
    r"^(?P<np>(?:[\w$€£.,'-]+\s+){1,6}?)(?P<not>(?:does\s+not|doesn't|do\s+not|don't)\s+)?"
    r"(?P<v>[a-z]+(?:s|es)|is|are)\b(?P<rest>.*)$",
    re.S,
)
_NOT_A_SUBJECT = re.compile(
    r"^(?:for|to|in|on|at|of|with|by|from|as|if|when)\b|\b(?:is|are|was|were|be|been|not|has|have"
    r"|had|will|would|can|could)\b",
    re.I,
)
_DETERMINERS = {
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
    "runs",
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


def has_modal(clause: str) -> bool:
    return bool(_MODAL.search(clause))


def as_will(clause: str) -> str:
    """'the merger collapses' → 'the merger will collapse'; a clause with a modal is kept."""
    if has_modal(clause):
        return clause
    m = _PRESENT.match(clause.strip())
    if m is None or m["v"].lower() in _NOT_VERBS or m["np"].strip().lower() in _DETERMINERS:
        return clause
    if _NOT_A_SUBJECT.search(m["np"]) or re.match(r"-|\s+of\b", m["rest"]):  # "shipments of"
        return clause
    modal = "will not" if m["not"] else "will"
    return f"{m['np']}{modal} {base(m['v'])}{m['rest']}"
