"""An article's sentences with their character offsets (pysbd, aligned to the original text)."""

import re
from dataclasses import dataclass

import pysbd  # type: ignore[import-untyped]

# Made once: building a segmenter compiles pysbd's rules.
_SEGMENTER = pysbd.Segmenter(language="en", clean=False)
# A line break inside a sentence (hard-wrapped text): the next line goes on in lower case.
# Replaced by a space of the same length, so offsets into the original still hold.
_WRAPPED_LINE = re.compile(r"(?<=[^\s.!?:\"”’)])[ \t]*\n(?=[ \t]*[a-z(])")
_PARAGRAPH = re.compile(r"\n\s*\n")
# pysbd's abbreviation pass rescans a whole paragraph for every abbreviation it meets, so its
# time grows with the square of a paragraph's length; long ones are cut first where a sentence
# surely ends: a lower-case word of four letters or more, a full stop, a capital ("gamble. He").
_SURE_END = re.compile(r"(?<=[a-z]{4}[.!?])[\"”’)]?\s+(?=[\"“‘(]?[A-Z])")
_CHUNK = 400
# A tag of certainty standing alone after a call ("Best Picture: The Salt Orchard. Lock it.")
# belongs to the sentence before it (cues.py reads its full stop as a comma).
LONE_TAG = (
    r"(?:lock\s+it(?:\s+in)?|nailed\s+on|book\s+it|bank\s+on\s+it|bet\s+the\s+(?:house|farm)"
    r"|no\s+notes|don['’]t\s+(?:@|at)\s+me|mark\s+my\s+words|(?:i['’]m\s+)?calling\s+it(?:\s+now)?"
    r"|you\s+heard\s+it\s+here(?:\s+first)?|screenshot\s+this|write\s+it\s+down|end\s+of\s+story)"
    r"[.!]*"
)
_BARE_TAG = re.compile(LONE_TAG, re.I)
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Sentence:
    """A sentence and where it is: text[start:end] == sentence.text."""

    text: str
    start: int
    end: int


def split_sentences(text: str) -> list[Sentence]:
    """The sentences of a text, without surrounding white space, in order."""
    joined = _WRAPPED_LINE.sub(lambda m: " " * len(m[0]), text)
    sentences: list[Sentence] = []
    for paragraph in _paragraphs(joined):
        for chunk in _chunks(joined, paragraph):
            sentences.extend(_align(text, joined, chunk))
    return _with_tags(text, sentences)


def _with_tags(text: str, sentences: list[Sentence]) -> list[Sentence]:
    """The sentences with each bare tag of certainty joined to the one before it on its line."""
    out: list[Sentence] = []
    for sentence in sentences:
        last = out[-1] if out else None
        gap = text[last.end : sentence.start] if last else "\n"
        if last and "\n" not in gap and _BARE_TAG.fullmatch(sentence.text):
            out[-1] = Sentence(text[last.start : sentence.end], last.start, sentence.end)
        else:
            out.append(sentence)
    return out


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """Start and end of each paragraph (blank lines between): pysbd sees one at a time."""
    bounds, start = [], 0
    for gap in _PARAGRAPH.finditer(text):
        bounds.append((start, gap.start()))
        start = gap.end()
    bounds.append((start, len(text)))
    return [(a, b) for a, b in bounds if text[a:b].strip()]


def _chunks(text: str, paragraph: tuple[int, int]) -> list[tuple[int, int]]:
    """A paragraph cut at sure sentence ends into pieces of about _CHUNK characters or more."""
    start, end = paragraph
    bounds, first = [], start
    for m in _SURE_END.finditer(text, start, end):
        if m.start() - first >= _CHUNK:
            bounds.append((first, m.start()))
            first = m.end()
    bounds.append((first, end))
    return bounds


def _align(original: str, joined: str, paragraph: tuple[int, int]) -> list[Sentence]:
    """pysbd's pieces of one paragraph, each found again in the text from where the last ended."""
    start, end = paragraph
    pieces: list[str] = _SEGMENTER.segment(joined[start:end])
    found, cursor = [], start
    for piece in pieces:
        span = _locate(joined, piece.strip(), cursor, end)
        if span is None:  # pysbd changed the characters; skip rather than report wrong offsets
            continue
        found.append(Sentence(original[span[0] : span[1]], *span))
        cursor = span[1]
    return found


def _locate(text: str, piece: str, cursor: int, end: int) -> tuple[int, int] | None:
    """Where the piece occurs at or after the cursor, exactly or up to white space."""
    if not piece:
        return None
    at = text.find(piece, cursor, end)
    if at >= 0:
        return at, at + len(piece)
    loose = r"\s+".join(re.escape(word) for word in _SPACE.split(piece))
    m = re.compile(loose).search(text, cursor, end)
    return (m.start(), m.end()) if m else None
