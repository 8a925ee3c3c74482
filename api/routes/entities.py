"""Create, read, update and delete the rows of a district, one row at a time.

A write is one row edit in the store (:meth:`collabgraph.store.Store.put_row`,
``delete_row``): only what the row names is checked — its references exist,
its key is free (or, to replace or delete, taken), what depends on it when it
goes — and it is written with one targeted statement, atomically, together
with the district's new revision token. Deleting a person also removes their
memberships and ties, deleting a team its memberships and oversight links, and
a row that names something missing is refused with 422 (never a dangling edge).

Every response names the district's revision as its ``ETag``; a ``PUT``,
``POST`` or ``DELETE`` sent with ``If-Match`` is refused with 412 when the
district has changed since (another editor, another server, a load). Nothing
here is serialized in the process: the store orders concurrent writers.

Reads are served from a copy of the workbook cached per district revision,
like the analyses; an edit made here patches that copy (when it was read at
exactly the revision the edit started from) instead of dropping it, so a read
after a write does not re-read the district.
"""

import contextlib
from collections.abc import Callable
from typing import Annotated, Any, cast

from fastapi import APIRouter, Header, Query, Response
from pydantic import BaseModel

from api.cache import AnalysisCache
from api.deps import CacheDep, StoreDep
from api.errors import ApiError
from api.results import district_stamp, revision_stamp
from api.schemas import (
    CounterpartCreate,
    MeetingCreate,
    MembershipCreate,
    PersonCreate,
    PositionCreate,
    TeamCreate,
    TieCreate,
)
from collabgraph.editing import RowNotFound, apply_delete, apply_put, find_row, row_key
from collabgraph.model import Workbook
from collabgraph.store import EditResult, StaleRevision, Store
from collabgraph.store.edits import RowExists

__all__ = ["router"]

router = APIRouter(prefix="/districts/{district}", tags=["entities"])

_SECTIONS: dict[str, tuple[type[BaseModel], str]] = {
    "people": (PersonCreate, "person"),
    "positions": (PositionCreate, "position"),
    "teams": (TeamCreate, "team"),
    "memberships": (MembershipCreate, "membership (key: person@team)"),
    "meetings": (MeetingCreate, "standing meeting"),
    "counterparts": (CounterpartCreate, "counterpart pair (key: management~labor)"),
    "ties": (TieCreate, "tie (key: source>target|topic|wave)"),
}

IfMatch = Annotated[
    str | None,
    Header(
        description="Only write if the district is still at this revision (an ETag this API "
        "sent); 412 otherwise."
    ),
]


def _not_found(exc: RowNotFound) -> ApiError:
    return ApiError(404, "Not found", str(exc), slug="not-found")


def if_match_revisions(value: str | None) -> frozenset[str] | None:
    """The revisions an ``If-Match`` header accepts (``None``: any, for no header or ``*``).

    Only strong tags compare (RFC 9110): a weak ``W/"..."`` tag never matches.

    >>> sorted(if_match_revisions('"a", W/"b", "c"'))
    ['a', 'c']
    >>> if_match_revisions("*") is None
    True
    """
    if value is None or value.strip() == "*":
        return None
    tags: set[str] = set()
    for part in (p.strip() for p in value.split(",")):
        if part.startswith("W/") or not part:
            continue
        tags.add(part[1:-1] if len(part) >= 2 and part[0] == part[-1] == '"' else part)
    return frozenset(tags)


def etag(revision: str) -> str:
    """A revision token as a strong entity tag.

    >>> etag("3f2a")
    '"3f2a"'
    """
    return f'"{revision}"'


def _edited(
    cache: AnalysisCache,
    district: str,
    response: Response,
    write: Callable[[], EditResult],
    patch: Callable[[Workbook], Workbook],
) -> EditResult:
    """Run one store edit; map its refusals to problems; drop the district's cached results.

    The cached workbook survives, patched with ``patch``, when it was read at exactly
    the revision the edit started from (then the patched copy *is* the new revision).
    """
    try:
        result = write()
    except RowNotFound as exc:
        raise _not_found(exc) from exc
    except RowExists as exc:
        raise ApiError(409, "Conflict", str(exc), slug="conflict") from exc
    except StaleRevision as exc:
        headers = {"ETag": etag(exc.current)} if exc.current else None
        raise ApiError(
            412, "Precondition failed", str(exc), slug="stale-revision", headers=headers
        ) from exc
    before = None
    if result.previous is not None:
        before = cache.peek(district, revision_stamp(result.previous), "workbook")
    cache.invalidate(district)
    if isinstance(before, Workbook):
        with contextlib.suppress(RowNotFound):  # a copy that disagrees stays dropped
            cache.put(district, revision_stamp(result.revision), "workbook", patch(before))
    response.headers["ETag"] = etag(result.revision)
    return result


def _cached_workbook(
    store: Store, cache: AnalysisCache, district: str, response: Response
) -> Workbook:
    """The district's workbook for reading, cached like the analyses; the response's
    ``ETag`` is the revision that copy was read at (when the store keeps revisions)."""
    stamp = district_stamp(store, cache, district)
    wb: Workbook = cache.get_or_compute(
        district, stamp, "workbook", lambda: store.read_workbook(district)
    )
    if isinstance(stamp, tuple) and stamp and stamp[0] == "revision":
        response.headers["ETag"] = etag(str(stamp[1]))
    return wb


def _register(section: str, model: type[BaseModel], what: str) -> None:
    def list_rows(
        district: str,
        store: StoreDep,
        cache: CacheDep,
        response: Response,
        offset: Annotated[int, Query(ge=0, description="Rows to skip.")] = 0,
        limit: Annotated[
            int | None, Query(ge=1, le=1_000_000, description="At most this many rows (all).")
        ] = None,
    ) -> list[dict[str, Any]]:
        rows = getattr(_cached_workbook(store, cache, district, response), section)
        end = None if limit is None else offset + limit
        return [r.model_dump(mode="json") for r in rows[offset:end]]

    def get_row(
        district: str, key: str, store: StoreDep, cache: CacheDep, response: Response
    ) -> dict[str, Any]:
        try:
            row = find_row(_cached_workbook(store, cache, district, response), section, key)
        except RowNotFound as exc:
            raise _not_found(exc) from exc
        return row.model_dump(mode="json")

    def create_row(
        district: str,
        body: BaseModel,
        store: StoreDep,
        cache: CacheDep,
        response: Response,
        if_match: IfMatch = None,
    ) -> dict[str, Any]:
        row: BaseModel = body
        expected = if_match_revisions(if_match)
        _edited(
            cache,
            district,
            response,
            lambda: store.put_row(district, section, row, if_revision=expected),
            lambda wb: apply_put(wb, section, row),
        )
        response.status_code = 201
        response.headers["Location"] = f"/districts/{district}/{section}/{row_key(section, row)}"
        return row.model_dump(mode="json")

    def replace_row(
        district: str,
        key: str,
        body: BaseModel,
        store: StoreDep,
        cache: CacheDep,
        response: Response,
        if_match: IfMatch = None,
    ) -> dict[str, Any]:
        row: BaseModel = body
        expected = if_match_revisions(if_match)
        _edited(
            cache,
            district,
            response,
            lambda: store.put_row(district, section, row, key=key, if_revision=expected),
            lambda wb: apply_put(wb, section, row, key=key),
        )
        return row.model_dump(mode="json")

    def remove_row(
        district: str,
        key: str,
        store: StoreDep,
        cache: CacheDep,
        response: Response,
        if_match: IfMatch = None,
    ) -> Response:
        expected = if_match_revisions(if_match)
        result = _edited(
            cache,
            district,
            response,
            lambda: store.delete_row(district, section, key, if_revision=expected),
            lambda wb: apply_delete(wb, section, key),
        )
        return Response(status_code=204, headers={"ETag": etag(result.revision)})

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
