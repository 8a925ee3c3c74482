"""The natural network: the association's own web of officers and building reps.

This package answers the union leader's and the researcher's questions about
the rep network (design brief §5.1): how dense it is, who is isolated, who
brokers, which worksites have no rep, how the network changed between survey
waves, and how the teams interlock. ``docs/metrics.md`` defines every figure.

* :func:`analyze_network` -- the whole report for one district (and wave);
* :class:`NetworkConfig`, :class:`NetworkReport` -- its settings and result;
* :func:`network_tables` -- the report as rich tables for the CLI;
* :class:`SurveyWave` -- how a survey wave was answered (filled in by
  ``collabgraph.survey.waves``);
* :mod:`collabgraph.network.measures` -- the graph arithmetic underneath.

Examples
--------
>>> from collabgraph.graph import workbook_to_graph
>>> from collabgraph.model import District, Workbook
>>> report = analyze_network(workbook_to_graph(Workbook(district=District(id="d", name="D"))))
>>> report.empty, report.observed.density, report.observed.undefined["density"]
(True, None, 'fewer than two people in the network')
"""

from __future__ import annotations

from collabgraph.network.analyze import OFFICER_KINDS, analyze_network, wave_order
from collabgraph.network.render import network_tables
from collabgraph.network.report import NetworkConfig, NetworkReport
from collabgraph.network.response import SchoolResponse, SurveyWave

__all__ = [
    "OFFICER_KINDS",
    "NetworkConfig",
    "NetworkReport",
    "SchoolResponse",
    "SurveyWave",
    "analyze_network",
    "network_tables",
    "wave_order",
]
