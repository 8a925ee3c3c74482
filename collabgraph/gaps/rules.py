"""The gap rule catalog and the per-district rules file.

Every rule has a stable code (``school-no-slt``...), a default severity and
the guidebook section it comes from. A district tunes the rules with a small
YAML file: switch a rule off, change its severity, say which sides each kind of
team must seat, how late a standing meeting may be, and which district
departments the DLT should include. The file only holds what it changes; the
rest comes from the packaged defaults (``default_rules.yaml`` next to this
module).

Examples
--------
>>> rules = parse_rules("rules:\\n  empty-team: off\\n  school-no-rep: critical\\n", "r.yaml")
>>> rules.enabled("empty-team"), rules.severity("school-no-rep")
(False, <Severity.CRITICAL: 'critical'>)
>>> parse_rules("rules:\\n  no-such-rule: warning\\n", "r.yaml")
Traceback (most recent call last):
...
collabgraph.gaps.rules.RulesError: r.yaml: 1 problem found
  - r.yaml, line 2, at rules.no-such-rule: unknown rule code 'no-such-rule' ...
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Any, Final

import yaml
from pydantic import BaseModel, ConfigDict, Field

from collabgraph.errors import CollabGraphError, Location, Problem
from collabgraph.model import Side, TeamKind

__all__ = [
    "RULES",
    "RULES_FORMAT",
    "RuleInfo",
    "RuleSet",
    "RuleSetting",
    "RulesError",
    "Severity",
    "default_rules",
    "load_rules",
    "parse_rules",
]

#: The format tag of a rules file.
RULES_FORMAT: Final = "collabgraph-rules/1"


class Severity(StrEnum):
    """How urgent a finding is."""

    CRITICAL = "critical"
    WARNING = "warning"
    ADVICE = "advice"

    @property
    def rank(self) -> int:
        """Sort order: critical first.

        >>> Severity.ADVICE.rank
        2
        """
        return list(Severity).index(self)


@dataclass(frozen=True)
class RuleInfo:
    """What a rule is about: a short title and the guidebook section behind it."""

    title: str
    source: str


_DLT: Final = "ACT: Identify Collaborative Teams and Functions > District Leadership Team"
_SLT: Final = "ACT: Identify Collaborative Teams and Functions > School Leadership Team"
_WC: Final = "ACT: Identify Collaborative Teams and Functions > Working Committee"
_CSW: Final = "ACT: Identify Collaborative Teams and Functions > Collaborative Structure Worksheet"
_SMW: Final = "ACT: Identify Collaborative Teams and Functions > Standing Meeting Worksheet"
_TURN: Final = "ACT: Identify Collaborative Teams and Functions > Turn Learning to Action"

#: Every rule the engine knows, by code. Codes are stable: rules files refer to them.
RULES: Final[dict[str, RuleInfo]] = {
    "no-dlt": RuleInfo("No District Leadership Team", _DLT),
    "dlt-co-chairs": RuleInfo("DLT not co-chaired by both sides", _DLT),
    "dlt-no-slt-reps": RuleInfo("No SLT representatives on the DLT", _DLT),
    "dlt-no-departments": RuleInfo("District departments missing from the DLT", _DLT),
    "school-no-slt": RuleInfo("School without a School Leadership Team", _SLT),
    "slt-no-principal": RuleInfo("SLT without its principal", _TURN),
    "slt-no-building-rep": RuleInfo("SLT without its building representative", _TURN),
    "one-sided-team": RuleInfo("Team missing a required stakeholder group", _CSW),
    "empty-team": RuleInfo("Team with no members recorded", _CSW),
    "appointments-not-joint": RuleInfo("Seats appointed by one side alone", _DLT),
    "unoverseen-committee": RuleInfo("Working committee with no leadership team over it", _WC),
    "priority-no-committee": RuleInfo("Focus area with no committee on it", _DLT),
    "school-no-rep": RuleInfo("Worksite without a building representative", _SLT),
    "no-top-meeting": RuleInfo("No superintendent-president standing meeting", _SMW),
    "cabinet-no-counterpart": RuleInfo("Cabinet position without a counterpart", _SMW),
    "meeting-overdue": RuleInfo("Standing meeting overdue for its cadence", _SMW),
}


class RuleSetting(BaseModel):
    """Whether a rule runs and how severe its findings are."""

    model_config = ConfigDict(frozen=True)

    enabled: bool = True
    severity: Severity


class RuleSet(BaseModel):
    """The rules in force for one district (defaults merged with its own file)."""

    model_config = ConfigDict(frozen=True)

    rules: dict[str, RuleSetting]
    cadence_tolerance: float = Field(default=1.5, gt=0)
    required_groups: dict[TeamKind, list[Side]] = Field(default_factory=dict)
    joint_appointments: list[TeamKind] = Field(default_factory=list)
    departments: dict[str, list[str]] = Field(default_factory=dict)
    sources: list[str] = Field(default_factory=list, description="Files the rules came from.")

    def enabled(self, code: str) -> bool:
        """Whether rule ``code`` runs."""
        setting = self.rules.get(code)
        return setting is not None and setting.enabled

    def severity(self, code: str) -> Severity:
        """The severity findings of rule ``code`` get."""
        return self.rules[code].severity

    def groups_for(self, team_kind: str) -> list[Side]:
        """The sides a team of this kind must seat (empty: no requirement)."""
        try:
            return list(self.required_groups.get(TeamKind(team_kind), []))
        except ValueError:
            return []


class RulesError(CollabGraphError):
    """A rules file could not be read; carries every problem found, each with its line."""

    def __init__(self, problems: list[Problem], source: str) -> None:
        self.problems = list(problems)
        self.source = source
        super().__init__(str(self))

    def __str__(self) -> str:
        n = len(self.problems)
        lines = [f"{self.source}: {n} problem{'s' if n != 1 else ''} found"]
        lines.extend(f"  - {p}" for p in self.problems)
        return "\n".join(lines)


# -- reading -------------------------------------------------------------------

_Path = tuple[str | int, ...]


def _path_text(path: _Path) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _line_map(node: yaml.Node, path: _Path, lines: dict[_Path, int]) -> None:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = (*path, str(key_node.value))
            lines[key] = key_node.start_mark.line + 1
            _line_map(value_node, key, lines)
            lines[key] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _line_map(item, (*path, i), lines)


class _Reader:
    def __init__(self, source: str, lines: dict[_Path, int]) -> None:
        self.source = source
        self.lines = lines
        self.problems: list[Problem] = []

    def problem(self, path: _Path, message: str, code: str = "invalid") -> None:
        probe = path
        while probe and probe not in self.lines:
            probe = probe[:-1]
        where = Location(
            file=self.source, line=self.lines.get(probe), path=_path_text(path) or None
        )
        self.problems.append(Problem(where, message, code))


def _hint(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1)
    return f"; did you mean '{close[0]}'?" if close else ""


def _severity(reader: _Reader, path: _Path, value: Any) -> Severity | None:
    try:
        return Severity(str(value).strip().lower()) if isinstance(value, str) else Severity(value)
    except ValueError:
        reader.problem(
            path,
            f"bad severity {value!r}: use critical, warning or advice"
            + _hint(str(value), [s.value for s in Severity]),
            "bad_severity",
        )
        return None


def _rule_entries(reader: _Reader, value: Any, base: dict[str, RuleSetting]) -> None:
    if not isinstance(value, dict):
        reader.problem(("rules",), "'rules' must map rule codes to a severity or off")
        return
    for code, entry in value.items():
        path: _Path = ("rules", str(code))
        if str(code) not in RULES:
            reader.problem(
                path,
                f"unknown rule code '{code}'"
                + _hint(str(code), list(RULES))
                + " (docs/gaps.md lists every code)",
                "unknown_rule",
            )
            continue
        current = base[str(code)]
        if isinstance(entry, bool):
            base[str(code)] = current.model_copy(update={"enabled": entry})
        elif isinstance(entry, str) and entry.strip().lower() in {"off", "on"}:
            base[str(code)] = current.model_copy(update={"enabled": entry.strip().lower() == "on"})
        elif isinstance(entry, str):
            sev = _severity(reader, path, entry)
            if sev is not None:
                base[str(code)] = RuleSetting(enabled=True, severity=sev)
        elif isinstance(entry, dict):
            update: dict[str, Any] = {}
            for key, item in entry.items():
                sub: _Path = (*path, str(key))
                if key == "severity":
                    sev = _severity(reader, sub, item)
                    if sev is not None:
                        update["severity"] = sev
                elif key == "enabled":
                    if isinstance(item, bool):
                        update["enabled"] = item
                    else:
                        reader.problem(sub, f"'enabled' must be true or false, not {item!r}")
                else:
                    reader.problem(
                        sub, f"unknown setting '{key}': a rule takes 'severity' and 'enabled'"
                    )
            base[str(code)] = current.model_copy(update=update)
        else:
            reader.problem(
                path, f"give a severity (critical, warning, advice) or off, not {entry!r}"
            )


def _kind_map(reader: _Reader, value: Any, base: dict[TeamKind, list[Side]]) -> None:
    if not isinstance(value, dict):
        reader.problem(("required_groups",), "'required_groups' must map team kinds to lists")
        return
    kinds = [k.value for k in TeamKind]
    sides = [s.value for s in Side]
    for kind, groups in value.items():
        path: _Path = ("required_groups", str(kind))
        if str(kind) not in kinds:
            reader.problem(
                path,
                f"unknown team kind '{kind}' (use {', '.join(kinds)})" + _hint(str(kind), kinds),
            )
            continue
        if groups is None:
            groups = []
        if not isinstance(groups, list):
            reader.problem(path, "give a list of sides, for example [management, labor]")
            continue
        ok: list[Side] = []
        for i, side in enumerate(groups):
            if str(side) in sides:
                ok.append(Side(str(side)))
            else:
                reader.problem(
                    (*path, i),
                    f"unknown side '{side}' (use {', '.join(sides)})" + _hint(str(side), sides),
                )
        base[TeamKind(str(kind))] = ok


def _joint(reader: _Reader, value: Any) -> list[TeamKind] | None:
    kinds = [k.value for k in TeamKind]
    if not isinstance(value, list):
        reader.problem(("joint_appointments",), "'joint_appointments' must be a list of team kinds")
        return None
    out: list[TeamKind] = []
    for i, kind in enumerate(value):
        if str(kind) in kinds:
            out.append(TeamKind(str(kind)))
        else:
            reader.problem(("joint_appointments", i), f"unknown team kind '{kind}'")
    return out


def _departments(reader: _Reader, value: Any) -> dict[str, list[str]] | None:
    if not isinstance(value, dict):
        reader.problem(("departments",), "'departments' must map a department to keywords")
        return None
    out: dict[str, list[str]] = {}
    for name, words in value.items():
        path: _Path = ("departments", str(name))
        if (
            not isinstance(words, list)
            or not words
            or not all(isinstance(w, str) and w.strip() for w in words)
        ):
            reader.problem(path, "give a non-empty list of keywords, for example [hr, personnel]")
            continue
        out[str(name)] = [w.strip() for w in words]
    return out


_TOP_KEYS: Final = (
    "format",
    "cadence_tolerance",
    "rules",
    "required_groups",
    "joint_appointments",
    "departments",
)


def parse_rules(text: str, source: str, base: RuleSet | None = None) -> RuleSet:
    """Read a rules file's text and merge it over ``base`` (by default, the packaged rules).

    Raises
    ------
    RulesError
        Listing every problem (unknown rule code, bad severity, unknown team
        kind or side, bad tolerance...) with its line.
    """
    reader = _Reader(source, {})
    try:
        loader = yaml.SafeLoader(text)
        try:
            node = loader.get_single_node()
            value = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = Location(file=source, line=mark.line + 1 if mark else None)
        raise RulesError(
            [Problem(where, f"this is not valid YAML: {getattr(exc, 'problem', exc)}", "syntax")],
            source,
        ) from exc
    if node is not None:
        _line_map(node, (), reader.lines)
    start = base if base is not None else default_rules()
    if value is None:
        return start.model_copy(update={"sources": [*start.sources, source]})
    if not isinstance(value, dict):
        reader.problem((), "a rules file is a mapping with keys such as 'rules' and 'departments'")
        raise RulesError(reader.problems, source)

    rules = dict(start.rules)
    groups = dict(start.required_groups)
    update: dict[str, Any] = {}
    for key in value:
        if key not in _TOP_KEYS:
            reader.problem(
                (str(key),),
                f"unknown key '{key}' (use {', '.join(_TOP_KEYS)})" + _hint(str(key), [*_TOP_KEYS]),
            )
    fmt = value.get("format", RULES_FORMAT)
    if fmt != RULES_FORMAT:
        reader.problem(("format",), f"format must be '{RULES_FORMAT}', not {fmt!r}")
    if "rules" in value:
        _rule_entries(reader, value["rules"] or {}, rules)
    if "required_groups" in value:
        _kind_map(reader, value["required_groups"] or {}, groups)
    if "cadence_tolerance" in value:
        tol = value["cadence_tolerance"]
        if isinstance(tol, bool) or not isinstance(tol, int | float) or not 0 < tol <= 100:
            reader.problem(
                ("cadence_tolerance",),
                f"cadence_tolerance must be a number above 0 (for example 1.5), not {tol!r}",
            )
        else:
            update["cadence_tolerance"] = float(tol)
    if "joint_appointments" in value:
        joint = _joint(reader, value["joint_appointments"] or [])
        if joint is not None:
            update["joint_appointments"] = joint
    if "departments" in value:
        depts = _departments(reader, value["departments"] or {})
        if depts is not None:
            update["departments"] = depts
    if reader.problems:
        raise RulesError(reader.problems, source)
    return start.model_copy(
        update={
            **update,
            "rules": rules,
            "required_groups": groups,
            "sources": [*start.sources, source],
        }
    )


_DEFAULT: RuleSet | None = None


def default_rules() -> RuleSet:
    """The packaged default rules (``collabgraph/gaps/default_rules.yaml``).

    >>> default_rules().severity("no-dlt")
    <Severity.CRITICAL: 'critical'>
    """
    global _DEFAULT
    if _DEFAULT is None:
        text = resources.files("collabgraph.gaps").joinpath("default_rules.yaml").read_text("utf-8")
        empty = RuleSet(
            rules={code: RuleSetting(severity=Severity.WARNING) for code in RULES},
        )
        _DEFAULT = parse_rules(text, "default_rules.yaml", base=empty).model_copy(
            update={"sources": []}
        )
    return _DEFAULT


def load_rules(path: str | Path) -> RuleSet:
    """Read a district's rules file and merge it over the defaults.

    Raises
    ------
    RulesError
        When the file cannot be read or has problems (each with its line).
    """
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise RulesError(
            [Problem(Location(file=str(p)), f"cannot read the rules file: {reason}", "unreadable")],
            str(p),
        ) from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RulesError(
            [Problem(Location(file=str(p)), "the rules file is not UTF-8 text", "not_utf8")],
            str(p),
        ) from exc
    return parse_rules(text, str(p))
