"""The access policy: one rule for every operation of the API and the dashboard.

:data:`POLICY` maps ``(method, path template)`` to a :class:`Rule`, and
:func:`api.security.enforce` applies it to every request before the route
runs. A route with no rule is refused (403) — and the role-by-operation test,
generated from the OpenAPI document, fails for it — so a new route cannot be
reachable by accident.

Where the data itself differs by role (a partner's network figures are
aggregates; a researcher's are pseudonymized), the rule lets the role in and
the route shapes what it returns; see ``docs/access.md``.

Examples
--------
>>> rule_for("GET", "/districts/{district}/ties").roles == NAMED
True
>>> rule_for("HEAD", "/health").who
'public'
>>> rule_for("GET", "/nowhere") is None
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from collabgraph.access.roles import Role

__all__ = [
    "ADMIN",
    "ANY",
    "JOINT",
    "NAMED",
    "POLICY",
    "STRUCTURE",
    "Rule",
    "rule_for",
]

#: Every role.
ANY: Final = frozenset(Role)
#: Roles that see people by name, the association's network included.
NAMED: Final = frozenset({Role.ADMIN, Role.ASSOCIATION})
#: Roles that see the joint structure (teams, meetings, counterparts, gaps, worksheets).
STRUCTURE: Final = frozenset({Role.ADMIN, Role.ASSOCIATION, Role.PARTNER})
#: Admins only.
ADMIN: Final = frozenset({Role.ADMIN})
#: Roles that get figures (named, aggregated or pseudonymized, by role).
FIGURES: Final = frozenset(Role)
#: Roles that run read-only queries (a researcher's run on the de-identified projection).
QUERY: Final = frozenset({Role.ADMIN, Role.ASSOCIATION, Role.RESEARCHER})


@dataclass(frozen=True)
class Rule:
    """What one operation needs.

    Attributes
    ----------
    who
        ``public`` (anyone, signed in or not), ``signed_in`` (an account with one of
        ``roles``) or ``district`` (one of ``roles`` in the path's ``{district}``).
    roles
        The roles allowed.
    audit
        The kind of operation the audit log records (``None``: not recorded).
    page
        A dashboard page: someone not signed in is sent to the sign-in page.
    subject
        The path parameter naming a person (recorded as a pseudonym).
    structure
        A write of joint structure rows: a partner of the district passes when the
        association has granted it the structure (see ``collabgraph users grant``).
    """

    who: Literal["public", "signed_in", "district"]
    roles: frozenset[Role] = ANY
    audit: str | None = None
    page: bool = False
    subject: str | None = None
    structure: bool = False


PUBLIC: Final = Rule("public")
SIGNED_IN: Final = Rule("signed_in")


def _district(roles: frozenset[Role], audit: str | None = None, **kw: object) -> Rule:
    return Rule("district", roles, audit, **kw)  # type: ignore[arg-type]


_ENTITY_SECTIONS: Final = (
    "people",
    "positions",
    "teams",
    "memberships",
    "meetings",
    "counterparts",
)
#: The joint structure rows a partner may change when the association grants it.
JOINT: Final = ("teams", "meetings", "counterparts")
#: Who may write joint structure rows (a partner only with the grant).
JOINT_WRITERS: Final = frozenset({Role.ADMIN, Role.ASSOCIATION, Role.PARTNER})

POLICY: dict[tuple[str, str], Rule] = {
    # -- open to anyone: health, signing in, the first-run setup, the stylesheet
    ("GET", "/health"): PUBLIC,
    ("GET", "/signin"): Rule("public", page=True),
    ("POST", "/signin"): Rule("public", page=True),
    ("GET", "/setup"): Rule("public", page=True),
    ("POST", "/setup"): Rule("public", page=True),
    ("GET", "/static/dashboard.css"): PUBLIC,
    # -- any signed-in account
    ("POST", "/signout"): Rule("signed_in", page=True),
    ("GET", "/account"): Rule("signed_in", page=True),
    ("POST", "/account/password"): Rule("signed_in", audit="password", page=True),
    ("GET", "/docs"): Rule("signed_in", page=True),
    ("GET", "/docs/assets/{name}"): SIGNED_IN,
    ("GET", "/openapi.json"): SIGNED_IN,
    ("GET", "/template"): SIGNED_IN,
    ("GET", "/queries"): SIGNED_IN,
    ("GET", "/districts"): SIGNED_IN,  # only the districts the account may see
    ("GET", "/"): Rule("signed_in", page=True),
    # -- writes whose district is in the body (checked again where the store writes)
    ("POST", "/imports"): Rule("signed_in", NAMED, audit="write"),
    ("POST", "/upload"): Rule("signed_in", NAMED, audit="write", page=True),
    ("POST", "/example"): Rule("signed_in", NAMED, audit="write", page=True),
    ("POST", "/queries/run"): Rule("signed_in", QUERY, audit="query"),
    ("POST", "/queries/{name}"): Rule("signed_in", QUERY, audit="query"),
    # -- one district
    ("GET", "/districts/{district}"): _district(FIGURES),
    ("DELETE", "/districts/{district}"): _district(ADMIN, "write"),
    ("GET", "/districts/{district}/graph"): _district(QUERY, "export"),
    ("GET", "/districts/{district}/analyses/network"): _district(FIGURES),
    ("GET", "/districts/{district}/analyses/gaps"): _district(STRUCTURE),
    ("GET", "/districts/{district}/analyses/counterparts"): _district(STRUCTURE),
    ("GET", "/districts/{district}/worksheets/structure"): _district(STRUCTURE),
    ("GET", "/districts/{district}/worksheets/standing-meetings"): _district(STRUCTURE),
    ("GET", "/districts/{district}/views/{kind}"): _district(STRUCTURE),
    ("GET", "/districts/{district}/export/workbook"): _district(NAMED, "export"),
    ("GET", "/districts/{district}/export/graph"): _district(QUERY, "export"),
    ("GET", "/districts/{district}/people/{key}/export"): _district(
        NAMED, "person-export", subject="key"
    ),
    ("POST", "/districts/{district}/people/{key}/erase"): _district(NAMED, "erase", subject="key"),
    ("GET", "/d/{district}"): _district(STRUCTURE, page=True),
    ("GET", "/d/{district}/report"): _district(STRUCTURE, "export", page=True),
    ("PUT", "/districts/{district}/grants/structure"): _district(NAMED, "users"),
    # -- the admin's pages and the audit log
    ("GET", "/admin"): Rule("signed_in", ADMIN, page=True),
    ("POST", "/admin/users"): Rule("signed_in", ADMIN, audit="users", page=True),
    ("POST", "/admin/users/remove"): Rule("signed_in", ADMIN, audit="users", page=True),
    ("POST", "/admin/users/token"): Rule("signed_in", ADMIN, audit="users", page=True),
    ("GET", "/audit"): Rule("signed_in", ADMIN),
}

# -- tie surveys (docs/survey.md): the association runs them and sees answers by name; a
# partner or researcher gets the list of waves and the status route's aggregates only.
_SURVEY: Final = "/districts/{district}/surveys"
POLICY.update(
    {
        ("GET", _SURVEY): _district(FIGURES),
        ("POST", _SURVEY): _district(NAMED, "survey"),
        ("GET", _SURVEY + "/{wave}"): _district(NAMED),
        ("PUT", _SURVEY + "/{wave}"): _district(NAMED, "survey"),
        ("GET", _SURVEY + "/{wave}/status"): _district(FIGURES),
        ("POST", _SURVEY + "/{wave}/links"): _district(NAMED, "survey"),
        ("POST", _SURVEY + "/{wave}/respondents/{person}/revoke"): _district(NAMED, "survey"),
        ("GET", _SURVEY + "/{wave}/answers"): _district(NAMED, "export"),
        ("POST", _SURVEY + "/{wave}/write-ins/{key}"): _district(NAMED, "survey"),
        ("POST", _SURVEY + "/{wave}/close"): _district(NAMED, "survey"),
        ("POST", _SURVEY + "/{wave}/reopen"): _district(NAMED, "survey"),
        # the respondent's form: the link's token is its only credential
        ("GET", "/s/assets/{name}"): PUBLIC,
        ("GET", "/s/{token}"): PUBLIC,
        ("POST", "/s/{token}"): PUBLIC,
        ("GET", "/s/{token}/answers"): PUBLIC,
        ("PUT", "/s/{token}/answers"): PUBLIC,
    }
)

# -- the same on the dashboard's pages: the association (and an admin) run a survey and see
# who has answered; a partner sees a wave's rates and k-rule aggregates (the route shapes them).
_WAVE_PAGE: Final = "/d/{district}/surveys/{wave}"
POLICY.update(
    {
        ("GET", "/d/{district}/surveys"): _district(NAMED, page=True),
        ("POST", "/d/{district}/surveys"): _district(NAMED, "survey", page=True),
        ("GET", _WAVE_PAGE): _district(STRUCTURE, page=True),
        ("POST", _WAVE_PAGE + "/links"): _district(NAMED, "survey", page=True),
        ("POST", _WAVE_PAGE + "/close"): _district(NAMED, "survey", page=True),
        ("POST", _WAVE_PAGE + "/reopen"): _district(NAMED, "survey", page=True),
        ("POST", _WAVE_PAGE + "/write-ins/{key}"): _district(NAMED, "survey", page=True),
        ("GET", _WAVE_PAGE + "/answers.csv"): _district(NAMED, "export", page=True),
    }
)

# The rows of a district, one resource per section. Ties are the association's
# internal network: names-only roles. Everything else is joint structure.
for _section in (*_ENTITY_SECTIONS, "ties"):
    _read = NAMED if _section == "ties" else STRUCTURE
    _subject = "key" if _section == "people" else None
    _joint = _section in JOINT
    _writers = JOINT_WRITERS if _joint else NAMED
    POLICY[("GET", f"/districts/{{district}}/{_section}")] = _district(_read)
    POLICY[("POST", f"/districts/{{district}}/{_section}")] = _district(
        _writers, "write", structure=_joint
    )
    POLICY[("GET", f"/districts/{{district}}/{_section}/{{key}}")] = _district(_read)
    for _method in ("PUT", "DELETE"):
        POLICY[(_method, f"/districts/{{district}}/{_section}/{{key}}")] = _district(
            _writers, "write", subject=_subject, structure=_joint
        )


def rule_for(method: str, path: str) -> Rule | None:
    """The rule of an operation (``HEAD`` follows ``GET``), or ``None`` when it has none."""
    verb = "GET" if method.upper() == "HEAD" else method.upper()
    return POLICY.get((verb, path))
