"""A person's rights: everything held about them, and erasure from the data files too."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from api.deps import CacheDep, StoreDep
from api.errors import ApiError
from api.security import access_of
from collabgraph.access import ErasureReport, PersonExport, erase_person, person_export
from collabgraph.editing import RowNotFound

__all__ = ["router"]

router = APIRouter(prefix="/districts/{district}/people/{key}", tags=["people"])


@router.get(
    "/export",
    summary="Everything held about one person (GDPR Art. 15)",
    response_model=PersonExport,
)
def export_person(district: str, key: str, request: Request, store: StoreDep) -> PersonExport:
    """Their row, positions held, memberships, ties both ways, meeting seats, audit entries."""
    try:
        return person_export(store, district, key, access_of(request)[3])
    except RowNotFound as exc:
        raise ApiError(404, "Not found", str(exc), slug="not-found") from exc


@router.post(
    "/erase",
    summary="Erase one person, from the store's data files too (GDPR Art. 17)",
    response_model=ErasureReport,
)
async def erase(district: str, key: str, store: StoreDep, cache: CacheDep) -> ErasureReport:
    """Remove the person, their memberships and ties (positions they held become vacant),
    then rewrite the embedded store's append-only file so their name leaves the disk."""
    try:
        report = await run_in_threadpool(erase_person, store, district, key)
    except RowNotFound as exc:
        raise ApiError(404, "Not found", str(exc), slug="not-found") from exc
    finally:
        cache.invalidate(district)
    return report
