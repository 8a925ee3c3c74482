"""Empty workbooks to fill in: the starting point for a district's own data."""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from api.routes.exports import XLSX_MEDIA, download
from collabgraph.workbook import Encoding
from collabgraph.workbook.template import write_template

__all__ = ["router"]

router = APIRouter(prefix="/template", tags=["templates"])

_MEDIA = {
    Encoding.XLSX: XLSX_MEDIA,
    Encoding.YAML: "application/yaml; charset=utf-8",
    Encoding.JSON: "application/json",
    Encoding.CSV: "application/zip",
}


@router.get(
    "",
    summary="An empty, commented workbook to fill in",
    responses={200: {"content": {media: {} for media in sorted(set(_MEDIA.values()))}}},
)
def get_template(
    format: Annotated[
        Encoding, Query(description="xlsx (with an instructions sheet), yaml, json or csv (a zip)")
    ] = Encoding.XLSX,
) -> Response:
    """Download an empty workbook with every section and column explained.

    Fill it in and upload it (``POST /imports``, or the dashboard's form); the
    CSV template comes as a zip of one file per section plus a README.
    """
    with tempfile.TemporaryDirectory(prefix="collabgraph-template-") as tmp:
        written = write_template(Path(tmp) / "my-district", format)
        if format is Encoding.CSV:
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                for path in sorted(written.iterdir()):
                    archive.write(path, path.name)
            data, name = buffer.getvalue(), "my-district-csv.zip"
        else:
            data, name = written.read_bytes(), written.name
    return download(data, _MEDIA[format], name)
