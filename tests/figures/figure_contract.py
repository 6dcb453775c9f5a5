"""The figure-test contract: what every figure helper promises, checked from the markup it returns.

- ``assert_svg_figure``: a CourseFigure whose SVG parses, scales (viewBox), carries role="img", an aria-label, a
  <title> and a <desc> equal to the alt text, has no date or software stamp, reads as its alt text, and passes
  ``assert_legible`` and ``assert_contrast``.
- ``assert_legible``: every text, scaled with the figure to the phone's 342 px output column, is at least 11 CSS px.
- ``assert_contrast``: every text colour against every solid fill (and the white background) is at least 4.5:1,
  on the book's light pages and under the dark pages' image filter (brightness(.8) contrast(1.2)).
- ``texts``: the figure's visible strings (tspans joined), so a test can compare labels with the numbers passed.
"""

import re
import xml.etree.ElementTree as ET

from lstm_utils.figures import CourseFigure

NS = "{http://www.w3.org/2000/svg}"
PHONE_COLUMN_PX = (
    342  # a chapter's output area on a 390 px screen, measured in Chromium
)
MIN_PX = 11.0
#: pydata-sphinx-theme, dark pages: html[data-theme=dark] img {filter: brightness(.8) contrast(1.2)}
DARK_FILTER = (0.8, 1.2)


def parse(svg):
    return ET.fromstring(svg)


def view_box(root):
    x, y, w, h = (float(v) for v in root.get("viewBox").split())
    return w, h


def _font_size(element, inherited):
    size = element.get("font-size")
    style = element.get("style", "")
    m = re.search(r"font-size:\s*([\d.]+)(px)?", style)
    if m:
        size = m.group(1)
    m = re.search(r"font:[^;]*?([\d.]+)px", style)
    if m:
        size = m.group(1)
    return float(size) if size is not None else inherited


def _walk(element, size, fill, out, in_defs=False):
    size = _font_size(element, size)
    fill = element.get("fill", fill)
    m = re.search(r"(?:^|;)\s*fill:\s*(#[0-9a-fA-F]{6})", element.get("style", ""))
    if m:
        fill = m.group(1)
    tag = element.tag.replace(NS, "")
    in_defs = in_defs or tag in ("defs", "marker", "pattern", "clipPath")
    out.append((tag, element, size, fill, in_defs))
    for child in element:
        _walk(child, size, fill, out, in_defs)


def elements(svg):
    root = parse(svg)
    out = []
    _walk(root, None, "#000000", out)
    return root, out


def texts(svg):
    """Every <text>'s visible string (its tspans joined), in document order."""
    root = parse(svg)
    return ["".join(t.itertext()) for t in root.iter(NS + "text")]


def min_font_px(svg):
    """The smallest text in CSS px when the figure is drawn 342 px wide, and the text it belongs to."""
    root, els = elements(svg)
    width, _ = view_box(root)
    sizes = [
        (size * PHONE_COLUMN_PX / width, "".join(el.itertext()))
        for tag, el, size, _, _ in els
        if tag in ("text", "tspan") and "".join(el.itertext()).strip()
    ]
    assert sizes, "the figure has no text"
    return min(sizes)


def assert_legible(svg, min_px=MIN_PX):
    px, text = min_font_px(svg)
    assert px >= min_px, (
        f"text {text!r} is {px:.1f} px at {PHONE_COLUMN_PX} px wide, below {min_px} px"
    )
    for tag, el, _, _, _ in elements(svg)[1]:
        assert "scale(" not in (el.get("transform") or ""), (
            "a scale transform would hide a text's real size"
        )
    return px


def _luminance(colour):
    rgb = [int(colour[k : k + 2], 16) / 255 for k in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a, b):
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def dark_page(colour):
    """The colour as the book's dark pages show an <img>: brightness(0.8) then contrast(1.2)."""
    brightness, k = DARK_FILTER
    rgb = [int(colour[j : j + 2], 16) / 255 * brightness for j in (1, 3, 5)]
    rgb = [min(1.0, max(0.0, (c - 0.5) * k + 0.5)) for c in rgb]
    return "#" + "".join(f"{round(c * 255):02X}" for c in rgb)


def _hex(colour):
    colour = colour.strip()
    if re.fullmatch(r"#[0-9a-fA-F]{6}", colour):
        return colour.upper()
    if re.fullmatch(r"#[0-9a-fA-F]{3}", colour):
        return "#" + "".join(c * 2 for c in colour[1:]).upper()
    return {"white": "#FFFFFF", "black": "#000000"}.get(colour)


def _background(x, y, rects):
    """The solid fill drawn last under the point (x, y), white if none."""
    under = "#FFFFFF"
    for rx, ry, rw, rh, fill in rects:
        if rx <= x <= rx + rw and ry <= y <= ry + rh:
            under = fill
    return under


def assert_contrast(svg, minimum=4.5):
    """Every text against what it is drawn on (the solid rect under its anchor, else the white background),
    at least ``minimum``:1 on the book's light pages and under the dark pages' image filter."""
    _, els = elements(svg)
    rects = []
    bad = []
    for tag, el, _, fill, defs in els:
        if defs:
            continue
        if (
            tag == "rect"
            and el.get("x") is not None
            and _hex(el.get("fill") or "none")
            and el.get("opacity") is None
        ):
            rects.append(
                (
                    float(el.get("x")),
                    float(el.get("y")),
                    float(el.get("width")),
                    float(el.get("height")),
                    _hex(el.get("fill")),
                )
            )
        if tag == "text":
            colour = _hex(fill)
            assert colour is not None, (
                f"text {''.join(el.itertext())!r} has no hex colour: {fill!r}"
            )
            x, y = el.get("x"), el.get("y")
            under = (
                _background(float(x), float(y), rects)
                if x is not None and y is not None
                else "#FFFFFF"
            )
            for page, (a, b) in (
                ("light", (colour, under)),
                ("dark", (dark_page(colour), dark_page(under))),
            ):
                ratio = contrast(a, b)
                if ratio < minimum:
                    bad.append(
                        (page, "".join(el.itertext()), colour, under, round(ratio, 2))
                    )
    assert not bad, f"text below {minimum}:1 against its background: {bad[:5]}"


def assert_svg_figure(fig, *, max_bytes=80_000, min_px=MIN_PX):
    """What every SVG figure helper promises (see the module docstring). Returns the SVG text."""
    assert isinstance(fig, CourseFigure)
    assert fig.kind == "svg"
    svg = fig.svg()
    assert fig._repr_svg_() == svg and fig._repr_html_() is None
    assert repr(fig) == f"Figure: {fig.alt}"
    assert len(svg.encode()) < max_bytes, f"SVG is {len(svg.encode())} bytes"
    root = parse(svg)
    assert root.tag == NS + "svg"
    width, height = view_box(root)
    assert width > 0 and height > 0
    assert root.get("role") == "img" and root.get("aria-label")
    title, desc = root.find(NS + "title"), root.find(NS + "desc")
    assert title is not None and title.text
    assert desc is not None and desc.text == fig.alt
    for stamp in ("dc:date", "<dc:creator", "Matplotlib v", "matplotlib.org/"):
        assert stamp not in svg, f"run- or version-dependent stamp {stamp!r} in the SVG"
    assert "max-width:100%" in root.get("style", "").replace(" ", "")
    assert_legible(svg, min_px)
    assert_contrast(svg)
    return svg


def assert_deterministic(draw):
    """Drawing the same figure twice gives the same bytes."""
    first, second = draw(), draw()
    assert first.html() == second.html()
    return first
