"""The respondent's form: ``/s/{token}``, public, server-rendered, works without JavaScript.

``GET /s/{token}``
    The form with the respondent's own answers (``?find:<question>=`` filters a
    question's list when JavaScript is off). A closed, revoked or unknown link
    gets a plain page (200 for closed, 404 for unknown or revoked), not an error.
``POST /s/{token}``
    The form sent: saves (every button saves), then 303 back to the form.
``GET /s/{token}/answers``, ``PUT /s/{token}/answers``
    The same as JSON, for scripts and tests (the respondent's own answers only).
``GET /s/assets/{name}``
    The form's stylesheet and script; nothing else is loaded.

The link's token is the only credential; the pages send ``Referrer-Policy:
same-origin`` and load nothing from elsewhere, so it never leaves this server in a
Referer header (while the form's posts still carry the Origin the access check needs).
"""

from __future__ import annotations

import functools
from typing import Annotated, Any, Final
from urllib.parse import urlencode

from fastapi import APIRouter, Body, Depends, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from api.deps import SettingsDep, raw_store
from api.errors import ApiError
from api.web import render_page
from collabgraph.store.base import Store
from collabgraph.survey import AnswerSet, LinkState, SaveRefused, SurveyError, find_link
from collabgraph.survey.answers import Link, own_answers, roster_of, save_answers
from collabgraph.survey.model import ANSWER_CHOICES

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


def _store(request: Request, settings: SettingsDep) -> Store:
    """The process's store itself: a respondent has no account, and a signed-in visitor's
    account has nothing to do with the link they open."""
    return raw_store(request, settings)


StoreDep = Annotated[Store, Depends(_store)]

_ASSETS: Final = {"survey.css": "text/css", "survey.js": "text/javascript"}
_STATIC: Final = __import__("pathlib").Path(__file__).resolve().parent.parent / "static"
_HEADERS: Final = {
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    "X-Frame-Options": "DENY",
}
#: Form fields a post may carry (a roster of a few thousand names fits many times over).
MAX_FIELDS: Final = 5000

_MESSAGES: Final = {
    LinkState.CLOSED: (
        200,
        "This survey is closed",
        "Thank you: the survey no longer takes answers.",
    ),
    LinkState.REVOKED: (404, "This link no longer works", "Ask the association for a new link."),
    LinkState.UNKNOWN: (
        404,
        "This link does not work",
        "Check that the whole link was copied, or ask the association for a new one.",
    ),
}


def _page(request: Request, template: str, status: int = 200, **ctx: Any) -> HTMLResponse:
    page = render_page(request, template, status_code=status, **ctx)
    page.headers.update(_HEADERS)
    return page


def _message(request: Request, state: LinkState) -> HTMLResponse:
    status, heading, message = _MESSAGES[state]
    return _page(request, "survey_message.html.j2", status, heading=heading, message=message)


@router.get("/s/assets/{name}")
def asset(name: str) -> Response:
    """The form's own stylesheet and script."""
    if name not in _ASSETS:
        raise ApiError(404, "Not found", f"no survey asset {name!r}", slug="not-found")
    return FileResponse(
        _STATIC / name, media_type=_ASSETS[name], headers={"Cache-Control": "max-age=3600"}
    )


def _fold(text: str) -> str:
    import unicodedata

    return "".join(
        c for c in unicodedata.normalize("NFD", text.casefold()) if not unicodedata.combining(c)
    )


def _form_context(
    store: Store, link: Link, token: str, finds: dict[str, str], write_ins: dict[str, str]
) -> dict[str, Any]:
    if link.spec is None:  # an open link always has its survey
        raise SurveyError("this link's survey has no settings")
    roster = roster_of(store, link.district, link.wave)
    by_id = {p.id: p for p in roster}
    mine = own_answers(store, link, token)
    questions = []
    for q in link.spec.questions:
        chosen = [
            {**by_id[a["person"]].model_dump(), "frequency": a["frequency"]}
            for a in mine.answers
            if a["question"] == q.id and a["person"] in by_id
        ]
        taken = {c["id"] for c in chosen} | {link.respondent}
        want = _fold(finds.get(q.id, "").strip())
        options = [
            p
            for p in roster
            if p.id not in taken and (not want or want in _fold(f"{p.name} {p.school}"))
        ]
        wrote = [w["name"] for w in mine.write_ins if w["question"] == q.id]
        questions.append(
            {
                "id": q.id,
                "text": q.text,
                "chosen": chosen,
                "options": options,
                "find": finds.get(q.id, ""),
                "write_in": write_ins.get(q.id, wrote[0] if wrote else ""),
            }
        )
    return {
        "token": token,
        "wave": link.wave,
        "name": link.name,
        "intro": link.spec.intro,
        "consent": link.spec.consent,
        "questions": questions,
        "choices": list(ANSWER_CHOICES.items()),
        "submitted": link.state is LinkState.SUBMITTED,
        "saved_at": link.saved_at,
    }


@router.get("/s/{token}", response_class=HTMLResponse)
def form(request: Request, token: str, store: StoreDep) -> HTMLResponse:
    """The survey form of one respondent."""
    link = find_link(store, token)
    if link.state not in (LinkState.OPEN, LinkState.SUBMITTED):
        return _message(request, link.state)
    finds = {k[5:]: v[:100] for k, v in request.query_params.items() if k.startswith("find:")}
    flash = {"saved": "Your answers are saved.", "sent": "Thank you: your answers are sent."}
    ctx = _form_context(store, link, token, finds, {})
    return _page(
        request,
        "survey_form.html.j2",
        flash=flash.get(request.query_params.get("done", ""), ""),
        error="",
        **ctx,
    )


def _answers_from_form(
    form: Any, link: Link, current: list[dict[str, Any]], write_ins: list[dict[str, Any]]
) -> tuple[dict[str, Any], str]:
    """The answer set a posted form stands for, and the action it asked for."""
    if link.spec is None:  # an open link always has its survey
        raise SurveyError("this link's survey has no settings")
    answers: list[dict[str, str]] = []
    wi: list[dict[str, str]] = []
    for q in link.spec.questions:
        removed = set(form.getlist(f"rm:{q.id}"))
        seen: set[str] = set()
        for a in current:
            if a["question"] != q.id or a["person"] in removed:
                continue
            freq = str(form.get(f"f:{q.id}:{a['person']}") or a["frequency"])
            answers.append({"question": q.id, "person": a["person"], "frequency": freq})
            seen.add(a["person"])
        freq = str(form.get(f"addfreq:{q.id}") or "monthly")
        for person in form.getlist(f"add:{q.id}"):
            if str(person) not in seen and str(person) != link.respondent:
                answers.append({"question": q.id, "person": str(person), "frequency": freq})
                seen.add(str(person))
        name = str(form.get(f"writein:{q.id}") or "").strip()
        if name:
            old = [w for w in write_ins if w["question"] == q.id and w["name"] == name]
            wi.append(
                {"question": q.id, "name": name, "frequency": old[0]["frequency"] if old else freq}
            )
    action = str(form.get("action") or "save")
    return {"answers": answers, "write_ins": wi, "submitted": action == "submit"}, action


@router.post("/s/{token}", response_model=None)
async def send(request: Request, token: str, store: StoreDep) -> Response:
    """The form sent: save, then back to the form (303)."""
    link = await run_in_threadpool(find_link, store, token)
    if link.state not in (LinkState.OPEN, LinkState.SUBMITTED):
        return _message(request, link.state)
    form = await request.form(max_fields=MAX_FIELDS, max_files=0)
    mine = await run_in_threadpool(own_answers, store, link, token)
    data, action = _answers_from_form(form, link, mine.answers, mine.write_ins)
    try:
        answers = AnswerSet.model_validate(data)
        await run_in_threadpool(functools.partial(save_answers, link=link), store, token, answers)
    except SaveRefused as exc:
        return _message(request, exc.state)
    except (ValidationError, SurveyError) as exc:
        text = exc.errors()[0]["msg"] if isinstance(exc, ValidationError) else str(exc)
        ctx = await run_in_threadpool(_form_context, store, link, token, {}, {})
        return _page(
            request, "survey_form.html.j2", 422, flash="", error=f"Not saved: {text}", **ctx
        )
    query: dict[str, str] = {"done": "sent" if action == "submit" else "saved"}
    if action.startswith("search:"):
        qid = action[7:]
        query = {f"find:{qid}": str(form.get(f"find:{qid}") or "")[:100]}
    target = f"{request.scope.get('root_path', '')}/s/{token}?{urlencode(query)}"
    if action.startswith("search:"):
        target += f"#{action[7:]}"
    return RedirectResponse(target, status_code=303, headers={"Referrer-Policy": "same-origin"})


def _json_link(store: Store, token: str) -> Link:
    link = find_link(store, token)
    if link.state is LinkState.UNKNOWN or link.state is LinkState.REVOKED:
        raise ApiError(404, "Not found", "this survey link does not work", slug="not-found")
    return link


@router.get("/s/{token}/answers")
def read_mine(token: str, store: StoreDep) -> dict[str, Any]:
    """The respondent's own answers and write-ins, and the link's state."""
    link = _json_link(store, token)
    mine = own_answers(store, link, token)
    return {"state": link.state.value, "saved_at": link.saved_at, **mine.model_dump()}


@router.put("/s/{token}/answers")
def put_mine(token: str, store: StoreDep, answers: Annotated[AnswerSet, Body()]) -> dict[str, Any]:
    """Replace the respondent's own answers (one statement); 409 once the survey is closed."""
    found = _json_link(store, token)
    try:
        link = save_answers(store, token, answers, link=found)
    except SaveRefused as exc:
        if exc.state is LinkState.CLOSED:
            raise ApiError(409, "Survey closed", str(exc), slug="survey-closed") from None
        raise ApiError(404, "Not found", str(exc), slug="not-found") from None
    return {"state": link.state.value, "saved_at": link.saved_at}
