"""The JSON Schema of the workbook format, generated from the pydantic models."""

from __future__ import annotations

from typing import Any

from collabgraph.model import FORMAT, Workbook

__all__ = ["workbook_json_schema"]


def workbook_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a ``collabgraph/1`` workbook in YAML or JSON.

    >>> schema = workbook_json_schema()
    >>> schema["properties"]["format"]["const"]
    'collabgraph/1'
    >>> "ties" in schema["properties"]
    True
    """
    schema = Workbook.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://collabgraph.invalid/schema/collabgraph-1.json"
    schema["title"] = "collabgraph district workbook"
    schema["properties"]["format"] = {
        "const": FORMAT,
        "description": "The format tag; this version reads only collabgraph/1.",
    }
    schema["required"] = sorted({"format", *schema.get("required", [])})
    return schema
