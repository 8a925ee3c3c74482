"""The columns of the tabular encodings: what each table holds and how a cell reads.

Shared by the readers (:mod:`collabgraph.workbook.tabular`), the writers
(:mod:`collabgraph.workbook.tabular_write`) and the templates.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from dataclasses import dataclass
from enum import Enum
from typing import Any, Final

from pydantic import BaseModel

from collabgraph.model import FORMAT, LIST_SEPARATOR, SECTIONS

__all__ = [
    "INSTRUCTIONS_SHEET",
    "SECTION_HELP",
    "Cell",
    "Column",
    "base_type",
    "cell_text",
    "column_letter",
    "columns",
    "split_list",
]

INSTRUCTIONS_SHEET: Final = "instructions"

#: A value as the writers take it: text, a number, a date, or nothing.
Cell = str | int | float | bool | dt.date | None

#: What each section holds, one line each (used in the instructions and README).
SECTION_HELP: Final[dict[str, str]] = {
    "district": "The district this workbook describes: exactly one row, with the format tag.",
    "schools": "Worksites: one row per school or other site where members work.",
    "organizations": (
        "The parties: the district office, the local association and its state and "
        "national affiliates, the board, parent groups, universities and other partners."
    ),
    "topics": (
        "Topics and focus areas that positions, teams and meetings refer to "
        "(curriculum, instruction, mentoring and student-data exist without a row)."
    ),
    "priorities": "The focus areas the partnership has committed to, optionally ranked.",
    "people": (
        "People, kept to an id, a display name and a worksite. Give a side for anyone "
        "who holds no position."
    ),
    "positions": (
        "Lasting roles on either side (superintendent, association president, building "
        "rep at a school ...) and who holds each one now."
    ),
    "teams": "Leadership teams, working committees, PLCs and task forces, and who oversees them.",
    "memberships": "Who sits on which team, in what role, and who appointed them.",
    "meetings": "Standing meetings between positions and how often they are meant to happen.",
    "counterparts": (
        "Declared role-alike pairs: an administration position and the association "
        "position that mirrors it."
    ),
    "ties": (
        "Who talks with whom, for example from a network survey: the source person "
        "says they talk with the target person."
    ),
}

#: What each column means, in a few words (the type and allowed values are added).
_COLUMN_HELP: Final[dict[tuple[str, str], str]] = {
    ("district", "format"): f"The version of the workbook format; keep it as {FORMAT}.",
    ("district", "id"): "A short id for the district.",
    ("district", "name"): "The district's full name.",
    ("district", "state"): "State or region.",
    ("district", "note"): "Anything worth keeping with the workbook.",
    ("district", "tie_scale"): (
        "The top of the scale tie weights are on (5 for a 1-5 rating, 30 for talks a month)."
    ),
    ("district", "rep_staff_healthy"): (
        "Staff per building rep up to which a site counts as covered (left empty: 50)."
    ),
    ("district", "rep_staff_hard"): (
        "Staff per building rep above which one rep cannot cover a site (left empty: 100)."
    ),
    ("schools", "id"): "A short id for the school, used by other tables.",
    ("schools", "name"): "The school's name.",
    ("schools", "level"): "The grades the school serves.",
    ("schools", "represented_staff"): "How many staff at this site the association represents.",
    ("organizations", "id"): "A short id for the organization.",
    ("organizations", "name"): "The organization's name.",
    ("organizations", "side"): "Which side of the partnership it belongs to.",
    ("organizations", "kind"): "What kind of organization it is.",
    ("organizations", "affiliate_of"): "The organization it is affiliated with, if any.",
    ("topics", "id"): "A short id for the topic.",
    ("topics", "name"): "The topic's name.",
    ("topics", "description"): "What the topic covers.",
    ("priorities", "topic"): "The topic the partnership has made a priority.",
    ("priorities", "rank"): "1 for the first priority, 2 for the next, and so on.",
    ("priorities", "note"): "Why or when it was chosen.",
    ("people", "id"): "A short id for the person (not an email address).",
    ("people", "name"): "The name to show.",
    ("people", "side"): "Needed only for people who hold no position.",
    ("people", "school"): "The school where the person works, if any.",
    ("positions", "id"): "A short id for the position.",
    ("positions", "title"): "The position's title.",
    ("positions", "side"): "management for the administration, labor for the association.",
    ("positions", "kind"): "The role the position plays.",
    ("positions", "level"): "Where the position sits.",
    ("positions", "school"): "The school, for school positions (principal, building rep).",
    ("positions", "organization"): "The organization the position belongs to.",
    ("positions", "portfolio"): "The topics this position is responsible for.",
    ("positions", "holder"): "The person who holds the position now.",
    ("positions", "holder_since"): "Since when the holder has held it.",
    ("teams", "id"): "A short id for the team.",
    ("teams", "name"): "The team's name.",
    ("teams", "kind"): "Which kind of team it is.",
    ("teams", "level"): "Whether it works for the whole district or for one school.",
    ("teams", "school"): "The school, for school-level teams.",
    ("teams", "topics"): "The topics the team works on.",
    ("teams", "overseen_by"): "The leadership teams this team reports to.",
    ("teams", "decision_step"): "1 to 7 on the decision-making scale; 4 means fully shared.",
    ("memberships", "person"): "The person on the team.",
    ("memberships", "team"): "The team.",
    ("memberships", "role"): "The person's role on the team.",
    ("memberships", "appointed_by"): "Who appointed the person.",
    ("meetings", "id"): "A short id for the meeting.",
    ("meetings", "name"): "The meeting's name.",
    ("meetings", "cadence"): "How often it is meant to happen.",
    ("meetings", "attendees"): "The positions that attend (two or more).",
    ("meetings", "last_held"): "When it last took place.",
    ("meetings", "topics"): "The topics it covers.",
    ("counterparts", "management"): "The administration position.",
    ("counterparts", "labor"): "The association position that mirrors it.",
    ("counterparts", "note"): "Anything about the pairing.",
    ("ties", "source"): "The person who reports the tie.",
    ("ties", "target"): "The person they talk with.",
    ("ties", "weight"): (
        "Strength above 0 and at most the district's tie_scale (1 unless set); left "
        "empty, it comes from frequency."
    ),
    ("ties", "frequency"): "How often they talk.",
    ("ties", "topic"): "What they talk about, if the survey asked per topic.",
    ("ties", "wave"): "The survey wave, such as 2024 or 2025-spring.",
    ("ties", "origin"): "Where the tie comes from, such as survey or interview.",
}

#: Columns that hold the id of a row of another section.
_REFERENCES: Final[dict[tuple[str, str], str]] = {
    ("organizations", "affiliate_of"): "organizations",
    ("priorities", "topic"): "topics",
    ("people", "school"): "schools",
    ("positions", "school"): "schools",
    ("positions", "organization"): "organizations",
    ("positions", "portfolio"): "topics",
    ("positions", "holder"): "people",
    ("teams", "school"): "schools",
    ("teams", "topics"): "topics",
    ("teams", "overseen_by"): "teams",
    ("memberships", "person"): "people",
    ("memberships", "team"): "teams",
    ("meetings", "attendees"): "positions",
    ("meetings", "topics"): "topics",
    ("counterparts", "management"): "positions",
    ("counterparts", "labor"): "positions",
    ("ties", "source"): "people",
    ("ties", "target"): "people",
    ("ties", "topic"): "topics",
}


@dataclass(frozen=True)
class Column:
    """One column of one table: what it holds and how to fill it in.

    ``kind`` is one of ``"text"``, ``"id"``, ``"choice"``, ``"whole number"``,
    ``"number"``, ``"date"`` or ``"id list"``.
    """

    section: str
    name: str
    kind: str
    required: bool
    choices: tuple[str, ...] = ()
    default: str | None = None
    refers_to: str | None = None

    @property
    def is_list(self) -> bool:
        """Whether the cell holds several values separated by ``;``."""
        return self.kind == "id list"

    def describe(self, *, yaml_lists: bool = False) -> str:
        """A plain description of the column, for header comments and READMEs.

        With ``yaml_lists``, list columns are described as YAML lists instead of
        ``;``-separated cells.

        >>> print(columns("teams")[2].describe())
        Required. Which kind of team it is. One of: dlt, slt, working_committee, plc, task_force,
        other.
        >>> print(columns("positions")[4].describe())
        Optional. Where the position sits. One of: district, school, state, national. Left \
empty, it is district.
        """
        parts = ["Required." if self.required else "Optional."]
        helptext = _COLUMN_HELP.get((self.section, self.name))
        if helptext:
            parts.append(helptext)
        if self.kind == "id" and self.refers_to:
            parts.append(f"The id of a row in {self.refers_to}.")
        elif self.kind == "id":
            parts.append("No spaces and no ';'.")
        elif self.is_list and yaml_lists:
            parts.append(f"A list of ids of rows in {self.refers_to}, such as [a, b].")
        elif self.is_list:
            parts.append(f"Ids of rows in {self.refers_to}, separated by '{LIST_SEPARATOR}'.")
        elif self.kind == "choice":
            parts.append("One of: " + ", ".join(self.choices) + ".")
        elif self.kind == "date":
            parts.append("A date written YYYY-MM-DD.")
        elif self.kind == "whole number":
            parts.append("A whole number.")
        elif self.kind == "number":
            parts.append("A number.")
        if self.default is not None:
            parts.append(f"Left empty, it is {self.default}.")
        return " ".join(parts)


def base_type(annotation: Any) -> Any:
    """Strip ``Optional[...]`` and ``Annotated[...]`` from a field annotation."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin is typing.Union or origin is types.UnionType:
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0]
        else:
            return annotation


def _column(section: str, name: str, model: type[BaseModel]) -> Column:
    info = model.model_fields[name]
    base = base_type(info.annotation)
    refers_to = _REFERENCES.get((section, name))
    choices: tuple[str, ...] = ()
    if typing.get_origin(base) is list:
        kind = "id list"
    elif isinstance(base, type) and issubclass(base, Enum):
        kind = "choice"
        choices = tuple(str(member.value) for member in base)
    elif base is bool:
        kind = "text"
    elif base is int:
        kind = "whole number"
    elif base is float:
        kind = "number"
    elif base is dt.date:
        kind = "date"
    elif name == "id" or refers_to:
        kind = "id"
    else:
        kind = "text"
    default: str | None = None
    if not info.is_required() and info.default_factory is None and info.default is not None:
        raw = info.default
        default = str(raw.value if isinstance(raw, Enum) else raw)
    return Column(section, name, kind, info.is_required(), choices, default, refers_to)


def columns(section: str) -> list[Column]:
    """The columns of a section's table, in order (``district`` starts with ``format``).

    >>> [c.name for c in columns("district")]
    ['format', 'id', 'name', 'state', 'note', 'tie_scale', 'rep_staff_healthy', 'rep_staff_hard']
    >>> [(c.name, c.kind) for c in columns("meetings")][2:4]
    [('cadence', 'choice'), ('attendees', 'id list')]
    """
    model = SECTIONS[section]
    out = [_column(section, name, model) for name in model.model_fields]
    if section == "district":
        out.insert(0, Column("district", "format", "text", True))
    return out


def split_list(text: str) -> list[str]:
    """Split a list cell on ``;``, dropping blanks.

    >>> split_list(" supt ;president;; ")
    ['supt', 'president']
    """
    return [item.strip() for item in text.split(LIST_SEPARATOR) if item.strip()]


def cell_text(value: object) -> str:
    """A cell as text, the way readers see every cell.

    Whole numbers lose their ``.0``, dates become ``YYYY-MM-DD`` and
    true/false become ``true``/``false``; an empty result means "not given".

    >>> [cell_text(v) for v in (None, 12, 12.0, 0.25, True, dt.date(2024, 9, 1), "  x ")]
    ['', '12', '12', '0.25', 'true', '2024-09-01', 'x']
    >>> cell_text(dt.datetime(2024, 9, 1, 0, 0)), cell_text(dt.datetime(2024, 9, 1, 14, 30))
    ('2024-09-01', '2024-09-01 14:30')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time() and value.tzinfo is None:
            return value.date().isoformat()
        exact = "minutes" if value.second == 0 and value.microsecond == 0 else "auto"
        return value.isoformat(sep=" ", timespec=exact)
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()


def column_letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column index.

    >>> [column_letter(i) for i in (0, 2, 25, 26, 701, 702)]
    ['A', 'C', 'Z', 'AA', 'ZZ', 'AAA']
    """
    letters = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(ord("A") + rem) + letters
    return letters
