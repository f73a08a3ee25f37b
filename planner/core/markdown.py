"""User data shown through Streamlit's Markdown stays literal text: a name like ``[click](http://evil)`` or
``![x](http://evil/img.png)`` is printed as typed, never rendered as a link or a remote image."""

from __future__ import annotations

import re

# Markdown (and Streamlit's extensions: colours ":red[...]", emoji ":smile:", maths "$...$") special characters
_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=^&])")


def literal(text: object) -> str:
    """``text`` escaped so that st.markdown / st.caption / st.subheader show it exactly as it is."""
    if text is None:
        return ""
    s = str(text).replace("\r", " ").replace("\n", " ")
    return _SPECIAL.sub(r"\\\1", s)
