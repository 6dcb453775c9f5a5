"""What every figure helper returns: a :class:`CourseFigure`, an SVG (or, for the step-through, self-contained HTML)
whose text form is its alt text, so a stored output never holds a run-dependent ``<Figure size ...>`` repr.

Why SVG: it stays sharp at any zoom, its text is text (searchable, selectable, read by screen readers), and it is
small. A notebook stores it as ``image/svg+xml``, which nbval compares byte for byte, so every SVG here is
deterministic: matplotlib writes no date and no software stamp, its ids come from a fixed salt
(``svg.hashsalt``), text is kept as ``<text>`` (``svg.fonttype = "none"``), and the chart data is rounded to the
nearest 0.001 before drawing (:func:`stable`), because float32 results differ in their last bits from one CPU to
another and would otherwise move a coordinate in its sixth decimal. Hand-built diagrams (``_svg.py``) write
coordinates with two decimals.

Where an untrusted notebook is opened in JupyterLab, JupyterLab does not render ``image/svg+xml`` (it is not a
"safe" type there) and shows the text form, the alt text, until the cell is run or the notebook trusted; the
website, Colab and a trusted JupyterLab show the figure.
"""

import contextlib
import io
import re
from xml.sax.saxutils import escape

import numpy as np

from . import _style as st


def stable(values, decimals=3):
    """``values`` as float64, rounded to ``decimals`` so a chart is the same bytes on every CPU (no '-0')."""
    return np.round(np.asarray(values, dtype=np.float64), decimals) + 0.0


@contextlib.contextmanager
def chart_style():
    """Draw a matplotlib chart inside this: the course's fonts, colours and SVG settings (``_style.chart_rc``)."""
    import matplotlib

    with matplotlib.rc_context(st.chart_rc()):
        yield


def new_figure(width=st.CHART_WIDTH_IN, height=3.6):
    """A matplotlib Figure that is not registered with pyplot, so nothing is shown twice.

    Charts are :data:`_style.CHART_WIDTH_IN` inches wide so their text stays legible on a phone; call it inside
    :func:`chart_style`.
    """
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


_HEAD = re.compile(r"\A.*?<svg ", re.S)
_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.S)


def _matplotlib_svg(figure, title, alt):
    """The figure as a deterministic SVG string with a title, a description and role="img"."""
    buffer = io.StringIO()
    with chart_style():
        figure.savefig(
            buffer,
            format="svg",
            metadata={"Date": None, "Creator": None, "Format": None, "Type": None},
        )
    text = _METADATA.sub("", _HEAD.sub("<svg ", buffer.getvalue(), count=1), count=1)
    opening_end = text.index(">") + 1
    opening = text[: opening_end - 1]
    label = escape(title, {'"': "&quot;"})
    accessible = (
        f'{opening} role="img" aria-label="{label}" font-family="{st.FONT_FAMILY}" '
        f'style="max-width:100%;height:auto">\n <title>{escape(title)}</title>\n <desc>{escape(alt)}</desc>'
    )
    return accessible + text[opening_end:]


class CourseFigure:
    """A figure with alt text: SVG (or HTML) in a notebook, the alt text as its text form.

    Built by the figure helpers in one of three ways: ``CourseFigure(matplotlib_figure, alt)`` for a chart,
    ``CourseFigure(svg=..., alt=...)`` for a hand-built diagram, ``CourseFigure(html=..., alt=...)`` for the
    step-through. ``repr`` gives ``"Figure: <alt text>"``; :meth:`svg` and :meth:`html` the markup.
    """

    def __init__(self, figure=None, alt=None, *, svg=None, html=None, title=None):
        if not alt or not isinstance(alt, str):
            raise ValueError("a course figure needs alt text describing what it shows")
        given = [
            name
            for name, value in (("figure", figure), ("svg", svg), ("html", html))
            if value is not None
        ]
        if len(given) != 1:
            raise ValueError(
                f"a course figure is exactly one of a matplotlib figure, an SVG or HTML; got {given}"
            )
        self.alt = alt
        self.title = title or alt.split(":")[0].split(".")[0]
        self.figure = figure
        if figure is not None:
            self._svg = _matplotlib_svg(figure, self.title, alt)
        else:
            self._svg = svg
        self._html = html

    @property
    def kind(self):
        """``"svg"`` for charts and diagrams, ``"html"`` for the step-through."""
        return "html" if self._html is not None else "svg"

    def svg(self):
        """The figure as an SVG document (a string)."""
        if self._svg is None:
            raise TypeError(
                "this figure is HTML (a step-through), not an SVG: use .html()"
            )
        return self._svg

    def html(self):
        """The step-through's self-contained HTML (a string); SVG figures return their SVG markup."""
        return self._html if self._html is not None else self._svg

    def _repr_svg_(self):
        return self._svg

    def _repr_html_(self):
        return self._html

    def png(self, dpi=200):
        """A PNG of a matplotlib chart (for slides); diagrams and the step-through are SVG/HTML only."""
        if self.figure is None:
            raise TypeError(
                "only matplotlib charts have a PNG; save a diagram with .savefig('name.svg')"
            )
        buf = io.BytesIO()
        # No 'Software' metadata: the bytes then depend only on the drawing, not on the matplotlib version.
        with chart_style():
            self.figure.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
        return buf.getvalue()

    def savefig(self, path):
        """Write the figure to ``path``: ``.svg`` or ``.html`` (any figure), ``.png`` (charts only)."""
        path = str(path)
        if path.endswith(".png"):
            data, mode = self.png(), "wb"
        elif path.endswith(".svg"):
            data, mode = self.svg(), "w"
        elif path.endswith((".html", ".htm")):
            text = self.html()
            data, mode = (
                (
                    text
                    if self.kind == "html"
                    else f"<!doctype html><meta charset='utf-8'>{text}"
                ),
                "w",
            )
        else:
            raise ValueError(f"savefig writes .svg, .html or .png files, got {path!r}")
        with open(
            path, mode, **({} if mode == "wb" else {"encoding": "utf-8"})
        ) as handle:
            handle.write(data)

    def __repr__(self):
        return f"Figure: {self.alt}"
