"""Import a workbook: YAML, JSON, a zip of CSV files, or .xlsx."""

from __future__ import annotations

import dataclasses
import io
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Final

from fastapi import APIRouter, File, Query, UploadFile
from starlette.concurrency import run_in_threadpool

from api.cache import AnalysisCache
from api.deps import CacheDep, StoreDep
from api.errors import ApiError
from api.schemas import ImportPublic, NotePublic
from collabgraph.errors import Location, Problem, WorkbookError
from collabgraph.model import Workbook
from collabgraph.safety.limits import InputLimits, check_csv_rows, check_zip
from collabgraph.safety.scratch import scratch_dir, write_private
from collabgraph.store import Store
from collabgraph.store.embedded import default_data_dir
from collabgraph.workbook import load_workbook_noted
from collabgraph.workbook.changes import changes_before_load

__all__ = ["import_upload", "read_upload", "read_upload_noted", "router", "unpack_upload"]

router = APIRouter(prefix="/imports", tags=["import"])

_SUFFIXES: Final = {".yaml", ".yml", ".json", ".xlsx", ".zip"}


def unpack_upload(data: bytes, filename: str, folder: Path) -> Path:
    """Write an uploaded workbook into ``folder`` (files mode 0600) and return the path to load.

    A zip is unpacked to a folder of CSV files (only ``*.csv`` members, by their
    base name). Its declared unpacked size, its member count and each file's
    rows are checked before anything is inflated or parsed
    (:mod:`collabgraph.safety.limits`).
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
        return write_private(folder / f"upload{suffix}", data)
    out = folder / "csv"
    out.mkdir(mode=0o700)
    limits = InputLimits.from_env()
    rows = 0
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_zip(archive, name, limits)
            for member in archive.infolist():
                base = Path(member.filename).name
                if member.is_dir() or not base.lower().endswith(".csv") or base.startswith("."):
                    continue
                # zipfile never inflates past the declared size, which check_zip bounded.
                content = archive.read(member)
                rows = check_csv_rows(content, f"{name}:{base}", limits, rows)
                write_private(out / base, content)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError) as exc:
        raise WorkbookError(
            [Problem(Location(file=name), f"this is not a valid zip file ({exc})", "bad_file")],
            name,
        ) from exc
    except FileExistsError as exc:
        raise WorkbookError(
            [
                Problem(
                    Location(file=name),
                    f"the zip holds two files named {Path(str(exc.filename)).name}",
                    "bad_file",
                )
            ],
            name,
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
    server = getattr(store, "server", None)
    wb, notes = read_upload_noted(data, filename, server.data_dir if server is not None else None)
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


def read_upload(data: bytes, filename: str, data_dir: Path | None = None) -> Workbook:
    """Validate an uploaded workbook; problems name the uploaded file, not a scratch path."""
    return read_upload_noted(data, filename, data_dir)[0]


def read_upload_noted(
    data: bytes, filename: str, data_dir: Path | None = None
) -> tuple[Workbook, list[Problem]]:
    """:func:`read_upload`, with the notes on what was read other than written.

    The upload is unpacked in a private scratch folder under the data folder
    (:mod:`collabgraph.safety.scratch`), removed afterwards, or at the next start
    when the process was killed.
    """
    with scratch_dir(data_dir or default_data_dir(), "upload") as folder:
        tmp = str(folder)
        path = unpack_upload(data, filename, folder)

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
