"""The survey's errors (each a :class:`~collabgraph.errors.CollabGraphError`)."""

from __future__ import annotations

from collabgraph.errors import CollabGraphError

__all__ = ["SurveyClosed", "SurveyError", "SurveyExists", "UnknownSurvey"]


class SurveyError(CollabGraphError):
    """A survey request that cannot be done as asked (bad input or wrong state)."""


class UnknownSurvey(SurveyError):
    """No survey of that wave in that district."""

    def __init__(self, district: str, wave: str) -> None:
        super().__init__(f"district {district!r} has no survey of wave {wave!r}")


class SurveyExists(SurveyError):
    """A survey of that wave already exists."""

    def __init__(self, district: str, wave: str) -> None:
        super().__init__(f"district {district!r} already has a survey of wave {wave!r}")


class SurveyClosed(SurveyError):
    """The survey no longer takes answers."""
