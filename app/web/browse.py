"""The predictions page: search, filter, sort, page through and export, all in the URL."""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, get_args
from urllib.parse import urlencode

from fastapi import APIRouter, Request, Response
from fastapi.responses import StreamingResponse
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.auth import service as auth
from app.authors import service as authors
from app.deps import Today
from app.errors import HindsightError
from app.models import Outlet, Role, Status
from app.outlets import service as outlets
from app.predictions import exports
from app.predictions import service as predictions
from app.predictions.columns import Format
from app.predictions.schemas import SortKey
from app.ratelimit import EXPORT_LIMIT
from app.schemas import normalize_tag, slugify
from app.web.article import limited_page
from app.web.pages import PageRoute, PageSession, Visitor, VisitorDep, render, require_reader

router = APIRouter(route_class=PageRoute, include_in_schema=False)

PAGE_SIZES = (10, 25, 50, 100)
SORTS: dict[str, str] = {
    "-made_at": "Newest first",
    "made_at": "Oldest first",
    "resolve_by": "Soonest deadline",
    "-resolve_by": "Latest deadline",
    "author": "Author, A–Z",
    "-author": "Author, Z–A",
}
FIELDS = (
    "q",
    "author",
    "outlet",
    "tag",
    "status",
    "due_after",
    "due_before",
    "overdue",
    "logged_by",
    "sort",
    "per_page",
)
MAX_TEXT = 200
NAMES_OFFERED = 500  # authors and outlets suggested as their fields are typed


@dataclass
class Search:
    """The page's filter as typed, what the service is asked, and the problems by field."""

    typed: dict[str, str]
    filters: predictions.Filters = field(default_factory=predictions.Filters)
    sort: str = "-made_at"
    per_page: int = 25
    page: int = 1
    errors: dict[str, str] = field(default_factory=dict)

    def link(self, **changes: object) -> str:
        """This filter's URL with some parameters changed (empty ones and page 1 left out)."""
        params = {**self.typed, "page": str(self.page)} | {k: str(v) for k, v in changes.items()}
        kept = {k: v for k, v in params.items() if v and not (k == "page" and v == "1")}
        return "/predictions?" + urlencode(kept) if kept else "/predictions"


@router.get("/predictions")
def browse(request: Request, visitor: VisitorDep, session: PageSession, today: Today) -> Response:
    """Every prediction, searched and filtered by the URL's query; ?export=csv|jsonl downloads
    the filtered set."""
    require_reader(visitor)
    query = read_query(request.query_params, session=session, visitor=visitor, today=today)
    export = request.query_params.get("export", "")
    if export and not query.errors:
        if export in {f.value for f in Format}:
            limited_page(EXPORT_LIMIT)(request, visitor)
            return _export(request.app.state.engine, session, query, Format(export))
        query.errors["export"] = f"'{export[:20]}' is not a format: choose csv or jsonl"
    return _page(request, visitor, session, query)


def _page(request: Request, visitor: Visitor, session: Session, query: Search) -> Response:
    rows: list[Any] = []
    total = 0
    if not query.errors:
        found, total = predictions.list_predictions(
            session=session,
            filters=query.filters,
            sort=_sort_key(query.sort),
            limit=query.per_page,
            offset=(query.page - 1) * query.per_page,
        )
        rows = predictions.present(session=session, predictions=found)
    pages = max(1, -(-total // query.per_page))
    context = {
        "query": query,
        "rows": rows,
        "total": total,
        "pages": pages,
        "statuses": [s.value for s in Status],
        "sorts": SORTS,
        "page_sizes": PAGE_SIZES,
        "signed_in": visitor.user is not None,
        "author_names": _author_names(session),
        "outlet_names": _outlet_names(session),
        "outlet_name": _outlet_names_of(session, {r.outlet for r in rows if r.outlet}),
    }
    status = 400 if query.errors else 200
    return render(request, visitor, "predictions.html", context, status=status)


def _author_names(session: Session) -> list[str]:
    found, _total = authors.list_authors(session=session, q=None, limit=NAMES_OFFERED, offset=0)
    return [a.name for a in found]


def _outlet_names(session: Session) -> list[str]:
    found, _total = outlets.list_outlets(session=session, limit=NAMES_OFFERED, offset=0)
    return [o.name for o in found]


def _outlet_names_of(session: Session, slugs: set[str]) -> dict[str, str]:
    """The outlets' names for the slugs a page of rows carries: a reader knows the name."""
    if not slugs:
        return {}
    found = session.exec(select(Outlet.slug, Outlet.name).where(col(Outlet.slug).in_(slugs)))
    return dict(found.all())


def _sort_key(text: str) -> SortKey:
    for key in get_args(SortKey):
        if key == text:
            sort: SortKey = key
            return sort
    return "-made_at"


def _export(engine: Engine, session: Session, query: Search, fmt: Format) -> StreamingResponse:
    where = predictions.filter_conditions(session=session, filters=query.filters)

    def chunks() -> Iterator[str]:
        with engine.connect() as connection:
            yield from exports.render(exports.export_rows(connection, where=where), fmt)

    media = "text/csv" if fmt == Format.csv else "application/x-ndjson"
    headers = {"Content-Disposition": f'attachment; filename="hindsight-predictions.{fmt.value}"'}
    return StreamingResponse(chunks(), media_type=f"{media}; charset=utf-8", headers=headers)


def read_query(
    params: Mapping[str, str], *, session: Session, visitor: Visitor, today: date
) -> Search:
    """The query string as a filter; each bad value becomes a message for its field."""
    typed = {name: params.get(name, "").strip()[: MAX_TEXT + 1] for name in FIELDS}
    errors: dict[str, str] = {}
    if len(typed["q"]) > MAX_TEXT:
        errors["q"] = f"search for at most {MAX_TEXT} characters"
    due_after = _date(typed, "due_after", errors)
    due_before = _date(typed, "due_before", errors)
    if due_after and due_before and due_after > due_before:
        errors["due_before"] = "this date is before “due after”: swap them or clear one"
    filters = predictions.Filters(
        q=typed["q"] or None,
        author=_author(session, typed["author"], errors),
        outlet=_outlet(session, typed["outlet"], errors),
        tag=normalize_tag(typed["tag"]) if typed["tag"] else None,
        status=_status(typed["status"], errors),
        due_after=due_after,
        due_before=due_before,
        overdue_on=today if typed["overdue"] else None,
        logged_by=_logged_by(session, visitor, typed["logged_by"], errors),
    )
    query = Search(typed=typed, filters=filters, errors=errors)
    query.sort = _choice(typed, "sort", SORTS, "-made_at", errors)
    query.per_page = int(_choice(typed, "per_page", [str(n) for n in PAGE_SIZES], "25", errors))
    query.page = _page_number(params.get("page", ""), errors)
    return query


def _author(session: Session, text: str, errors: dict[str, str]) -> str | None:
    if not text:
        return None
    try:
        return authors.get_by_slug_or_name(session=session, text=text).slug
    except HindsightError:
        errors["author"] = f"no author named or slugged “{text}”: check the spelling"
        return None


def _outlet(session: Session, text: str, errors: dict[str, str]) -> str | None:
    if not text:
        return None
    found = outlets.find_outlet(session=session, slug=text) or outlets.find_outlet(
        session=session, slug=slugify(text)
    )
    if found is None:
        errors["outlet"] = f"no outlet named or slugged “{text}”: check the spelling"
        return None
    return found.slug


def _status(text: str, errors: dict[str, str]) -> Status | None:
    if not text:
        return None
    if text not in {s.value for s in Status}:
        errors["status"] = f"“{text}” is not a status: choose one from the list"
        return None
    return Status(text)


def _date(typed: dict[str, str], name: str, errors: dict[str, str]) -> date | None:
    text = typed[name]
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors[name] = f"“{text}” is not a date: use the date picker or YYYY-MM-DD"
        return None


def _logged_by(session: Session, visitor: Visitor, text: str, errors: dict[str, str]) -> int | None:
    if not text:
        return None
    if visitor.user is None or not visitor.can(Role.viewer):
        errors["logged_by"] = "sign in to filter by who logged a prediction"
        return None
    if text == "me":
        return visitor.user.id
    user = auth.get_user_by_email(session=session, email=text)
    if user is None:
        errors["logged_by"] = f"no user with the email “{text}”: give a colleague's email or “me”"
        return None
    return user.id


def _choice(
    typed: dict[str, str], name: str, allowed: Any, default: str, errors: dict[str, str]
) -> str:
    text = typed[name]
    if not text:
        return default
    if text not in allowed:
        errors[name] = f"“{text}” is not one of the choices: pick one from the list"
        return default
    return text


def _page_number(text: str, errors: dict[str, str]) -> int:
    if not text:
        return 1
    if not text.isdigit() or not 1 <= int(text) <= 100_000:
        errors["page"] = f"“{text[:20]}” is not a page number: use 1, 2, 3…"
        return 1
    return int(text)
