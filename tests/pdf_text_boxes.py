"""Where each piece of text lands on a rendered page: a small PDF content-stream reader for the pitch's render
tests (tests/test_pitch_render.py).

pypdf parses the file and the content stream; this module follows the graphics and text state (q/Q, cm, BT/ET, Tf,
Tm, Td, TD, T*, TL, Tc, Tw, Tz, Ts, Tj, TJ, ', ", and form XObjects) and measures every shown string with its own
font's widths (/Widths of a simple font, /W of a CID font), decoding it through the font's /ToUnicode map. Each
string shown becomes a :class:`Run`: its text and the box its glyphs take on the page (PDF points, y up), from a
little below the baseline (descenders) to the height of a capital. That is all a test needs to say whether a text
stays inside its box and whether two texts overlap, for PDFs written by LibreOffice, fpdf2 and vl-convert alike."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pypdf import PdfReader
from pypdf.generic import ContentStream, IndirectObject

DESCENT, ASCENT = 0.2, 0.72  # the glyph box around the baseline, in font sizes


@dataclass(frozen=True)
class Run:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    size: float

    def inside(self, box: tuple[float, float, float, float], tol: float = 1.5) -> bool:
        x0, y0, x1, y1 = box
        return self.x0 >= x0 - tol and self.x1 <= x1 + tol and self.y0 >= y0 - tol and self.y1 <= y1 + tol

    def overlap(self, other: Run) -> float:
        """The overlap of the two glyph boxes in points², 0 when they do not touch."""
        w = min(self.x1, other.x1) - max(self.x0, other.x0)
        h = min(self.y1, other.y1) - max(self.y0, other.y0)
        return w * h if w > 0 and h > 0 else 0.0


def _mul(a: Sequence[float], b: Sequence[float]) -> tuple[float, ...]:
    """a x b for PDF matrices [a b c d e f] (row vectors: a point p maps to p x m)."""
    return (a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3],
            a[2] * b[0] + a[3] * b[2], a[2] * b[1] + a[3] * b[3],
            a[4] * b[0] + a[5] * b[2] + b[4], a[4] * b[1] + a[5] * b[3] + b[5])


def _apply(m: Sequence[float], x: float, y: float) -> tuple[float, float]:
    return x * m[0] + y * m[2] + m[4], x * m[1] + y * m[3] + m[5]


IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _hex(token: str) -> bytes:
    return bytes.fromhex(token if len(token) % 2 == 0 else token + "0")


def _to_unicode(stream) -> tuple[dict[bytes, str], int]:
    """A /ToUnicode CMap as {code bytes: text} and its code length."""
    data = stream.get_object().get_data().decode("latin-1")
    out: dict[bytes, str] = {}
    width = 1
    for block in re.findall(r"beginbfchar(.*?)endbfchar", data, re.S):
        for src, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            out[_hex(src)] = _hex(dst).decode("utf-16-be", "replace")
            width = len(src) // 2
    for block in re.findall(r"beginbfrange(.*?)endbfrange", data, re.S):
        for lo, hi, rest in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(\[[^\]]*\]|<[0-9A-Fa-f]*>)", block):
            a, b, n = int(lo, 16), int(hi, 16), len(lo) // 2
            width = n
            if rest.startswith("["):
                for i, dst in enumerate(re.findall(r"<([0-9A-Fa-f]*)>", rest)):
                    out[(a + i).to_bytes(n, "big")] = _hex(dst).decode("utf-16-be", "replace")
            else:
                base = _hex(rest[1:-1])
                start = int.from_bytes(base, "big")
                for i, code in enumerate(range(a, min(b, a + 65535) + 1)):
                    out[code.to_bytes(n, "big")] = (start + i).to_bytes(len(base), "big").decode("utf-16-be",
                                                                                                "replace")
    return out, width


class _Font:
    def __init__(self, font) -> None:
        font = font.get_object()
        self.composite = font.get("/Subtype") == "/Type0"
        self.widths: dict[int, float] = {}
        self.default = 1000.0 if self.composite else 500.0
        self.scale = 1 / 1000.0
        if self.composite:
            desc = font["/DescendantFonts"][0].get_object()
            self.default = float(desc.get("/DW", 1000))
            w = desc.get("/W")
            if w is not None:
                w = [x.get_object() for x in w.get_object()]
                i = 0
                while i < len(w):
                    first = int(w[i])
                    nxt = w[i + 1]
                    if isinstance(nxt, list) or hasattr(nxt, "__iter__"):
                        for k, v in enumerate(nxt):
                            self.widths[first + k] = float(v)
                        i += 2
                    else:
                        for code in range(first, int(nxt) + 1):
                            self.widths[code] = float(w[i + 2])
                        i += 3
        else:
            first = int(font.get("/FirstChar", 0))
            for k, v in enumerate(font.get("/Widths", []) or []):
                self.widths[first + k] = float(v)
            if font.get("/Subtype") == "/Type3" and "/FontMatrix" in font:
                self.scale = float(font["/FontMatrix"][0])
        self.unicode: dict[bytes, str] = {}
        self.code_len = 2 if self.composite else 1
        if "/ToUnicode" in font:
            self.unicode, n = _to_unicode(font["/ToUnicode"])
            if self.composite:
                self.code_len = n

    def codes(self, data: bytes) -> list[bytes]:
        n = self.code_len
        return [data[i:i + n] for i in range(0, len(data) - n + 1, n)]

    def text(self, code: bytes) -> str:
        if code in self.unicode:
            return self.unicode[code]
        return code.decode("latin-1") if not self.composite else ""

    def width(self, code: bytes) -> float:
        return self.widths.get(int.from_bytes(code, "big"), self.default) * self.scale


def _raw(obj) -> bytes:
    if isinstance(obj, bytes):
        return bytes(obj)
    original = getattr(obj, "original_bytes", None)
    if original is not None:
        return bytes(original)
    return str(obj).encode("latin-1", "replace")


def _runs(content, resources, reader: PdfReader, ctm0: Sequence[float], out: list[Run], depth: int = 0) -> None:
    fonts_res = resources.get("/Font", {}) if resources is not None else {}
    fonts_res = fonts_res.get_object() if isinstance(fonts_res, IndirectObject) else fonts_res
    cache: dict[str, _Font] = {}
    xobjects = resources.get("/XObject", {}) if resources is not None else {}
    xobjects = xobjects.get_object() if isinstance(xobjects, IndirectObject) else xobjects
    stack: list[tuple] = []
    ctm = tuple(ctm0)
    font: _Font | None = None
    size = tc = tw = rise = 0.0
    th, tl = 1.0, 0.0
    tm = lm = IDENTITY

    def show(data: bytes, spaced: Iterable = ()) -> None:
        nonlocal tm
        if font is None:
            return
        items = list(spaced) if spaced else [data]
        start = tm
        adv = 0.0
        text = ""
        for item in items:
            if isinstance(item, (int, float)) or type(item).__name__ in ("FloatObject", "NumberObject"):
                adv -= float(item) / 1000.0 * size * th
                continue
            for code in font.codes(_raw(item)):
                ch = font.text(code)
                text += ch
                adv += (font.width(code) * size + tc + (tw if code == b" " else 0.0)) * th
        tm = _mul((1.0, 0.0, 0.0, 1.0, adv, 0.0), tm)
        if not text.strip():
            return
        m = _mul(start, ctm)
        corners = [_apply(m, x, y) for x in (0.0, adv) for y in (rise - DESCENT * size, rise + ASCENT * size)]
        xs, ys = [c[0] for c in corners], [c[1] for c in corners]
        scale = (abs(m[0] * m[3] - m[1] * m[2]) ** 0.5) or 1.0
        out.append(Run(text, min(xs), min(ys), max(xs), max(ys), size * scale))

    for operands, op in ContentStream(content, reader).operations:
        if op == b"q":
            stack.append((ctm,))
        elif op == b"Q":
            if stack:
                (ctm,) = stack.pop()
        elif op == b"cm":
            ctm = _mul([float(x) for x in operands], ctm)
        elif op == b"BT":
            tm = lm = IDENTITY
        elif op == b"Tf":
            name = str(operands[0])
            if name not in cache and name in fonts_res:
                cache[name] = _Font(fonts_res[name])
            font, size = cache.get(name), float(operands[1])
        elif op == b"Tm":
            tm = lm = tuple(float(x) for x in operands)
        elif op in (b"Td", b"TD"):
            tx_, ty_ = float(operands[0]), float(operands[1])
            if op == b"TD":
                tl = -ty_
            lm = _mul((1.0, 0.0, 0.0, 1.0, tx_, ty_), lm)
            tm = lm
        elif op == b"T*":
            lm = _mul((1.0, 0.0, 0.0, 1.0, 0.0, -tl), lm)
            tm = lm
        elif op == b"TL":
            tl = float(operands[0])
        elif op == b"Tc":
            tc = float(operands[0])
        elif op == b"Tw":
            tw = float(operands[0])
        elif op == b"Tz":
            th = float(operands[0]) / 100.0
        elif op == b"Ts":
            rise = float(operands[0])
        elif op == b"Tj":
            show(_raw(operands[0]))
        elif op == b"TJ":
            show(b"", operands[0])
        elif op in (b"'", b'"'):
            if op == b'"':
                tw, tc = float(operands[0]), float(operands[1])
            lm = _mul((1.0, 0.0, 0.0, 1.0, 0.0, -tl), lm)
            tm = lm
            show(_raw(operands[-1]))
        elif op == b"Do" and depth < 8:
            xo = xobjects.get(str(operands[0])) if xobjects else None
            if xo is None:
                continue
            xo = xo.get_object()
            if xo.get("/Subtype") != "/Form":
                continue
            matrix = [float(x) for x in xo.get("/Matrix", IDENTITY)]
            _runs(xo, xo.get("/Resources", resources), reader, _mul(matrix, ctm), out, depth + 1)


def joined(runs: Sequence[Run]) -> list[Run]:
    """Runs on one baseline that follow each other (vl-convert draws a glyph at a time) joined into one: a next run
    that starts within a third of a size after the last one ends, or overlaps it by less than kerning does (0.3 of
    a size); one that overlaps it by more stays apart (two texts colliding)."""
    out: list[Run] = []
    for r in sorted(runs, key=lambda r: (round(r.y0, 1), r.x0)):
        last = out[-1] if out else None
        if (last is not None and abs(last.y0 - r.y0) < 0.5 and abs(last.y1 - r.y1) < 0.5
                and -0.3 * r.size <= r.x0 - last.x1 <= 0.3 * r.size):
            out[-1] = Run(last.text + r.text, last.x0, min(last.y0, r.y0), max(last.x1, r.x1), max(last.y1, r.y1),
                          max(last.size, r.size))
        else:
            out.append(r)
    return out


def page_runs(data: bytes) -> list[tuple[tuple[float, float], list[Run]]]:
    """Each page's size (points) and the runs of text drawn on it."""
    reader = PdfReader(io.BytesIO(data))
    pages = []
    for page in reader.pages:
        box = page.mediabox
        out: list[Run] = []
        contents = page.get_contents()
        if contents is not None:
            _runs(contents, page.get("/Resources"), reader, IDENTITY, out)
        pages.append(((float(box.width), float(box.height)), out))
    return pages


def overlaps(runs: Sequence[Run], min_area: float = 2.0) -> list[tuple[Run, Run]]:
    """Pairs of runs whose glyph boxes overlap by more than ``min_area`` points²."""
    found = []
    ordered = sorted(runs, key=lambda r: r.x0)
    for i, a in enumerate(ordered):
        for b in ordered[i + 1:]:
            if b.x0 >= a.x1:
                break
            if a.overlap(b) > min_area:
                found.append((a, b))
    return found


def squash(text: str) -> str:
    """Text without any kind of space (a wrapped line and its box's text compare equal)."""
    return re.sub(r"[\s\u00a0\u202f\u200b]+", "", text)
