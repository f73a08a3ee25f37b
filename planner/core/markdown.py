"""User data shown through Streamlit's Markdown stays literal text: a name like ``[click](http://evil)`` or
``![x](http://evil/img.png)`` is printed as typed, never rendered as a link or a remote image."""

from __future__ import annotations

import re

# Markdown (and Streamlit's extensions: colours ":red[...]", emoji ":smile:", maths "$...$") special characters
_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=^&])")
# What GitHub-flavoured Markdown links by itself in plain text, escaped or not ("http://…", "www.…", "a@b.c"): a
# word joiner (U+2060, invisible, no line break) inside the pattern keeps it text
_AUTOLINK = re.compile(r"(?i)(?<=:)(?=//)|(?<=\bwww)(?=\.)|(?<=[\w.+-])(?=@)")
_JOINER = "\u2060"


def literal(text: object) -> str:
    """``text`` escaped so that st.markdown / st.caption / st.subheader show it exactly as it is."""
    if text is None:
        return ""
    s = _AUTOLINK.sub(_JOINER, str(text).replace("\r", " ").replace("\n", " "))
    return _SPECIAL.sub(r"\\\1", s)


def table(headers: list[str], rows: list[list[object]]) -> str:
    """A small Markdown table (GitHub-flavoured) whose every header and cell is :func:`literal` text: for a few
    rows that need no sorting or scrolling, drawn with the page's text instead of a data grid (whose scripts a
    browser loads on a page's first open)."""
    def line(cells: list[object]) -> str:
        return "| " + " | ".join(literal(c) for c in cells) + " |"

    return "\n".join([line(list(headers)), "|" + "---|" * len(headers), *(line(list(r)) for r in rows)])
