"""300 respondents through a real server from several client processes; kill -9 mid-burst.

Everything on 127.0.0.1, bounded: four client processes of 75 respondents each.
The answers are read back straight from the store and compared exactly.
"""

from __future__ import annotations

import os
import signal
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from collabgraph.errors import Location
from collabgraph.store.embedded import EmbeddedServer
from collabgraph.survey import SurveySpec, create_survey, issue_links
from collabgraph.survey.lifecycle import read_answers
from collabgraph.survey.roster import roster_people
from collabgraph.workbook import validate_document
from collabgraph.workbook.document import document_from_mapping
from tests.store.conftest import open_falkor
from tests.survey.burst_client import answers_of
from tests.survey.conftest import golden_doc
from tests.survey.procs import acknowledged, clients, serve

DISTRICT, WAVE, CLIENTS = "burst", "w1", 4


@pytest.fixture
def burst(tmp_path: Path) -> Iterator[tuple[Path, list[Path], Path, list[str]]]:
    """A data folder with a 300-rep district and its survey; token shards; the roster file."""
    data = tmp_path / "data"
    _server, store = open_falkor(data)
    doc = golden_doc(DISTRICT, extra_people=294)
    wb = validate_document(document_from_mapping(doc, "burst", lambda p: Location()))
    store.upsert_workbook(wb)
    create_survey(store, SurveySpec(district=DISTRICT, wave=WAVE))
    links = issue_links(store, DISTRICT, WAVE)
    roster = [p.id for p in roster_people(wb, SurveySpec(district=DISTRICT, wave=WAVE).roster)]
    store.close()
    assert len(links) == 300
    shards = []
    for i in range(CLIENTS):
        shard = tmp_path / f"shard-{i}.txt"
        shard.write_text("".join(f"{x.id} {x.token}\n" for x in links[i::CLIENTS]))
        shards.append(shard)
    roster_file = tmp_path / "roster.txt"
    roster_file.write_text("\n".join(roster))
    yield data, shards, roster_file, roster
    EmbeddedServer(data).stop()


def _stored(data: Path) -> dict[str, Counter[tuple[str, str, str]]]:
    """Each respondent's stored answers (a fresh connection; starts the store if it is down)."""
    _server, store = open_falkor(data)
    try:
        out: dict[str, Counter[tuple[str, str, str]]] = {}
        for a in read_answers(store, DISTRICT, WAVE):
            key = (a["question"], a["person"], a["frequency"])
            out.setdefault(a["respondent"], Counter())[key] += 1
        return out
    finally:
        store.close()


def _expected(person: str, roster: list[str]) -> Counter[tuple[str, str, str]]:
    given = answers_of(person, roster)["answers"]
    return Counter((a["question"], a["person"], a["frequency"]) for a in given)  # type: ignore[index,union-attr]


def _wait(procs: list[object], timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    for p in procs:
        p.wait(timeout=max(1.0, deadline - time.monotonic()))  # type: ignore[attr-defined]


def test_300_respondents_every_answer_once_and_no_5xx(
    burst: tuple[Path, list[Path], Path, list[str]], tmp_path: Path
) -> None:
    data, shards, roster_file, roster = burst
    server = serve(data, tmp_path / "serve.log")
    try:
        _wait(clients(server.base, shards, roster_file))
    finally:
        server.stop()
    acks = acknowledged(shards)
    assert len(acks) == 300
    assert Counter(s for _, s, _ in acks) == {200: 300}
    stored = _stored(data)
    assert set(stored) == set(roster)
    for person, got in stored.items():
        assert got == _expected(person, roster), person  # every answer, none twice


def test_kill_9_of_the_server_and_of_the_store_mid_burst_loses_nothing_acknowledged(
    burst: tuple[Path, list[Path], Path, list[str]], tmp_path: Path
) -> None:
    data, shards, roster_file, roster = burst
    # 1. kill -9 the API server once some answers are acknowledged
    server = serve(data, tmp_path / "serve-1.log")
    procs = clients(server.base, shards, roster_file, stop_on_error=True)
    deadline = time.monotonic() + 120
    while len(acknowledged(shards)) < 40 and time.monotonic() < deadline:
        time.sleep(0.02)
    server.kill()
    _wait(procs)
    first = {p for p, s, _ in acknowledged(shards) if s == 200}
    assert 40 <= len(first) < 300
    # 2. a new server; kill -9 the embedded store itself mid-burst
    for shard in shards:
        done = {line.split()[0] for line in shard.with_suffix(".out").read_text().splitlines()}
        rest = [line for line in shard.read_text().splitlines() if line.split()[0] not in done]
        shard.write_text("".join(f"{line}\n" for line in rest))
    server = serve(data, tmp_path / "serve-2.log")
    try:
        procs = clients(server.base, shards, roster_file)
        deadline = time.monotonic() + 120
        while len(acknowledged(shards)) < len(first) + 40 and time.monotonic() < deadline:
            time.sleep(0.02)
        pid = EmbeddedServer(data).pid()
        assert pid is not None
        os.kill(pid, signal.SIGKILL)
        _wait(procs)
    finally:
        server.stop()
    acked = {p for p, s, _ in acknowledged(shards) if s == 200}
    assert first < acked
    stored = _stored(data)  # the store restarts from its append-only file
    for person in acked:
        assert stored.get(person) == _expected(person, roster), person
    for person, got in stored.items():  # nothing torn: a save is there whole or not at all
        assert got == _expected(person, roster), person
    statuses = Counter(s for _, s, _ in acknowledged(shards))
    assert set(statuses) <= {0, 200, 503}, statuses
