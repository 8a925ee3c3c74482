"""Plain-language messages for validation problems: pydantic errors and "did you mean"."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel
from pydantic_core import ErrorDetails

from collabgraph.safety.ids import ID_PATTERN, id_problem

__all__ = ["message", "suggest"]


def suggest(word: str, choices: Iterable[str]) -> str:
    """A ``" (did you mean 'x'?)"`` hint, or an empty string.

    Letter case is ignored when looking for the closest choice.

    >>> suggest("scools", ["schools", "teams"])
    " (did you mean 'schools'?)"
    >>> suggest("DLT", ["dlt", "slt-a"])
    " (did you mean 'dlt'?)"
    >>> suggest("zzz", ["schools"])
    ''
    """
    options = list(choices)
    folded: dict[str, str] = {}
    for choice in options:
        folded.setdefault(choice.casefold(), choice)
    same = folded.get(word.casefold())
    if same is not None and same != word:
        return f" (did you mean '{same}'?)"
    close = difflib.get_close_matches(word.casefold(), list(folded), n=1, cutoff=0.6)
    return f" (did you mean '{folded[close[0]]}'?)" if close else ""


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"true/false value {str(value).lower()}"
    if isinstance(value, int | float):
        return f"number {value}"
    if isinstance(value, str):
        return f"text {value!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def message(err: ErrorDetails, model: type[BaseModel]) -> str:
    """Turn one pydantic error into a plain-language sentence."""
    kind = err["type"]
    loc = err["loc"]
    field = str(loc[0]) if loc else ""
    value = err.get("input")
    ctx = err.get("ctx") or {}
    if kind == "missing":
        return f"required field '{field}' is missing"
    if kind == "extra_forbidden":
        return f"unknown field '{field}'" + suggest(field, model.model_fields)
    if kind == "enum":
        allowed = str(ctx.get("expected", ""))
        names = [a.strip(" '") for a in allowed.replace(" or ", ", ").split(",")]
        hint = suggest(str(value), names) if isinstance(value, str) else ""
        return f"{value!r} is not an allowed {field} value{hint}; use one of {allowed}"
    if kind == "string_type":
        hint = " (put it in quotes)" if isinstance(value, int | float | bool) else ""
        return f"'{field}' must be text, got {_describe(value)}{hint}"
    if kind == "string_pattern_mismatch":
        if str(ctx.get("pattern", "")) == ID_PATTERN:
            why = id_problem(str(value).strip())
            if isinstance(value, str) and "," in value:
                listed = "; ".join(v.strip() for v in value.split(",") if v.strip())
                return f"{why}. To list several ids in one cell, separate them with ';' ({listed})"
            return why
        return f"'{field}' contains a control character (such as a NUL or a line break)"
    if kind == "string_too_short":
        return f"'{field}' must not be empty"
    if kind == "string_too_long":
        return f"'{field}' is too long (at most {ctx.get('max_length')} characters)"
    if kind in {"greater_than", "greater_than_equal", "less_than", "less_than_equal"}:
        bounds = _bounds(model, field)
        return f"'{field}' is {value}, out of range: it must be {bounds}"
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return f"'{field}' must be a whole number, got {_describe(value)}"
    if kind in {"float_parsing", "float_type"}:
        return f"'{field}' must be a number, got {_describe(value)}"
    if kind == "finite_number":
        return f"'{field}' must be a finite number"
    if kind.startswith("date"):
        return (
            f"'{field}' must be a date such as 2025-09-05 (or 5 September 2025), "
            f"got {_describe(value)}"
        )
    if kind == "list_type":
        return f"'{field}' must be a list, got {_describe(value)}"
    if kind == "too_short":
        return f"'{field}' needs at least {ctx.get('min_length')} entries"
    if kind in {"model_type", "dict_type"}:
        return f"expected a row of named fields, got {_describe(value)}"
    if kind == "value_error":
        return str(ctx.get("error", err["msg"]))
    return f"'{field}': {err['msg']}"


def _bounds(model: type[BaseModel], field: str) -> str:
    info = model.model_fields.get(field)
    parts: list[str] = []
    for meta in info.metadata if info else []:
        for attr, sign in (("gt", ">"), ("ge", "≥"), ("lt", "<"), ("le", "≤")):
            bound = getattr(meta, attr, None)
            if bound is not None:
                parts.append(f"{sign} {bound}")
    if info is not None and not parts:
        # Bounds of an Optional[Annotated[...]] field live one level down.
        for arg in getattr(info.annotation, "__args__", ()):
            for meta in getattr(arg, "__metadata__", ()):
                for attr, sign in (("gt", ">"), ("ge", "≥"), ("lt", "<"), ("le", "≤")):
                    bound = getattr(meta, attr, None)
                    if bound is not None:
                        parts.append(f"{sign} {bound}")
    return " and ".join(parts) or "within its allowed range"
