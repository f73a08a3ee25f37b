"""Text that fits its box in the pitch's files: the Unicode font the PDF embeds (DejaVu Sans, found once), a width
measure in points from that font's own metrics, word wrapping, the largest size at which a text fits a box, and
one line cut to a width with an ellipsis.

The deck names Arial (every office has it); where Arial is missing LibreOffice draws DejaVu Sans, which is wider, so
a text measured here in DejaVu Sans fits in either. Without DejaVu Sans the measure falls back to a wide glyph
(0.62 em per character, bold 0.68), which errs on the roomy side."""

from __future__ import annotations

import functools
import math
import os
import re
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from planner.reporting.pitch_model import PitchError

FONT_FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")
FONT_DIRS: tuple[str, ...] = (
    "/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/share/fonts/TTF",
    "/usr/share/fonts/truetype", "/usr/local/share/fonts", "/usr/share/fonts", "/Library/Fonts",
    "C:/Windows/Fonts",
)
FONT_HINT = ("no Unicode font for the PDF: install DejaVu Sans (Debian: apt-get install fonts-dejavu-core) or set "
             "PLANNER_PDF_FONT_DIR to a folder holding DejaVuSans.ttf and DejaVuSans-Bold.ttf")
_BREAK = re.compile(r"[ \t\r]+")  # a line breaks at a plain space, never at a no-break space (12 500 ₽)
LINE = 1.2  # line height in font sizes (DejaVu Sans draws 1.164; a little room on top)
_FALLBACK_EM = {False: 0.62, True: 0.68}


def font_paths() -> tuple[Path, Path]:
    """DejaVu Sans regular and bold: ``PLANNER_PDF_FONT_DIR`` first, then the usual font folders (searched a level
    deep), then fontconfig; :class:`PitchError` with what to install when none has them."""
    dirs = [os.environ["PLANNER_PDF_FONT_DIR"]] if os.environ.get("PLANNER_PDF_FONT_DIR") else []
    dirs += list(FONT_DIRS)
    for d in dirs:
        base = Path(d)
        if not base.is_dir():
            continue
        for folder in (base, *sorted(p for p in base.iterdir() if p.is_dir())):
            regular, bold = folder / FONT_FILES[0], folder / FONT_FILES[1]
            if regular.is_file() and bold.is_file():
                return regular, bold
    if shutil.which("fc-match"):
        found = []
        for style in ("DejaVu Sans:style=Book", "DejaVu Sans:style=Bold"):
            try:
                out = subprocess.run(["fc-match", "-f", "%{file}", style], capture_output=True, text=True,
                                     timeout=10).stdout.strip()
            except (OSError, subprocess.SubprocessError):
                out = ""
            if out and Path(out).is_file() and Path(out).name in FONT_FILES:
                found.append(Path(out))
        if len(found) == 2:
            return found[0], found[1]
    raise PitchError(FONT_HINT)


@functools.cache
def _fonts(regular: str, bold: str) -> dict[bool, Any]:
    from PIL import ImageFont

    basic = ImageFont.Layout.BASIC  # no kerning: never narrower than what is drawn
    return {False: ImageFont.truetype(regular, 100, layout_engine=basic),
            True: ImageFont.truetype(bold, 100, layout_engine=basic)}


def _loaded() -> dict[bool, Any] | None:
    try:
        found = _found(os.environ.get("PLANNER_PDF_FONT_DIR", ""), tuple(FONT_DIRS))
        if found is None:
            return None
        return _fonts(str(found[0]), str(found[1]))
    except (OSError, ImportError):
        return None


@functools.lru_cache(maxsize=8)
def _found(env_dir: str, dirs: tuple[str, ...]) -> tuple[Path, Path] | None:
    """:func:`font_paths` for the measure, looked for once per font folder setting (each text measured used to
    search the folders again: half a second of a workbook's 1,500 widths)."""
    try:
        return font_paths()
    except PitchError:
        return None


@functools.lru_cache(maxsize=65536)
def _width_100(text: str, bold: bool) -> float:
    fonts = _loaded()
    if fonts is None:
        return len(text) * 100 * _FALLBACK_EM[bold]
    return float(fonts[bold].getlength(text))


def width(text: str, size: float, bold: bool = False) -> float:
    """The width of one line of ``text`` in points at ``size`` points."""
    return _width_100(str(text), bool(bold)) * float(size) / 100.0


def wrap(text: str, avail: float, size: float, bold: bool = False) -> list[str]:
    """``text`` wrapped at spaces into lines no wider than ``avail`` points (its own line breaks kept); a word wider
    than a line is broken between characters."""
    out: list[str] = []
    for para in str(text).split("\n"):
        pieces = _BREAK.split(para.strip(" \t\r"))
        if not [w for w in pieces if w]:
            out.append("")
            continue
        line = ""
        for word in (w for w in pieces if w):
            trial = f"{line} {word}" if line else word
            if width(trial, size, bold) <= avail:
                line = trial
                continue
            if line:
                out.append(line)
                line = ""
            while width(word, size, bold) > avail and len(word) > 1:  # a word wider than the line: break it
                cut = max(1, _fit_chars(word, avail, size, bold))
                out.append(word[:cut])
                word = word[cut:]
            line = word
        out.append(line)
    return out


def _fit_chars(text: str, avail: float, size: float, bold: bool) -> int:
    """How many leading characters of ``text`` fit ``avail`` points."""
    lo, hi = 0, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if width(text[:mid], size, bold) <= avail:
            lo = mid
        else:
            hi = mid - 1
    return lo


def lines(text: str, avail: float, size: float, bold: bool = False) -> int:
    return len(wrap(text, avail, size, bold))


def height(n_lines: int, size: float) -> float:
    """Points ``n_lines`` lines of ``size`` points take."""
    return n_lines * size * LINE


def clip(text: str, avail: float, size: float, bold: bool = False) -> str:
    """One line of ``text`` no wider than ``avail`` points: cut at a word (or a character) with "…" when too long."""
    text = " ".join(_BREAK.split(str(text).replace("\n", " "))).strip()
    if width(text, size, bold) <= avail:
        return text
    cut = _fit_chars(text, max(avail - width("…", size, bold), 0.0), size, bold)
    head = text[:cut]
    if " " in head[cut // 2:]:
        head = head[:head.rstrip().rfind(" ")]
    return head.rstrip(" ,;:–—-") + "…"


def fit(text: str, avail_w: float, avail_h: float, sizes: tuple[float, ...], bold: bool = False,
        max_lines: int | None = None) -> tuple[float, list[str]]:
    """The largest of ``sizes`` (largest first) at which ``text`` wrapped into ``avail_w`` takes at most ``avail_h``
    points (and ``max_lines``); at the smallest size that still does not fit, the lines that fit, the last cut with
    "…". Returns the size and the lines."""
    for size in sizes:
        wrapped = wrap(text, avail_w, size, bold)
        if height(len(wrapped), size) <= avail_h + 1e-6 and (max_lines is None or len(wrapped) <= max_lines):
            return size, wrapped
    size = sizes[-1]
    wrapped = wrap(text, avail_w, size, bold)
    room = max(1, math.floor(avail_h / (size * LINE) + 1e-6))
    if max_lines is not None:
        room = min(room, max_lines)
    return size, wrapped[:room - 1] + [clip(" ".join(wrapped[room - 1:]), avail_w, size, bold)]


def balance(heights: Sequence[float], first: float, room: float) -> list[tuple[int, int]]:
    """Rows split into pages: as few pages as a greedy fill needs (``first``: the room on the first page, ``room``
    on the others), the rows then spread evenly over them, so that no page ends up with a lone row."""
    if not heights:
        return [(0, 0)]

    def pack(limit: float) -> list[tuple[int, int]]:
        out: list[tuple[int, int]] = []
        start, used = 0, 0.0
        for i, h in enumerate(heights):
            cap = min(limit, first if not out else room)
            if used + h > cap and i > start:
                out.append((start, i))
                start, used = i, 0.0
            used += h
        out.append((start, len(heights)))
        return out

    greedy = pack(float("inf"))
    if len(greedy) == 1:
        return greedy
    even = sum(heights) / len(greedy)
    for slack in (1.02, 1.08, 1.15, 1.25):
        balanced = pack(even * slack)
        if len(balanced) == len(greedy):
            return balanced
    return greedy
