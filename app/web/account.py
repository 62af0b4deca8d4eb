"""Pages: account."""

from fastapi import APIRouter

from app.web.pages import PageRoute

router = APIRouter(route_class=PageRoute, include_in_schema=False)
