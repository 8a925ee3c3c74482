"""Creating a tie survey from the dashboard (docs/dashboard.md).

``GET /d/{district}/surveys``
    The form: wave label, who is asked (with how many people each choice asks), who
    can be named, a limit of names per question, the intro and consent texts, dates.
``POST /d/{district}/surveys``
    Create the wave (:func:`collabgraph.survey.create_survey`), then go to its page
    (303); bad input: the form again with what was typed, a message naming the field
    (422, or 409 for a wave that exists), and nothing written.
"""

from __future__ import annotations

from typing import Annotated, Any, Final
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from api.deps import PrincipalDep, StoreDep
from api.routes.auth import page
from api.routes.pages import flash_redirect
from api.routes.survey_pages import wave_path
from collabgraph.store.base import Store
from collabgraph.survey import SurveyError, SurveyExists, SurveySpec, create_survey
from collabgraph.survey.model import MAX_NAMES, RespondentGroup, RosterGroup
from collabgraph.survey.review import wave_summary
from collabgraph.survey.roster import respondents_of, roster_people

__all__ = ["FIELD_LABELS", "GROUPS", "router"]

router = APIRouter(include_in_schema=False)

#: The create form's fields as the page names them (errors say which one is wrong).
FIELD_LABELS: Final = {
    "wave": "Wave label",
    "respondents": "Who is asked",
    "respondent_ids": "People to ask",
    "roster": "Who can be named",
    "max_names": "Names per question",
    "intro": "Introduction",
    "consent": "Consent text",
    "opens": "Opens on",
    "closes": "Closes on",
}
#: What each respondent group is called on the form.
GROUPS: Final = {
    "reps": "Building representatives",
    "officers": "Officers (president, vice presidents, officers, chief negotiator)",
    "association": "Every association member",
    "list": "The people I choose below",
}
#: The slips' page may load nothing; the links it carries must not leak in a Referer.

#: The create form as it first shows.
_BLANK: Final[dict[str, Any]] = {"wave": "", "respondents": "reps", "people": [],
    "roster": "association", "max_names": "", "intro": "", "consent": "", "opens": "",
    "closes": ""}  # fmt: skip


def _new_form(
    request: Request,
    store: Store,
    district: str,
    *,
    status_code: int = 200,
    error: str = "",
    field: str = "",
    values: dict[str, Any] | None = None,
) -> Response:
    wb = store.read_workbook(district)  # UnknownDistrict: the not-found page
    counts = {
        g: len(
            respondents_of(
                wb, SurveySpec(district=district, wave="x", respondents=RespondentGroup(g))
            )
        )
        for g in ("reps", "officers", "association")
    }
    return page(
        request,
        "surveys_new.html.j2",
        status_code=status_code,
        name=wb.district.name,
        district=district,
        quoted=quote(district, safe=""),
        groups=GROUPS,
        counts=counts,
        people=roster_people(wb, RosterGroup.DISTRICT),
        max_names=MAX_NAMES,
        error=error,
        field=field,
        v={**_BLANK, **(values or {})},
    )


@router.get("/d/{district}/surveys", response_class=HTMLResponse)
def new_survey(district: str, request: Request, store: StoreDep, me: PrincipalDep) -> Response:
    """The form that creates a survey wave."""
    return _new_form(request, store, district)


def _field_error(exc: ValidationError) -> tuple[str, str]:
    """The form field a validation error is about, and a plain message."""
    err = exc.errors()[0]
    loc = str(err["loc"][0]) if err["loc"] else ""
    msg = str(err["msg"]).removeprefix("Value error, ")
    if not loc:  # a check across fields
        loc = "closes" if "closes" in msg else "respondent_ids" if "respondent_ids" in msg else ""
    if loc == "wave":
        msg = (
            "use letters, digits, '-', '_' or '.', starting with a letter or digit (e.g. 2026-fall)"
        )
    elif loc == "respondent_ids":
        msg = "choose at least one person to ask" if "needs" in msg else msg
    elif loc in ("opens", "closes") and "before" not in msg:
        msg = "give a date as YYYY-MM-DD"
    return loc, f"{FIELD_LABELS.get(loc, 'The form')}: {msg}"


@router.post("/d/{district}/surveys", response_class=HTMLResponse)
def create(
    district: str,
    request: Request,
    store: StoreDep,
    me: PrincipalDep,
    wave: Annotated[str, Form(max_length=1000)] = "",
    respondents: Annotated[str, Form(max_length=40)] = "reps",
    people: Annotated[list[str] | None, Form()] = None,
    roster: Annotated[str, Form(max_length=40)] = "association",
    max_names: Annotated[str, Form(max_length=40)] = "",
    intro: Annotated[str, Form(max_length=20_000)] = "",
    consent: Annotated[str, Form(max_length=20_000)] = "",
    opens: Annotated[str, Form(max_length=40)] = "",
    closes: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    """Create a survey wave from the form; nothing is written unless all of it is right."""
    values = {
        "wave": wave,
        "respondents": respondents,
        "people": people or [],
        "roster": roster,
        "max_names": max_names,
        "intro": intro,
        "consent": consent,
        "opens": opens,
        "closes": closes,
    }

    def refuse(status: int, field: str, message: str) -> Response:
        return _new_form(
            request, store, district, status_code=status, error=message, field=field, values=values
        )

    fields: dict[str, Any] = {
        "district": district,
        "wave": wave.strip(),
        "roster": roster,
        "respondents": respondents,
        "intro": intro,
        "consent": consent,
    }
    if respondents == RespondentGroup.LIST.value:
        fields["respondent_ids"] = people or []
    if max_names.strip():
        try:
            fields["max_names"] = int(max_names)
        except ValueError:
            return refuse(
                422,
                "max_names",
                f"{FIELD_LABELS['max_names']}: give a whole number "
                f"from 1 to {MAX_NAMES}, or leave it empty for no limit",
            )
    for key, text in (("opens", opens), ("closes", closes)):
        if text.strip():
            fields[key] = text.strip()
    try:
        spec = SurveySpec.model_validate(fields)
        made = create_survey(store, spec)
    except ValidationError as exc:
        return refuse(422, *_field_error(exc))
    except SurveyExists as exc:
        return refuse(409, "wave", f"{FIELD_LABELS['wave']}: {exc}; choose another label")
    except SurveyError as exc:  # nobody to ask, nobody to name, an id not in the district
        field = "roster" if "nobody to name" in str(exc) else "respondents"
        return refuse(422, field, f"{FIELD_LABELS[field]}: {exc}")
    asked = wave_summary(store, district, made.wave).asked
    return flash_redirect(
        request,
        wave_path(district, made.wave),
        f"Survey {made.wave} created: {asked} people to ask. It is a draft until you make "
        "the links (below).",
    )
