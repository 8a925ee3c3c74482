"""The dashboard's HTML pages, through the real app on the real embedded store."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from collabgraph.counterparts import find_counterparts
from collabgraph.errors import WorkbookError
from collabgraph.gaps import find_gaps
from collabgraph.graph import workbook_to_graph
from collabgraph.store.falkor import FalkorStore
from collabgraph.workbook import load_workbook
from collabgraph.worksheet import standing_meeting_rows, structure_rows
from tests.api.conftest import app_settings, mini_yaml
from tests.conftest import EXAMPLES, MINI, SMALL_GAPS

SMALL = EXAMPLES / "small-district.yaml"
DISTRICT = "lakeside-usd"
#: The gaps planted in examples/small-district.yaml (rule code, subject).
PLANTED = SMALL_GAPS
HOSTILE_PERSON = "<img src=x onerror=alert(1)>"
HOSTILE_DISTRICT = '<script>alert("district")</script>'
HOSTILE_TEAM = "<b onmouseover=alert(2)>Special</b> & Co"


def broken_small_district() -> bytes:
    """examples/small-district.yaml with three planted input errors."""
    text = SMALL.read_text(encoding="utf-8")
    text = text.replace("level: alternative", "level: boarding-school", 1)
    text = text.replace(
        "\nties:\n",
        "\nties:\n"
        "  - {source: nobody-here, target: gabriel-ruiz, frequency: weekly}\n"
        "  - {source: ngozi-eze, target: ngozi-eze, frequency: weekly}\n",
        1,
    )
    return text.encode()


def text_of(page: str) -> str:
    """The page's text: tags dropped, entities decoded, whitespace collapsed."""
    plain = html.unescape(re.sub(r"<[^>]+>", " ", page))
    return re.sub(r"\s+", " ", plain)


def upload_page(client: TestClient, name: str, data: bytes, **fields: str) -> Any:
    return client.post("/upload", files={"file": (name, data)}, data=fields, follow_redirects=False)


@pytest.fixture
def small(client: TestClient) -> TestClient:
    res = upload_page(client, "small-district.yaml", SMALL.read_bytes())
    assert res.status_code == 303, res.text
    return client


@pytest.fixture(scope="module")
def small_reports() -> dict[str, Any]:
    graph = workbook_to_graph(load_workbook(SMALL))
    gaps = find_gaps(graph)
    return {
        "graph": graph,
        "gaps": gaps,
        "counterparts": find_counterparts(graph),
    }


def test_home_without_districts_shows_the_upload_form(client: TestClient) -> None:
    res = client.get("/")
    assert res.status_code == 200
    assert res.headers["content-type"].startswith("text/html")
    assert "No districts yet" in res.text
    assert 'enctype="multipart/form-data"' in res.text
    for field in ('name="file"', 'name="replace"', 'name="validate_only"'):
        assert field in res.text


def test_home_lists_the_district_with_its_figures(
    small: TestClient, small_reports: dict[str, Any]
) -> None:
    page = small.get("/").text
    row = re.search(r'<tr data-district="lakeside-usd">(.*?)</tr>', page, re.S)
    assert row is not None, page
    cells = text_of(row.group(1))
    assert "Lakeside Union School District" in cells
    assert 'href="/d/lakeside-usd"' in row.group(1)
    # 15 undirected ties among 15 association people -> 2*15/(15*14)... checked by hand:
    # the network report says 0.357; four of five schools have a building rep.
    density = re.search(r'class="num density"[^>]*>([^<]*)<', row.group(1))
    assert density is not None and density.group(1) == "0.36"
    assert "80% (4/5)" in cells
    gaps = small_reports["gaps"]
    expected = {"critical": 0, "warning": 0, "advice": 0}
    for finding in gaps.findings:
        expected[finding.severity.value] += 1
    assert expected == {"critical": 1, "warning": 4, "advice": 1}
    for severity, n in expected.items():
        assert f'data-severity="{severity}" title="{severity}">{n} {severity}<' in row.group(1)
    unmatched = re.search(r'class="num unmatched"[^>]*>(\d+)<', row.group(1))
    counterparts = small_reports["counterparts"]
    n_unmatched = len(counterparts.unmatched_management) + len(counterparts.unmatched_labor)
    assert n_unmatched == 1  # the chief business officer
    assert unmatched is not None and int(unmatched.group(1)) == n_unmatched


def test_district_page_shows_findings_worksheets_views_and_downloads(
    small: TestClient, small_reports: dict[str, Any]
) -> None:
    res = small.get(f"/d/{DISTRICT}")
    assert res.status_code == 200
    page = res.text
    text = text_of(page)
    gaps = small_reports["gaps"]
    assert {(f.code, f.subject) for f in gaps.findings} == PLANTED
    for finding in gaps.findings:
        row = re.search(
            rf'<tr class="finding" data-code="{finding.code}" '
            rf'data-subject="{re.escape(finding.subject)}">(.*?)</tr>',
            page,
            re.S,
        )
        assert row is not None, finding.id
        cells = text_of(row.group(1))
        for part in (
            finding.severity.value,
            finding.subject_name,
            finding.message,
            finding.suggestion,
            finding.source,
        ):
            assert part in cells, (finding.id, part)
    structure = structure_rows(small_reports["graph"], gaps)
    assert any(r.desired for r in structure)
    for header in ("Existing Structure", "Topics Addressed", "Who is Included?", "Modifications?"):
        assert header in text
    for srow in structure:
        for cell in (srow.structure, srow.topics, srow.modifications):
            assert cell in text, cell
        for group in srow.included.split(" / "):  # one colored line per side
            assert group in text, group
    meetings = standing_meeting_rows(small_reports["counterparts"])
    for header in ("District Administration", "Union/Association", "Standing Meeting", "Cadence"):
        assert header in text
    for mrow in meetings:
        assert mrow.administration in text and mrow.association in text and mrow.status in text
    for kind in ("network", "structure", "counterparts"):
        assert f'src="/districts/{DISTRICT}/views/{kind}"' in page
    for link in (
        "worksheets/structure?format=csv",
        "worksheets/structure?format=md",
        "worksheets/standing-meetings?format=csv",
        "worksheets/standing-meetings?format=md",
        "export/workbook?format=xlsx",
        "export/graph?format=graphml",
    ):
        assert f'href="/districts/{DISTRICT}/{link}"' in page
        assert small.get(f"/districts/{DISTRICT}/{link}").status_code == 200


def test_pages_load_nothing_from_elsewhere(small: TestClient) -> None:
    for path in ("/", f"/d/{DISTRICT}", "/signin"):
        res = small.get(path)
        assert not re.search(r"https?://", res.text), path
        assert "default-src 'self'" in res.headers["content-security-policy"]
    css = small.get("/static/dashboard.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert "url(" not in css.text and "@import" not in css.text and "@font-face" not in css.text
    # The side colors are the views' palette.
    from visualizations.style import SIDE_COLORS

    home = small.get("/").text
    for side, color in SIDE_COLORS.items():
        assert f"--side-{side}: {color};" in home


@pytest.mark.parametrize("kind", ["network", "structure", "counterparts"])
def test_view_route_returns_a_self_contained_page(small: TestClient, kind: str) -> None:
    res = small.get(f"/districts/{DISTRICT}/views/{kind}")
    assert res.status_code == 200, res.text[:500]
    assert res.headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in res.headers["content-security-policy"]
    page = res.text
    assert "collabView" in page and 'id="legend"' in page
    # Nothing is fetched: no http(s) URL in a src/href/url()/import, and none at all
    # apart from XML namespace names inside the inlined vis-network build.
    assert not re.search(r"""(src|href)\s*=\s*["']?https?:""", page, re.I)
    assert not re.search(r"""url\(\s*["']?https?:|import\s*\(?\s*["']https?:""", page, re.I)
    others = {u for u in re.findall(r"https?://[^\s\"'<>)]+", page) if "www.w3.org/" not in u}
    assert not others


def test_view_route_is_documented_and_refuses_unknown_kinds(small: TestClient) -> None:
    schema = small.get("/openapi.json").json()
    operation = schema["paths"]["/districts/{district}/views/{kind}"]["get"]
    assert "text/html" in operation["responses"]["200"]["content"]
    assert "/" not in schema["paths"] and "/d/{district}" not in schema["paths"]
    assert small.get(f"/districts/{DISTRICT}/views/pie-chart").status_code == 422


def test_unknown_district_gets_a_friendly_html_404(client: TestClient) -> None:
    res = client.get("/d/no-such-district")
    assert res.status_code == 404
    assert res.headers["content-type"].startswith("text/html")
    assert "No district called" in res.text and "no-such-district" in res.text
    assert 'href="/"' in res.text
    view = client.get("/districts/no-such-district/views/network")
    assert view.status_code == 404 and view.headers["content-type"].startswith("text/html")
    api = client.get("/districts/no-such-district")
    assert api.status_code == 404
    assert api.headers["content-type"] == "application/problem+json"


def test_upload_redirects_to_the_district_with_a_message_once(client: TestClient) -> None:
    res = upload_page(client, "small-district.yaml", SMALL.read_bytes())
    assert res.status_code == 303
    assert res.headers["location"] == f"/d/{DISTRICT}"
    page = client.get(res.headers["location"])
    assert "Workbook small-district.yaml loaded" in page.text
    assert 'class="flash"' in page.text
    again = client.get(f"/d/{DISTRICT}")
    assert 'class="flash"' not in again.text


def test_broken_workbook_lists_every_problem_and_writes_nothing(
    small: TestClient, tmp_path: Path
) -> None:
    before = small.get(f"/districts/{DISTRICT}").json()["counts"]
    data = broken_small_district()
    res = upload_page(small, "broken.yaml", data, replace="true")
    assert res.status_code == 422
    assert res.headers["content-type"].startswith("text/html")
    broken = Path("broken.yaml")
    with pytest.raises(WorkbookError) as err:
        from api.routes.imports import read_upload

        read_upload(data, broken.name, tmp_path)  # its scratch folder under tmp_path
    problems = err.value.problems
    assert len(problems) == 3
    rows = re.findall(r'<tr class="problem">(.*?)</tr>', res.text, re.S)
    assert len(rows) == len(problems)
    for row, problem in zip(rows, problems, strict=True):
        cells = text_of(row)
        assert str(problem.location) in cells
        assert problem.message in cells
        # Internal kind codes stay in the JSON API, off the page.
        assert problem.code not in row
    text = text_of(res.text)
    assert "broken.yaml, line 46, at schools[4].level" in text
    assert "unknown person 'nobody-here'" in text
    assert "3 problems" in text and "Nothing was written" in text
    assert small.get(f"/districts/{DISTRICT}").json()["counts"] == before
    # The form is shown again, ready for the fixed file, with the same choices.
    assert 'action="/upload"' in res.text
    assert 'name="replace" value="true" checked' in res.text
    assert 'name="validate_only" value="true" checked' not in res.text


def test_broken_workbook_on_an_empty_store_creates_nothing(client: TestClient) -> None:
    res = upload_page(client, "broken.yaml", broken_small_district())
    assert res.status_code == 422
    assert client.get("/districts").json()["districts"] == []


def test_validate_only_and_empty_uploads(client: TestClient) -> None:
    res = upload_page(client, "small.yaml", SMALL.read_bytes(), validate_only="on")
    assert res.status_code == 200
    assert "is valid" in res.text and "Nothing was written" in res.text
    assert client.get("/districts").json()["districts"] == []
    empty = upload_page(client, "empty.yaml", b"")
    assert empty.status_code == 422
    assert "choose a workbook file" in empty.text
    wrong = upload_page(client, "notes.txt", b"hello")
    assert wrong.status_code == 422
    assert "upload a .yaml" in text_of(wrong.text)


def test_hostile_names_are_shown_as_text(client: TestClient) -> None:
    doc: dict[str, Any] = {
        "district": {**MINI["district"], "name": HOSTILE_DISTRICT},
        "people": [
            {**p, "name": HOSTILE_PERSON} if p["id"] == "p-teacher" else p for p in MINI["people"]
        ],
        "teams": [
            {**t, "name": HOSTILE_TEAM} if t["id"] == "sped-cmte" else t for t in MINI["teams"]
        ],
    }
    res = upload_page(client, "mini.yaml", mini_yaml(**doc))
    assert res.status_code == 303, res.text
    for path in ("/", "/d/mini"):
        page = client.get(path).text
        for raw in ("<script>alert", "<img src=x", "<b onmouseover"):
            assert raw not in page
        assert "&lt;script&gt;alert(&#34;district&#34;)&lt;/script&gt;" in page
    page = client.get("/d/mini").text
    assert "&lt;img src=x onerror=alert(1)&gt;" in page  # in the structure worksheet
    assert "&lt;b onmouseover=alert(2)&gt;Special&lt;/b&gt; &amp; Co" in page  # a finding
    view = client.get("/districts/mini/views/structure").text
    assert "<img src=x" not in view and "<b onmouseover" not in view


@pytest.fixture
def anonymous(api_store: FalkorStore, admin_token: str) -> Iterator[TestClient]:
    """A client with no session and no token, on a store that has accounts."""
    for district in api_store.list_districts():
        api_store.delete_district(district)
    with TestClient(create_app(app_settings(), store=api_store)) as test_client:
        yield test_client


def test_pages_send_whoever_is_not_signed_in_to_the_sign_in_page(anonymous: TestClient) -> None:
    res = anonymous.get("/d/x?y=1", follow_redirects=False)
    assert res.status_code == 303
    assert res.headers["location"] == "/signin?next=%2Fd%2Fx%3Fy%3D1"
    assert anonymous.get("/", follow_redirects=False).status_code == 303
    assert anonymous.get("/admin", follow_redirects=False).status_code == 303
    assert upload_page(anonymous, "s.yaml", SMALL.read_bytes()).status_code == 303
    assert anonymous.get("/districts").status_code == 401
    form = anonymous.get("/signin?next=/d/x")
    assert form.status_code == 200 and 'name="password"' in form.text


def test_home_lists_a_large_store_a_page_at_a_time(client: TestClient) -> None:
    from api.routes.pages import PAGE_SIZE

    ids = [f"district-{i:02d}" for i in range(PAGE_SIZE + 2)]
    for ident in ids:
        body = mini_yaml(district={**MINI["district"], "id": ident, "name": f"Name {ident}"})
        res = client.post("/imports", files={"file": (f"{ident}.yaml", body)})
        assert res.status_code == 200, res.text

    def listed(page: str) -> list[str]:
        return re.findall(r'<tr data-district="([^"]+)"', page)

    first = client.get("/")
    assert first.status_code == 200
    assert listed(first.text) == ids[:PAGE_SIZE]  # sorted by id
    assert f"Districts 1\u2013{PAGE_SIZE} of {PAGE_SIZE + 2} (page 1 of 2)" in text_of(first.text)
    assert 'href="/?page=2"' in first.text and "?page=0" not in first.text

    second = client.get("/", params={"page": 2})
    assert listed(second.text) == ids[PAGE_SIZE:]
    assert 'href="/?page=1"' in second.text and "?page=3" not in second.text
    # Past the end: the last page, not an empty one.
    assert listed(client.get("/", params={"page": 99}).text) == ids[PAGE_SIZE:]
    assert client.get("/", params={"page": 0}).status_code == 422


def test_home_offers_the_empty_templates(client: TestClient) -> None:
    page = client.get("/").text
    for fmt in ("xlsx", "csv", "yaml"):
        link = f'href="/template?format={fmt}"'
        assert link in page
        assert client.get(f"/template?format={fmt}").status_code == 200


def test_home_says_what_collabgraph_does_and_opens_the_example(client: TestClient) -> None:
    home = client.get("/")
    text = text_of(home.text)
    assert "collabgraph draws a school district's labor\N{EN DASH}management partnership" in text
    assert "Upload your workbook" in text and "Open the example" in text
    assert 'action="/example"' in home.text
    opened = client.post("/example", follow_redirects=False)
    assert opened.status_code == 303
    assert opened.headers["location"] == "/d/abc-unified"
    page = client.get("/d/abc-unified")
    assert page.status_code == 200
    assert "ABC Unified School District" in page.text
    # Once loaded, the home page links straight to it, and opening it again writes nothing.
    again = client.get("/")
    assert 'href="/d/abc-unified">Open the example' in again.text
    assert client.post("/example", follow_redirects=False).headers["location"] == "/d/abc-unified"


def test_figures_carry_their_meaning_and_zero_badges_are_neutral(client: TestClient) -> None:
    from collabgraph.meanings import MEANINGS

    assert upload_page(client, "mini.yaml", mini_yaml()).status_code == 303
    page = client.get("/d/mini").text
    for key in ("density", "coverage", "gaps", "unmatched"):
        figure = re.search(rf'<div class="figure[^"]*" data-figure="{key}">(.*?)</div>', page, re.S)
        assert figure is not None, key
        body = html.unescape(figure.group(1))
        assert MEANINGS[key].what in body
        assert f"High: {MEANINGS[key].high}" in body
        assert "<details" in body and MEANINGS[key].formula in body
    badges = re.findall(r'<span class="badge ([^"]+)" data-severity="(\w+)">(\d+) ', page)
    assert badges, page
    for classes, severity, count in badges:
        assert ("zero" in classes.split()) == (count == "0"), (classes, severity, count)
        assert (f"sev-{severity}" in classes.split()) == (count != "0")
    # Findings speak in names; the rule code is a small detail line only.
    for row in re.findall(r'<tr class="finding"[^>]*>(.*?)</tr>', page, re.S):
        code = re.search(r"rule ([a-z-]+)</span>", row)
        assert code is not None
        assert text_of(row).count(code.group(1)) == 1


def test_district_page_offers_the_report_and_it_names_no_one_for_a_partner(
    small: TestClient, small_reports: dict[str, Any]
) -> None:
    page = small.get(f"/d/{DISTRICT}").text
    assert f'href="/d/{DISTRICT}/report"' in page
    assert f'href="/d/{DISTRICT}/report?audience=partner"' in page
    report = small.get(f"/d/{DISTRICT}/report")
    assert report.status_code == 200
    assert report.headers["content-security-policy"].startswith("default-src 'none'")
    assert "Where the partnership stands" in report.text
    assert "Gabriel Ruiz" in report.text  # the association's copy names the isolate
    partner = small.get(f"/d/{DISTRICT}/report", params={"audience": "partner"})
    assert partner.status_code == 200
    graph = small_reports["graph"]
    names = [str(d["name"]) for _, d in graph.nodes(data=True) if d.get("kind") == "Person"]
    assert [n for n in names if n in partner.text or html.escape(n) in partner.text] == []
    assert small.get("/d/nowhere/report").status_code == 404
    bad = small.get(f"/d/{DISTRICT}/report", params={"audience": "board"})
    assert bad.status_code == 422


@pytest.mark.browser
@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="needs Debian's chromium")
def test_report_as_pdf(small: TestClient) -> None:
    res = small.get(f"/d/{DISTRICT}/report", params={"format": "pdf"})
    assert res.status_code == 200, res.text
    assert res.headers["content-type"] == "application/pdf"
    assert res.content[:5] == b"%PDF-"
    assert "attachment" in res.headers["content-disposition"]


def test_report_pdfs_are_printed_a_few_at_a_time(small: TestClient) -> None:
    """With every turn taken (COLLABGRAPH_PDF_CONCURRENCY), a PDF request waits, then
    gets 429 without starting a browser; the HTML page is not limited."""
    slots = small.app.state.pdf_slots  # type: ignore[attr-defined]
    assert slots.size == 1
    held = [slots.try_turn() for _ in range(slots.size)]
    assert all(held)
    try:
        res = small.get(f"/d/{DISTRICT}/report", params={"format": "pdf"})
        assert res.status_code == 429, res.text
        assert res.headers["retry-after"] == "5"
        assert res.json()["type"].endswith("/too-many-pdfs")
        assert small.get(f"/d/{DISTRICT}/report").status_code == 200
    finally:
        for _ in held:
            slots.release()
