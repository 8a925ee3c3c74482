"""The font stack every page collabgraph makes asks for: views, dashboard, report.

Noto first (Debian's ``fonts-noto-core`` and ``fonts-noto-cjk``, which ``make
test`` installs), so Latin with Vietnamese, Cyrillic, Greek, Arabic, Hebrew,
Devanagari, Thai, Korean, Japanese and Chinese names all have glyphs; then the
fonts of the usual systems (macOS, Windows) that cover the same scripts.

>>> FONT_STACK.split(", ")[0]
'"Noto Sans"'
"""

from __future__ import annotations

from typing import Final

__all__ = ["FONT_STACK"]

FONT_STACK: Final = (
    '"Noto Sans", "Noto Sans CJK JP", "Noto Sans CJK KR", "Noto Sans CJK SC", '
    '"Noto Sans Arabic", "Noto Sans Hebrew", "Noto Sans Devanagari", "Noto Sans Thai", '
    'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, '
    '"Apple SD Gothic Neo", "Malgun Gothic", "Hiragino Sans", "Yu Gothic", '
    '"Microsoft YaHei", sans-serif'
)
