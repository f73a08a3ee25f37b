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
