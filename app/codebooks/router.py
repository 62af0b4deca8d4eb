"""/api/v1/codebooks"""

from fastapi import APIRouter

from app.codebooks.schemas import CodebookOut, CodebooksOut
from app.deps import Reader
from app.errors import NotFound
from app.language.codebook import DEFAULT_CODEBOOK, UnknownCodebook, codebook_names, get_codebook

router = APIRouter(prefix="/codebooks", tags=["codebooks"])


@router.get("", response_model=CodebooksOut)
def list_codebooks(_reader: Reader) -> CodebooksOut:
    """Every shipped codebook with every phrase, its probability and its source."""
    items = [CodebookOut.of(get_codebook(n), default=DEFAULT_CODEBOOK) for n in codebook_names()]
    return CodebooksOut(default=DEFAULT_CODEBOOK, items=items)


@router.get("/{version}", response_model=CodebookOut)
def get_codebook_version(version: str, _reader: Reader) -> CodebookOut:
    """One codebook: every phrase, its probability and its source."""
    try:
        codebook = get_codebook(version)
    except UnknownCodebook as exc:
        raise NotFound(str(exc), field="version") from None
    return CodebookOut.of(codebook, default=DEFAULT_CODEBOOK)
