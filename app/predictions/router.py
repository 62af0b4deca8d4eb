"""/api/v1/predictions"""

from collections.abc import Iterator
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, status
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse

from app.deps import (
    AdminUser,
    EditorUser,
    EngineDep,
    IdPath,
    Limit,
    Now,
    Offset,
    Reader,
    SessionDep,
    SettingsDep,
    Today,
)
from app.errors import Invalid
from app.models import Status
from app.predictions import exports, imports, service
from app.predictions.columns import Format
from app.predictions.schemas import (
    ImportResult,
    PredictionCreate,
    PredictionDetail,
    PredictionPublic,
    PredictionsPage,
    PredictionUpdate,
    SortKey,
    WithdrawIn,
)
from app.ratelimit import EXPORT_LIMIT, IMPORT_LIMIT, limited
from app.schemas import Instant

router = APIRouter(prefix="/predictions", tags=["predictions"])

Text = Annotated[str | None, Query(max_length=200)]


@router.post("", status_code=status.HTTP_201_CREATED, response_model=PredictionDetail)
def create_prediction(
    body: PredictionCreate, session: SessionDep, user: EditorUser, today: Today
) -> PredictionDetail:
    """Log a forecast (editor). Answers with what was understood: date, probability, basis."""
    prediction = service.create_prediction(session=session, data=body, user=user, today=today)
    return service.detail(session=session, prediction=prediction)


@router.get("", response_model=PredictionsPage)
def list_predictions(
    session: SessionDep,
    _reader: Reader,
    author: Annotated[str | None, Query(max_length=120, description="Author slug.")] = None,
    outlet: Annotated[str | None, Query(max_length=120, description="Outlet slug.")] = None,
    tag: Annotated[str | None, Query(max_length=64)] = None,
    status: Status | None = None,
    due_before: Annotated[date | None, Query(description="resolve_by on or before.")] = None,
    due_after: Annotated[date | None, Query(description="resolve_by on or after.")] = None,
    made_after: Annotated[Instant | None, Query(description="made_at on or after.")] = None,
    made_before: Annotated[Instant | None, Query(description="made_at on or before.")] = None,
    q: Annotated[
        str | None,
        Query(max_length=200, description="Text in the quote, the claim or the author's name."),
    ] = None,
    sort: SortKey = "-made_at",
    limit: Limit = 50,
    offset: Offset = 0,
) -> PredictionsPage:
    """Predictions, filtered and paginated (newest first by default)."""
    filters = service.Filters(
        author=author,
        outlet=outlet,
        tag=tag,
        status=status,
        due_before=due_before,
        due_after=due_after,
        made_after=made_after,
        made_before=made_before,
        q=q,
    )
    rows, total = service.list_predictions(
        session=session, filters=filters, sort=sort, limit=limit, offset=offset
    )
    items = service.present(session=session, predictions=rows)
    return PredictionsPage(items=items, total=total, limit=limit, offset=offset)


@router.get(
    "/export",
    response_class=StreamingResponse,
    responses={
        200: {"content": {"text/csv": {}, "application/x-ndjson": {}}},
        **EXPORT_LIMIT.responses(),
    },
    dependencies=[Depends(limited(EXPORT_LIMIT))],
)
def export_predictions(
    engine: EngineDep, _reader: Reader, format: Format = Format.csv
) -> StreamingResponse:
    """Every prediction with its verdict in force, streamed (the import's columns and more)."""

    def chunks() -> Iterator[str]:
        with engine.connect() as connection:
            yield from exports.render(exports.export_rows(connection), format)

    media = "text/csv" if format == Format.csv else "application/x-ndjson"
    filename = f"hindsight-predictions.{format.value}"
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return StreamingResponse(chunks(), media_type=f"{media}; charset=utf-8", headers=headers)


@router.post(
    "/import",
    response_model=ImportResult,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                "application/x-ndjson": {"schema": {"type": "string"}},
            },
        }
    },
    responses={
        422: {"description": "Rows with errors, each with its row and field."},
        429: {"description": "Over 6 imports a minute for this key."},
    },
    dependencies=[Depends(limited(IMPORT_LIMIT))],
)
async def import_predictions(
    request: Request,
    session: SessionDep,
    user: EditorUser,
    today: Today,
    now: Now,
    settings: SettingsDep,
    format: Annotated[
        Format | None, Query(description="csv or jsonl; else from Content-Type.")
    ] = None,
    dry_run: Annotated[bool, Query(description="Validate only; write nothing.")] = False,
) -> ImportResult:
    """Import predictions (editor): every row is validated, then all land or none."""
    # The whole body arrives, and the import parses every row, before the first statement:
    # SessionDep connects lazily, so a slow upload holds no connection or write lock.
    data = await request.body()
    fmt = format or _format_of(request.headers.get("content-type", ""))
    report = await run_in_threadpool(
        imports.import_predictions,
        session=session,
        data=data,
        fmt=fmt,
        user_id=user.id,
        today=today,
        dry_run=dry_run,
        max_rows=settings.max_import_rows,
        now=now,
    )
    return ImportResult(**vars(report))


def _format_of(content_type: str) -> Format:
    if "csv" in content_type:
        return Format.csv
    if "json" in content_type:
        return Format.jsonl
    raise Invalid(
        "say which format: ?format=csv or ?format=jsonl, or Content-Type text/csv "
        "or application/x-ndjson",
        field="format",
    )


@router.get("/{prediction_id}", response_model=PredictionDetail)
def get_prediction(prediction_id: IdPath, session: SessionDep, _reader: Reader) -> PredictionDetail:
    """One prediction with its revisions and verdicts."""
    prediction = service.get_prediction(session=session, prediction_id=prediction_id)
    return service.detail(session=session, prediction=prediction)


@router.patch("/{prediction_id}", response_model=PredictionDetail)
def update_prediction(
    prediction_id: IdPath,
    body: PredictionUpdate,
    session: SessionDep,
    user: EditorUser,
    today: Today,
) -> PredictionDetail:
    """Correct a prediction (editor); needs a `reason` and records a revision."""
    prediction = service.get_prediction(session=session, prediction_id=prediction_id)
    service.update_prediction(
        session=session, prediction=prediction, data=body, user=user, today=today
    )
    return service.detail(session=session, prediction=prediction)


@router.post("/{prediction_id}/withdraw", response_model=PredictionPublic)
def withdraw_prediction(
    prediction_id: IdPath, body: WithdrawIn, session: SessionDep, user: AdminUser
) -> PredictionPublic:
    """Withdraw a prediction logged in error (admin); it is kept and excluded from scores."""
    prediction = service.get_prediction(session=session, prediction_id=prediction_id)
    service.withdraw(session=session, prediction=prediction, reason=body.reason, user=user)
    return service.present(session=session, predictions=[prediction])[0]
