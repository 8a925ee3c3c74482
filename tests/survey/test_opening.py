"""Opening a draft survey: four processes open the same survey at once; one makes the links.

Real processes on one embedded store (its Unix socket), bounded: 3,006 respondents, so
the links go in two statements.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from collabgraph.errors import Location
from collabgraph.survey import LinkState, SurveySpec, create_survey, find_link
from collabgraph.survey.opening import BATCH, AlreadyOpen, open_links
from collabgraph.workbook import validate_document
from collabgraph.workbook.document import document_from_mapping
from tests.store.conftest import open_falkor
from tests.survey.conftest import golden_doc
from tests.survey.procs import ROOT, env_for

OPENER = textwrap.dedent(
    """
    import json, sys, time
    from collabgraph.store import open_store
    from collabgraph.survey.opening import AlreadyOpen, open_links
    store = open_store()
    time.sleep(max(0.0, float(sys.argv[1]) - time.time()))  # all start together
    try:
        links = open_links(store, "race", "w1")
        print(json.dumps({x.id: x.token for x in links}))
    except AlreadyOpen as exc:
        print("refused", exc)
    """
)


def test_four_processes_open_one_draft_and_exactly_one_makes_the_links(tmp_path: Path) -> None:
    server, store = open_falkor(tmp_path / "data")
    try:
        doc = golden_doc("race", extra_people=3000)
        store.upsert_workbook(
            validate_document(document_from_mapping(doc, "r", lambda p: Location()))
        )
        create_survey(store, SurveySpec(district="race", wave="w1"))
        start = time.time() + 3.0
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", OPENER, str(start)],
                cwd=ROOT,
                env=env_for(tmp_path / "data"),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(4)
        ]
        outs = [p.communicate(timeout=120) for p in procs]
        for p, (_, err) in zip(procs, outs, strict=True):
            assert p.returncode == 0, err[-2000:]
        won = [json.loads(out) for out, _ in outs if not out.startswith("refused")]
        refused = [out for out, _ in outs if out.startswith("refused")]
        assert len(won) == 1 and len(refused) == 3, outs
        assert "were already made" in refused[0]
        tokens = won[0]
        assert len(tokens) == 3006 > BATCH  # every respondent, over two statements
        for person in ["a", "f", "x0", "x1999", "x2999"]:  # both statements' links work
            link = find_link(store, tokens[person])
            assert (link.state, link.respondent) == (LinkState.OPEN, person)
        with pytest.raises(AlreadyOpen):  # and a later opener is refused too
            open_links(store, "race", "w1")
    finally:
        store.close()
        server.stop()
