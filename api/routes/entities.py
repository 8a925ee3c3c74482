"""Create, read, update and delete the rows of a district, keeping its graph consistent.

Each change is applied to the whole district and validated like a workbook
before anything is written: deleting a person also removes their memberships
and ties, deleting a team its memberships and oversight links, and a row that
names something missing is refused with 422 (never a dangling edge).

Reads are served from a copy of the workbook cached per district revision,
like the analyses; a write always starts from what the store holds now.
"""

import threading
from collections.abc import Callable
from typing import Annotated, Any, cast

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel

from api.cache import AnalysisCache
from api.deps import CacheDep, StoreDep
from api.problems import ApiError
from api.routes.analyses import district_stamp, exact_stamp
from api.schemas import (
    CounterpartCreate,
    MeetingCreate,
    MembershipCreate,
    PersonCreate,
    PositionCreate,
    TeamCreate,
    TieCreate,
)
from collabgraph.editing import RowNotFound, delete_row, find_row, row_key, upsert_row
from collabgraph.model import Workbook
from collabgraph.store import Store

__all__ = ["router"]

router = APIRouter(prefix="/districts/{district}", tags=["entities"])

_write_lock = threading.Lock()

_SECTIONS: dict[str, tuple[type[BaseModel], str]] = {
    "people": (PersonCreate, "person"),
    "positions": (PositionCreate, "position"),
    "teams": (TeamCreate, "team"),
    "memberships": (MembershipCreate, "membership (key: person@team)"),
    "meetings": (MeetingCreate, "standing meeting"),
    "counterparts": (CounterpartCreate, "counterpart pair (key: management~labor)"),
    "ties": (TieCreate, "tie (key: source>target|topic|wave)"),
}


def _not_found(exc: RowNotFound) -> ApiError:
    return ApiError(404, "Not found", str(exc), slug="not-found")


def _write(store: Store, cache: Any, district: str, change: Callable[[Workbook], Workbook]) -> None:
    with _write_lock:
        wb = _current_workbook(store, cache, district)
        try:
            new = change(wb)
        except RowNotFound as exc:
            raise _not_found(exc) from exc
        store.upsert_workbook(new, replace=True)
        cache.invalidate(district)


def _cached_workbook(store: Store, cache: AnalysisCache, district: str) -> Workbook:
    """The district's workbook for reading, cached like the analyses (writes read afresh)."""
    stamp = district_stamp(store, cache, district)
    wb: Workbook = cache.get_or_compute(
        district, stamp, "workbook", lambda: store.read_workbook(district)
    )
    return wb


def _current_workbook(store: Store, cache: AnalysisCache, district: str) -> Workbook:
    """What the store holds now: the cached copy only when the store's revision token
    (asked afresh, not memoized) proves it current; otherwise a fresh read."""
    stamp = exact_stamp(store, district)
    if stamp is None:
        return store.read_workbook(district)
    wb: Workbook = cache.get_or_compute(
        district, stamp, "workbook", lambda: store.read_workbook(district)
    )
    return wb


def _register(section: str, model: type[BaseModel], what: str) -> None:
    def list_rows(
        district: str,
        store: StoreDep,
        cache: CacheDep,
        offset: Annotated[int, Query(ge=0, description="Rows to skip.")] = 0,
        limit: Annotated[
            int | None, Query(ge=1, le=1_000_000, description="At most this many rows (all).")
        ] = None,
    ) -> list[dict[str, Any]]:
        rows = getattr(_cached_workbook(store, cache, district), section)
        end = None if limit is None else offset + limit
        return [r.model_dump(mode="json") for r in rows[offset:end]]

    def get_row(district: str, key: str, store: StoreDep, cache: CacheDep) -> dict[str, Any]:
        try:
            row = find_row(_cached_workbook(store, cache, district), section, key)
        except RowNotFound as exc:
            raise _not_found(exc) from exc
        return row.model_dump(mode="json")

    def create_row(
        district: str,
        body: BaseModel,
        store: StoreDep,
        cache: CacheDep,
        response: Response,
    ) -> dict[str, Any]:
        row: BaseModel = body
        key = row_key(section, row)

        def change(wb: Workbook) -> Workbook:
            try:
                find_row(wb, section, key)
            except RowNotFound:
                return upsert_row(wb, section, row)
            raise ApiError(
                409,
                "Conflict",
                f"a {section} row with key {key!r} already exists; use PUT to replace it",
                slug="conflict",
            )

        _write(store, cache, district, change)
        response.status_code = 201
        response.headers["Location"] = f"/districts/{district}/{section}/{key}"
        return row.model_dump(mode="json")

    def replace_row(
        district: str,
        key: str,
        body: BaseModel,
        store: StoreDep,
        cache: CacheDep,
    ) -> dict[str, Any]:
        row: BaseModel = body
        _write(store, cache, district, lambda wb: upsert_row(wb, section, row, key=key))
        return row.model_dump(mode="json")

    def remove_row(district: str, key: str, store: StoreDep, cache: CacheDep) -> Response:
        _write(store, cache, district, lambda wb: delete_row(wb, section, key))
        return Response(status_code=204)

    # FastAPI reads the body's model from the annotation: give each route its section's model.
    create_row.__annotations__["body"] = model
    replace_row.__annotations__["body"] = model
    router.add_api_route(
        f"/{section}",
        list_rows,
        methods=["GET"],
        summary=f"List {section}",
        response_model=cast(Any, list)[model],
    )
    router.add_api_route(
        f"/{section}",
        create_row,
        methods=["POST"],
        status_code=201,
        summary=f"Create a {what}",
        response_model=model,
    )
    router.add_api_route(
        f"/{section}/{{key}}",
        get_row,
        methods=["GET"],
        summary=f"Get a {what}",
        response_model=model,
    )
    router.add_api_route(
        f"/{section}/{{key}}",
        replace_row,
        methods=["PUT"],
        summary=f"Replace a {what}",
        response_model=model,
    )
    router.add_api_route(
        f"/{section}/{{key}}",
        remove_row,
        methods=["DELETE"],
        status_code=204,
        summary=f"Delete a {what} and what depends on it",
    )


for _section, (_model, _what) in _SECTIONS.items():
    _register(_section, _model, _what)
