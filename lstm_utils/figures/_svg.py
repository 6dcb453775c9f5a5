"""A small SVG writer for the course's diagrams (the cell, the shapes of one step, the weights, the stack ...).

Why hand-built SVG and not matplotlib for diagrams: a diagram is boxes, arrows and labels placed by hand, and
written directly it is a few kilobytes of plain text whose every label is a ``<text>`` element, with ``<title>``,
``<desc>`` and ``role="img"`` for screen readers. Its bytes depend only on the numbers drawn (coordinates are
written with at most two decimals), so a stored notebook output is the same on every machine. Charts with axes
and ticks stay matplotlib (see ``_base.py``).

Text may carry sub- and superscripts in a small markup: ``h_{t-1}``, ``x_t`` (one character), ``h^{(1)}``.
"""

import hashlib
import re
from xml.sax.saxutils import escape

from . import _style as st

# "x_t", "h_1", "x_{10}", "h^{(1)}"; an underscore inside a word ("recurrent_kernel") stays an underscore
_MARKUP = re.compile(r"(?:(?<=[^\W_])|(?<=[)}]))([_^])(\{[^}]*\}|[^\W_](?![^\W_]))")


def num(value):
    """A coordinate or size: at most two decimals, no trailing zeros, never '-0'."""
    text = f"{float(value):.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def fmt(value, digits=3):
    """A value printed in a figure: ``digits`` decimals, whole numbers without them, never '-0.000'."""
    value = float(value)
    if value.is_integer() and abs(value) < 1e6:
        return str(int(value))
    text = f"{value:.{digits}f}"
    if text.lstrip("-").strip("0.") == "":
        return "0." + "0" * digits if digits else "0"
    return text


def text_width(text, size, bold=False):
    """An estimate of how wide ``text`` is drawn at ``size`` in DejaVu Sans (generous: other fonts are narrower)."""
    narrow = sum(ch in " .,:;|()[]ijlt'!\u0303\u2009" for ch in text)
    return (
        size * (0.64 * (len(text) - narrow) + 0.33 * narrow) * (1.07 if bold else 1.0)
    )


def plain(text):
    """The markup removed, for alt text and <title>: 'h_{t-1}' -> 'h_t-1', 'c\u0303' kept."""
    return _MARKUP.sub(
        lambda m: (m.group(1) if m.group(1) == "_" else "^") + m.group(2).strip("{}"),
        text,
    )


def _attrs(**attrs):
    parts = []
    for key, value in attrs.items():
        if value is None:
            continue
        key = key.rstrip("_").replace("_", "-")
        if isinstance(value, float):
            value = num(value)
        parts.append(f'{key}="{escape(str(value), {chr(34): "&quot;"})}"')
    return " ".join(parts)


class Svg:
    """An SVG drawing ``width`` x ``height`` units, with a white background and an accessible name.

    ``title`` is a short name (shown as a tooltip), ``desc`` the full alt text. Elements are added in drawing
    order; :meth:`render` returns the document as a string.
    """

    def __init__(self, width, height, *, title, desc, key):
        if width > st.DIAGRAM_WIDTH + 1e-9:
            raise AssertionError(
                f"diagram is {width} units wide, at most {st.DIAGRAM_WIDTH} stay legible"
            )
        self.width, self.height = width, height
        self.title, self.desc = title, desc
        # ids must be unique on a page that shows several figures inline, and the same on every run
        self.prefix = "lu" + hashlib.sha256(f"{key}\n{desc}".encode()).hexdigest()[:8]
        self._defs = []
        self._body = []
        self._patterns = set()
        self._markers = set()
        #: texts whose estimated extent leaves the drawing (tests assert there are none)
        self.overflows = []

    # ----------------------------------------------------------------------------------------------- defs
    def hatch(self, kind, colour):
        """The id of a hatching pattern (diagonal, horizontal, vertical, dots) drawn in ``colour``."""
        name = f"{self.prefix}-h-{kind}-{colour.lstrip('#')}"
        if name not in self._patterns:
            self._patterns.add(name)
            shapes = {
                "diagonal": f'<path d="M-1,1 l2,-2 M0,6 l6,-6 M5,7 l2,-2" stroke="{colour}" stroke-width="1.6"/>',
                "horizontal": f'<path d="M0,3 h6" stroke="{colour}" stroke-width="1.6"/>',
                "vertical": f'<path d="M3,0 v6" stroke="{colour}" stroke-width="1.6"/>',
                "dots": f'<circle cx="3" cy="3" r="1.3" fill="{colour}"/>',
            }
            self._defs.append(
                f'<pattern id="{name}" width="6" height="6" patternUnits="userSpaceOnUse">'
                f"{shapes[kind]}</pattern>"
            )
        return name

    def _marker(self, colour):
        name = f"{self.prefix}-a-{colour.lstrip('#')}"
        if name not in self._markers:
            self._markers.add(name)
            self._defs.append(
                f'<marker id="{name}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
                f'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{colour}"/></marker>'
            )
        return name

    # ----------------------------------------------------------------------------------------------- shapes
    def raw(self, text):
        self._body.append(text)

    def rect(
        self,
        x,
        y,
        w,
        h,
        *,
        fill="none",
        stroke=None,
        stroke_width=None,
        rx=None,
        dash=None,
        opacity=None,
    ):
        self._body.append(
            "<rect "
            + _attrs(
                x=num(x),
                y=num(y),
                width=num(w),
                height=num(h),
                rx=None if rx is None else num(rx),
                fill=fill,
                stroke=stroke,
                stroke_width=None if stroke_width is None else num(stroke_width),
                stroke_dasharray=dash,
                opacity=opacity,
            )
            + "/>"
        )

    def hatched_rect(self, x, y, w, h, gate, *, stroke=True):
        """A rectangle in a gate's tint, overlaid with the gate's hatching and outlined in its colour."""
        self.rect(x, y, w, h, fill=gate.tint)
        self.rect(
            x,
            y,
            w,
            h,
            fill=f"url(#{self.hatch(gate.hatch, gate.colour)})",
            opacity="0.55",
        )
        if stroke:
            self.rect(x, y, w, h, stroke=gate.colour, stroke_width=1.5)

    def circle(self, cx, cy, r, *, fill="none", stroke=None, stroke_width=None):
        self._body.append(
            "<circle "
            + _attrs(
                cx=num(cx),
                cy=num(cy),
                r=num(r),
                fill=fill,
                stroke=stroke,
                stroke_width=None if stroke_width is None else num(stroke_width),
            )
            + "/>"
        )

    def line(
        self,
        points,
        *,
        stroke=st.OUTLINE,
        width=1.5,
        arrow=False,
        dash=None,
        start_arrow=False,
    ):
        """A polyline through ``points``; ``arrow`` puts an arrowhead at its end."""
        d = "M" + " L".join(f"{num(x)},{num(y)}" for x, y in points)
        marker = f"url(#{self._marker(stroke)})"
        self._body.append(
            "<path "
            + _attrs(
                d=d,
                fill="none",
                stroke=stroke,
                stroke_width=num(width),
                stroke_dasharray=dash,
                marker_end=marker if arrow else None,
                marker_start=marker if start_arrow else None,
            )
            + "/>"
        )

    def path(self, d, *, fill="none", stroke=None, width=None):
        self._body.append(
            "<path "
            + _attrs(
                d=d,
                fill=fill,
                stroke=stroke,
                stroke_width=None if width is None else num(width),
            )
            + "/>"
        )

    def text(
        self,
        x,
        y,
        content,
        *,
        size=14,
        anchor="middle",
        weight=None,
        fill=st.TEXT,
        italic=False,
        baseline="central",
    ):
        """Text at (x, y), centred vertically on y; ``content`` may hold ``_{sub}`` and ``^{sup}`` markup."""
        if size < st.DIAGRAM_MIN_FONT:
            raise AssertionError(
                f"font {size} is below the legible minimum {st.DIAGRAM_MIN_FONT}"
            )
        spans = []
        level = 0.0
        pos = 0
        for m in _MARKUP.finditer(content):
            if m.start() > pos:
                spans.append((content[pos : m.start()], 0.0))
            spans.append(
                (
                    m.group(2).strip("{}")
                    if m.group(2).startswith("{")
                    else m.group(2),
                    0.3 if m.group(1) == "_" else -0.4,
                )
            )
            pos = m.end()
        if pos < len(content):
            spans.append((content[pos:], 0.0))
        small = max(st.DIAGRAM_MIN_FONT, round(size * 0.8))
        width = sum(
            text_width(chunk, small if shift else size, weight == "bold")
            for chunk, shift in spans
        )
        x0 = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
        if (
            x0 < -0.5
            or x0 + width > self.width + 0.5
            or y - size / 2 < -0.5
            or y + size / 2 > self.height + 0.5
        ):
            self.overflows.append(content)
        parts = []
        for chunk, shift in spans:
            dy = (shift - level) * size
            level = shift
            attrs = _attrs(
                dy=num(dy) if dy else None, font_size=small if shift else None
            )
            parts.append(
                f"<tspan {attrs}>{escape(chunk)}</tspan>" if attrs else escape(chunk)
            )
        self._body.append(
            "<text "
            + _attrs(
                x=num(x),
                y=num(y),
                font_size=size,
                text_anchor=None if anchor == "middle" else anchor,
                dominant_baseline=baseline,
                font_weight=weight,
                fill=None if fill == st.TEXT else fill,
                font_style="italic" if italic else None,
            )
            + ">"
            + "".join(parts)
            + "</text>"
        )

    # ----------------------------------------------------------------------------------------------- output
    def render(self):
        tid, did = f"{self.prefix}-title", f"{self.prefix}-desc"
        head = (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {num(self.width)} {num(self.height)}" '
            f'width="{num(self.width * st.DIAGRAM_ZOOM)}" height="{num(self.height * st.DIAGRAM_ZOOM)}" '
            f'role="img" aria-label="{escape(self.title, {chr(34): "&quot;"})}" aria-describedby="{did}" '
            f'font-family="{st.FONT_FAMILY}" text-anchor="middle" fill="{st.TEXT}" '
            f'style="max-width:100%;height:auto">'
        )
        parts = [
            head,
            f'<title id="{tid}">{escape(self.title)}</title>',
            f'<desc id="{did}">{escape(self.desc)}</desc>',
        ]
        if self._defs:
            parts.append("<defs>" + "".join(self._defs) + "</defs>")
        parts.append(f'<rect width="100%" height="100%" fill="{st.BACKGROUND}"/>')
        parts.extend(self._body)
        parts.append("</svg>")
        return "\n".join(parts) + "\n"
