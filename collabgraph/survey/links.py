"""The respondents' links on paper and for a mail merge.

* :func:`links_csv`: ``name,school,link`` per respondent, for a mail merge (cells
  that a spreadsheet would read as a formula are neutralized);
* :func:`links_sheet`: a printable HTML page, one slip per respondent with its
  link and a QR code (drawn by ``segno`` as inline SVG; the page loads nothing).

Examples
--------
>>> from collabgraph.survey.lifecycle import IssuedLink
>>> x = IssuedLink(id="a", name="=Ann", school="North", token="t0k")
>>> links_csv([x], "http://127.0.0.1:8000").splitlines()
['name,school,link', "'=Ann,North,http://127.0.0.1:8000/s/t0k"]
>>> "<svg" in links_sheet([x], "http://h", title="Wave 1")
True
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

import segno
from markupsafe import Markup, escape

from collabgraph.survey.lifecycle import IssuedLink
from collabgraph.survey.tokens import link_for

__all__ = ["links_csv", "links_sheet"]


def _cell(text: str) -> str:
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def links_csv(links: Sequence[IssuedLink], base_url: str) -> str:
    """The mail-merge CSV."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["name", "school", "link"])
    for x in links:
        w.writerow([_cell(x.name), _cell(x.school), link_for(base_url, x.token)])
    return out.getvalue()


_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>
body{{font-family:system-ui,sans-serif;margin:0}}
.slip{{display:flex;gap:1rem;align-items:center;border-bottom:1px dashed #555;
padding:1rem;break-inside:avoid}}
.slip p{{margin:.2rem 0}} .link{{font-family:monospace;word-break:break-all}}
</style></head><body>
<h1 style="padding:0 1rem">{title}</h1>
{slips}
</body></html>
"""


def links_sheet(links: Sequence[IssuedLink], base_url: str, *, title: str) -> str:
    """The printable sheet (HTML, no external assets)."""
    slips = []
    for x in links:
        url = link_for(base_url, x.token)
        qr = Markup(
            segno.make(url, error="m").svg_inline(scale=3, title=f"Survey link of {x.name}")
        )
        slips.append(
            Markup(
                '<section class="slip">{qr}<div><p><strong>{name}</strong></p><p>{school}</p>'
                '<p>Your private survey link (do not share it):</p><p class="link">{url}</p>'
                "</div></section>"
            ).format(qr=qr, name=x.name, school=x.school, url=url)
        )
    return _PAGE.format(title=escape(title), slips=Markup("\n").join(slips))
