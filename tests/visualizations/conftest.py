"""Fixtures for the view tests: the small example district, and a hostile copy of it."""

from __future__ import annotations

from pathlib import Path

import pytest

from collabgraph.graph import DistrictGraph, workbook_to_graph
from collabgraph.workbook import load_workbook
from tests.conftest import EXAMPLES

#: Names that would run script if a page put them in as HTML.
HOSTILE_PERSON = "<img src=x onerror=alert(1)>"
HOSTILE_TEAM = "</script><script>alert(2)</script>"
HOSTILE_TITLE = "Chief <b onmouseover=alert(3)>Business</b> & Officer"
HOSTILE_DISTRICT = "Lakeside <svg onload=alert(4)>"
HOSTILE = (HOSTILE_PERSON, HOSTILE_TEAM, HOSTILE_TITLE, HOSTILE_DISTRICT)


def hostile_workbook(folder: Path) -> Path:
    """examples/small-district.yaml with hostile names in every view.

    The isolated rep Gabriel Ruiz (network view), the Educator Workload
    Committee (structure chart), the Chief Business Officer (counterparts) and
    the district itself (every page title) are renamed. Gabriel Ruiz also gets
    an e-mail-like note nowhere: the model has no field for one.
    """
    text = (EXAMPLES / "small-district.yaml").read_text(encoding="utf-8")
    for old, new in (
        ("name: Gabriel Ruiz,", f'name: "{HOSTILE_PERSON}",'),
        ("name: Educator Workload Committee,", f'name: "{HOSTILE_TEAM}",'),
        ("title: Chief Business Officer,", f'title: "{HOSTILE_TITLE}",'),
        ("  name: Lakeside Union School District\n", f'  name: "{HOSTILE_DISTRICT}"\n'),
    ):
        assert old in text, old
        text = text.replace(old, new, 1)
    path = folder / "hostile-district.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def small_graph() -> DistrictGraph:
    """The small example district."""
    return workbook_to_graph(load_workbook(EXAMPLES / "small-district.yaml"))


@pytest.fixture(scope="session")
def hostile_graph(tmp_path_factory: pytest.TempPathFactory) -> DistrictGraph:
    """The small example district with hostile names."""
    return workbook_to_graph(load_workbook(hostile_workbook(tmp_path_factory.mktemp("hostile"))))
