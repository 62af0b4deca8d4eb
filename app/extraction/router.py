"""/api/v1/extract and /api/v1/sources/{id}/candidates"""

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, status

from app.deps import EditorUser, IdPath, Reader, SessionDep, Today
from app.extraction import service
from app.extraction.schemas import (
    AcceptIn,
    CandidateOut,
    ExtractIn,
    ExtractOut,
    RejectCandidateIn,
    candidate_out,
)
from app.predictions import service as predictions
from app.predictions.schemas import PredictionDetail
from app.ratelimit import EXTRACT_LIMIT, limited
from app.sources import service as sources

router = APIRouter(tags=["extraction"])

CandidateNumber = Annotated[int, Path(ge=0, le=100_000, description="The candidate's number.")]


@router.post(
    "/extract",
    response_model=ExtractOut,
    dependencies=[Depends(limited(EXTRACT_LIMIT))],
    responses={429: {"description": "Over 30 extractions a minute for this key."}},
)
def extract(
    body: ExtractIn, session: SessionDep, user: EditorUser, today: Today, request: Request
) -> ExtractOut:
    """Archive an article (text, or a URL fetched safely) and find its candidate forecasts."""
    # Fetched before the session's first statement: SessionDep connects lazily.
    page = service.fetch_article(
        engine=request.app.state.engine, data=body, client=request.app.state.http
    )
    source = service.archive(session=session, data=body, page=page)
    found = service.extract_candidates(
        session=session, source=source, author=body.author, today=today
    )
    slugs = sources.outlet_slugs(session=session, sources=[source])
    return ExtractOut(
        source=sources.to_detail(source, slugs.get(source.outlet_id or 0)),
        candidates=[candidate_out(c) for c in found],
    )


@router.get("/sources/{source_id}/candidates", response_model=list[CandidateOut])
def list_candidates(source_id: IdPath, session: SessionDep, _reader: Reader) -> list[CandidateOut]:
    """The candidates found in a source, with what became of each (a read: candidates not
    yet decided on are found again, numbered as they will be stored)."""
    source = sources.get_source(session=session, source_id=source_id)
    return [
        candidate_out(c)
        for c in service.find_candidates(
            session=session, source=source, author=None, today=source.created_at.date()
        )
    ]


@router.post(
    "/sources/{source_id}/candidates/{n}/accept",
    response_model=PredictionDetail,
    status_code=status.HTTP_201_CREATED,
)
def accept_candidate(
    source_id: IdPath,
    n: CandidateNumber,
    body: AcceptIn,
    session: SessionDep,
    user: EditorUser,
    today: Today,
) -> PredictionDetail:
    """Log candidate n as a prediction, with optional edits (editor)."""
    candidate = service.get_candidate(session=session, source_id=source_id, n=n)
    prediction = service.accept(
        session=session, candidate=candidate, edits=body, user=user, today=today
    )
    return predictions.detail(session=session, prediction=prediction)


@router.post("/sources/{source_id}/candidates/{n}/reject", response_model=CandidateOut)
def reject_candidate(
    source_id: IdPath,
    n: CandidateNumber,
    body: RejectCandidateIn,
    session: SessionDep,
    user: EditorUser,
) -> CandidateOut:
    """Refuse candidate n, saying why (kept to improve the extractor)."""
    candidate = service.get_candidate(session=session, source_id=source_id, n=n)
    service.reject(session=session, candidate=candidate, reason=body.reason, user=user)
    return candidate_out(candidate)
