"""The survey form in real headless Chromium at a phone's size, with and without JavaScript.

A real ``collabgraph serve`` on 127.0.0.1; no request may leave it. The axe-core
accessibility scan uses the copy in ``tests/vendor`` (``make vendor-axe``), checked
against its recorded SHA-256 and inlined into the page.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from collabgraph.errors import Location
from collabgraph.store.embedded import EmbeddedServer
from collabgraph.survey import SurveySpec, create_survey, issue_links
from collabgraph.workbook import validate_document
from collabgraph.workbook.document import document_from_mapping
from tests.chromium import Watch, browser_marks
from tests.conftest import ROOT
from tests.store.conftest import open_falkor
from tests.survey.conftest import golden_doc
from tests.survey.procs import serve

pytestmark = browser_marks

VENDOR = ROOT / "tests" / "vendor"
ARTIFACTS = ROOT / "test-artifacts"
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    """A served golden district with an open survey; the base URL and every link's token."""
    tmp = tmp_path_factory.mktemp("survey-browser")
    data = tmp / "data"
    _server, store = open_falkor(data)
    wb = validate_document(document_from_mapping(golden_doc("phone"), "g", lambda p: Location()))
    store.upsert_workbook(wb)
    create_survey(
        store,
        SurveySpec(district="phone", wave="w1", intro="It takes five minutes.",
                   consent="Your answers are seen by the association only."),
    )  # fmt: skip
    tokens = {x.id: x.token for x in issue_links(store, "phone", "w1")}
    store.close()
    server = serve(data, tmp / "serve.log")
    try:
        yield server.base, tokens
    finally:
        server.stop()
        EmbeddedServer(data).stop()


def _page(browser: Any, *, js: bool, bypass_csp: bool = False, width: int = 390) -> Any:
    context = browser.new_context(
        viewport={**PHONE, "width": width}, java_script_enabled=js, bypass_csp=bypass_csp,
        is_mobile=True, has_touch=True,
    )  # fmt: skip
    watch = Watch()
    context.route("**/*", watch.route)
    tab = context.new_page()
    tab.on("console", lambda m: m.type == "error" and watch.errors.append(m.text))
    tab.on("pageerror", lambda e: watch.errors.append(str(e)))
    tab.set_default_timeout(20_000)
    tab.watch = watch
    return tab


def _visible_options(tab: Any, qid: str) -> list[str]:
    return list(
        tab.eval_on_selector_all(
            f"#add-{qid} option", "os => os.filter(o => !o.hidden).map(o => o.value)"
        )
    )


def _mine(base: str, token: str) -> dict[str, Any]:
    return dict(httpx.get(f"{base}/s/{token}/answers", timeout=10).json())


def test_with_javascript_search_answer_save_reload_change_submit(
    site: tuple[str, dict[str, str]], browser: Any
) -> None:
    base, tokens = site
    tab = _page(browser, js=True)
    tab.goto(f"{base}/s/{tokens['a']}")
    assert tab.locator("fieldset").count() == 6
    assert not tab.locator("[data-search-button='find-q-data']").is_visible()  # JS hides it
    tab.locator("#find-q-data").press_sequentially("south")  # by school, as one types
    assert _visible_options(tab, "q-data") == ["d", "e", "f"]
    tab.fill("#find-q-data", "person c")
    assert _visible_options(tab, "q-data") == ["c"]
    tab.select_option("#add-q-data", ["c"])
    tab.select_option("#af-q-data", "weekly")
    tab.get_by_role("button", name="Save and finish later").click()
    assert "Your answers are saved" in tab.locator("[role=status]").inner_text()
    tab.reload()
    assert tab.locator("select[name='f:q-data:c']").input_value() == "weekly"
    tab.select_option("select[name='f:q-data:c']", "daily")
    tab.get_by_role("button", name="Send my answers").click()
    assert "Thank you" in tab.locator("[role=status]").inner_text()
    mine = _mine(base, tokens["a"])
    assert mine["state"] == "submitted"
    assert [(a["question"], a["person"], a["frequency"]) for a in mine["answers"]] == [
        ("q-data", "c", "daily")
    ]
    ARTIFACTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / "survey-phone-js.png"), full_page=True)
    assert tab.watch.outside == [] and tab.watch.errors == []
    tab.context.close()


def test_without_javascript_the_search_box_is_sent_as_a_form(
    site: tuple[str, dict[str, str]], browser: Any
) -> None:
    base, tokens = site
    tab = _page(browser, js=False)
    tab.goto(f"{base}/s/{tokens['b']}")
    assert _visible_options(tab, "q-union") == list("acdef")  # everyone but b
    tab.fill("#find-q-union", "Person E")
    tab.locator("[data-search-button='find-q-union']").click()
    assert tab.locator("#add-q-union option").all_inner_texts() == ["Person E · South School"]
    tab.select_option("#add-q-union", ["e"])
    tab.fill("#wi-q-union", "Sam Substitute")
    tab.get_by_role("button", name="Save and finish later").click()
    assert "saved" in tab.content()
    tab.goto(f"{base}/s/{tokens['b']}")  # come back later
    assert tab.locator("select[name='f:q-union:e']").input_value() == "monthly"
    tab.check("input[name='rm:q-union'][value='e']")
    tab.get_by_role("button", name="Send my answers").click()
    mine = _mine(base, tokens["b"])
    assert (mine["state"], mine["answers"]) == ("submitted", [])
    assert [w["name"] for w in mine["write_ins"]] == ["Sam Substitute"]
    assert tab.watch.outside == []
    tab.context.close()


def test_fits_a_320_px_phone_and_axe_finds_nothing_serious(
    site: tuple[str, dict[str, str]], browser: Any
) -> None:
    base, tokens = site
    axe = (VENDOR / "axe.min.js").read_bytes()
    recorded = (VENDOR / "SHA256SUMS").read_text().split()[0]
    assert hashlib.sha256(axe).hexdigest() == recorded
    tab = _page(browser, js=True, bypass_csp=True, width=320)
    tab.goto(f"{base}/s/{tokens['c']}")
    assert tab.evaluate("document.documentElement.scrollWidth") <= 320
    tab.add_script_tag(content=axe.decode("utf-8"))
    result = tab.evaluate("async () => await axe.run(document)")
    assert len(result["passes"]) > 10  # the scan did run
    bad = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert bad == []
    # focus order follows the page: the first field of question 1 comes before question 2's
    tab.focus("#find-q-data")
    order = []
    for _ in range(8):
        tab.keyboard.press("Tab")
        order.append(tab.evaluate("document.activeElement.id"))
    assert order.index("add-q-data") < order.index("af-q-data") < order.index("wi-q-data")
    res = httpx.get(f"{base}/s/{'x' * 43}", timeout=10)
    assert res.status_code == 404 and "<form" not in res.text
    tab.context.close()
