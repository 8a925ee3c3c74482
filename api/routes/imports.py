"""Import a workbook: YAML, JSON, a zip of CSV files, or .xlsx."""

from __future__ import annotations

import dataclasses
import io
import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Final

from fastapi import APIRouter, File, Query, UploadFile
from starlette.concurrency import run_in_threadpool

from api.cache import AnalysisCache
from api.deps import CacheDep, StoreDep
from api.problems import ApiError
from api.schemas import ImportPublic, NotePublic
from collabgraph.errors import Location, Problem, WorkbookError
from collabgraph.model import Workbook
from collabgraph.store import Store
from collabgraph.workbook import load_workbook_noted
from collabgraph.workbook.changes import changes_before_load

__all__ = ["import_upload", "read_upload", "read_upload_noted", "router", "unpack_upload"]

router = APIRouter(prefix="/imports", tags=["import"])

_SUFFIXES: Final = {".yaml", ".yml", ".json", ".xlsx", ".zip"}
#: A zip of CSV files may not unpack to more than this (zip bombs).
MAX_UNPACKED_BYTES: Final = 200 * 1024 * 1024
MAX_ZIP_MEMBERS: Final = 100


def unpack_upload(data: bytes, filename: str, folder: Path) -> Path:
    """Write an uploaded workbook into ``folder`` and return the path to load.

    A zip is unpacked to a folder of CSV files (only ``*.csv`` members, by their
    base name, within size limits).
    """
    name = Path(filename or "workbook.yaml").name
    suffix = Path(name).suffix.lower()
    if suffix not in _SUFFIXES:
        raise WorkbookError(
            [
                Problem(
                    Location(file=name),
                    "upload a .yaml, .yml, .json or .xlsx file, or a .zip of CSV files",
                    "bad_path",
                )
            ],
            name,
        )
    if suffix != ".zip":
        target = folder / f"upload{suffix}"
        target.write_bytes(data)
        return target
    out = folder / "csv"
    out.mkdir()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = [m for m in archive.infolist() if not m.is_dir()]
            if len(members) > MAX_ZIP_MEMBERS:
                raise WorkbookError(
                    [
                        Problem(
                            Location(file=name),
                            f"the zip holds {len(members)}"
                            f" files; at most {MAX_ZIP_MEMBERS} are accepted",
                            "too_large",
                        )
                    ],
                    name,
                )
            if sum(m.file_size for m in members) > MAX_UNPACKED_BYTES:
                raise WorkbookError(
                    [
                        Problem(
                            Location(file=name), "the zip unpacks to more than 200 MB", "too_large"
                        )
                    ],
                    name,
                )
            for member in members:
                base = Path(member.filename).name
                if not base.lower().endswith(".csv") or base.startswith("."):
                    continue
                (out / base).write_bytes(archive.read(member))
    except zipfile.BadZipFile as exc:
        raise WorkbookError(
            [Problem(Location(file=name), "this is not a valid zip file", "bad_file")], name
        ) from exc
    return out


@router.post("", summary="Upload a workbook (validate, then load)", response_model=ImportPublic)
async def import_workbook(
    store: StoreDep,
    cache: CacheDep,
    file: Annotated[UploadFile, File(description="A .yaml/.json/.xlsx workbook or a .zip of CSVs")],
    validate_only: Annotated[bool, Query(description="Check only; write nothing")] = False,
    replace: Annotated[bool, Query(description="Make the district exactly this workbook")] = False,
) -> ImportPublic:
    """Validate the whole workbook, then (unless ``validate_only``) load it all-or-nothing.

    Every problem is listed with its place (422), exactly as ``collabgraph validate`` does.
    """
    data = await file.read()
    if not data:
        raise ApiError(
            422, "Invalid workbook", "the uploaded file is empty", slug="invalid-workbook"
        )
    return await run_in_threadpool(
        lambda: import_upload(
            store,
            cache,
            data,
            file.filename or "upload",
            validate_only=validate_only,
            replace=replace,
        )
    )


def import_upload(
    store: Store,
    cache: AnalysisCache,
    data: bytes,
    filename: str,
    *,
    validate_only: bool = False,
    replace: bool = False,
) -> ImportPublic:
    """Validate an uploaded workbook whole, then (unless ``validate_only``) load it.

    Shared by the JSON API and the dashboard's upload form. Blocking: call it from a
    worker thread.

    Parameters
    ----------
    store
        Where the district is written.
    cache
        The analysis cache; the district's entries are dropped after a write.
    data
        The uploaded bytes (not empty).
    filename
        The uploaded file's name; its suffix picks the reader, and problems name it.
    validate_only
        Check only; write nothing.
    replace
        Make the district exactly this workbook (rows missing from it are removed).

    Returns
    -------
    ImportPublic
        The district id, the rows per section and, after a write, the load summary.

    Raises
    ------
    WorkbookError
        With every problem and its place; nothing was written.
    """
    wb, notes = read_upload_noted(data, filename)
    rows = wb.counts()
    shown = [
        NotePublic(
            location=n.location.as_dict(), where=str(n.location), message=n.message, code=n.code
        )
        for n in notes
    ]
    district = wb.district.id
    stored = (lambda: store.read_workbook(district)) if store.has_district(district) else None
    changes = changes_before_load(stored, wb, replace=replace)
    if validate_only:
        return ImportPublic(
            district=wb.district.id, written=False, rows=rows, changes=changes, notes=shown
        )
    summary = store.upsert_workbook(wb, replace=replace)
    cache.invalidate(wb.district.id)
    return ImportPublic(
        district=wb.district.id,
        written=True,
        rows=rows,
        changes=changes,
        notes=shown,
        summary=summary,
    )


def read_upload(data: bytes, filename: str) -> Workbook:
    """Validate an uploaded workbook; problems name the uploaded file, not a temp path."""
    return read_upload_noted(data, filename)[0]


def read_upload_noted(data: bytes, filename: str) -> tuple[Workbook, list[Problem]]:
    """:func:`read_upload`, with the notes on what was read other than written."""
    with tempfile.TemporaryDirectory(prefix="collabgraph-upload-") as tmp:
        path = unpack_upload(data, filename, Path(tmp))

        def renamed(items: Sequence[Problem]) -> list[Problem]:
            return [
                Problem(_rename(p.location, str(path), filename, tmp), p.message, p.code)
                for p in items
            ]

        try:
            wb, notes = load_workbook_noted(path)
        except WorkbookError as err:
            raise WorkbookError(renamed(err.problems), filename, renamed(err.notes)) from None
        return wb, renamed(notes)


def _rename(loc: Location, path: str, shown: str, tmp: str) -> Location:
    if loc.file is None:
        return loc
    if loc.file == path:
        return dataclasses.replace(loc, file=shown)
    if loc.file.startswith(tmp):
        return dataclasses.replace(loc, file=f"{shown}:{Path(loc.file).name}")
    return loc
    if loc.file == path:
        return Location(
            file=shown,
            sheet=loc.sheet,
            row=loc.row,
            column=loc.column,
            line=loc.line,
            path=loc.path,
        )
    if loc.file.startswith(tmp):
        name = Path(loc.file).name
        return Location(
            file=f"{shown}:{name}",
            sheet=loc.sheet,
            row=loc.row,
            column=loc.column,
            line=loc.line,
            path=loc.path,
        )
    return loc
