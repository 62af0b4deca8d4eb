"""Pages: the desk dashboard, logging, the prediction page, verdicts and snoozes."""

from fastapi import APIRouter, Request, Response

from app.models import Role
from app.web.pages import PageRoute, VisitorDep, render, require

router = APIRouter(route_class=PageRoute, include_in_schema=False)


@router.get("/desk")
def desk(request: Request, visitor: VisitorDep) -> Response:
    """Due this week, overdue with age, recently logged, recently resolved."""
    require(visitor, Role.viewer)
    return render(request, visitor, "desk.html", {})
