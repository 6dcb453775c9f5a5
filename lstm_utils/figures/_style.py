"""The look every figure shares: one notation, one colour-blind-safe palette, and sizes that stay legible on a phone.

Why these choices:

* **Legible at 390 px.** A phone shows a chapter's outputs in a column of 342 CSS px. A figure whose drawing is
  ``W`` units wide (the SVG ``viewBox``) is scaled by ``342 / W`` there, so a font of ``s`` units is drawn at
  ``s * 342 / W`` px. Every figure keeps that at or above :data:`MIN_FONT_PX` (11 px): hand-built diagrams are at
  most :data:`DIAGRAM_WIDTH` units wide with fonts of at least :data:`DIAGRAM_MIN_FONT`; matplotlib charts are
  :data:`CHART_WIDTH_IN` inches (72 units per inch) wide with fonts of at least :data:`CHART_MIN_FONT` points.
* **Never colour alone.** A gate is told apart by its letter (i, f, c̃, o), its hatching and its colour; a unit's
  line by its marker, its dash pattern and its colour.
* **Colour-blind safe.** Colours come from the Okabe–Ito palette (Okabe & Ito, "Color Universal Design", 2002),
  which stays distinguishable under the common colour-vision deficiencies. Text is never coloured: it is near-black
  on white or on a light tint, at least 4.5:1, and every figure carries its own white background, so it reads the
  same on the book's light and dark pages. Lines and outlines in colour are at least 3:1 against white.
* **One notation.** ``W`` is ``kernel``, ``U`` is ``recurrent_kernel``, ``b`` is ``bias``; the candidate is c̃
  (``"c"`` in :data:`lstm_utils.GATE_ORDER`, ``g`` in code); the gate blocks come in Keras's order i, f, c̃, o.
"""

from collections import namedtuple

#: The phone's content column, in CSS px: a chapter's output area on a 390 px screen measures 342 px in this
#: book (Chromium, sphinx-book-theme 1.x; 358 px is the page's text column before the output area's padding).
PHONE_COLUMN_PX = 342
#: The smallest text any figure may show at that width, in CSS px.
MIN_FONT_PX = 11.0

#: Hand-built SVG diagrams: their drawing is at most this many units wide ...
DIAGRAM_WIDTH = 380
#: ... and no text in them is smaller than this (12.5 * 342 / 380 = 11.25 px on a phone).
DIAGRAM_MIN_FONT = 12.5
#: The size of small labels in diagrams.
SMALL = DIAGRAM_MIN_FONT
#: On a wide screen a diagram is drawn this many times its viewBox size (a 380-unit diagram at 532 px).
DIAGRAM_ZOOM = 1.4

#: matplotlib charts: this wide (5 in = 360 units), with no font under CHART_MIN_FONT points (11.1 px on a phone).
CHART_WIDTH_IN = 5.0
CHART_MIN_FONT = 11.7

FONT_FAMILY = "'DejaVu Sans', Arial, Helvetica, sans-serif"

# Okabe–Ito. Contrast against white: blue 5.2, vermillion 3.9, bluish green 3.4, reddish purple 3.1,
# black 21; orange, sky blue and yellow are too light for lines on white and are used as tints only.
BLACK = "#000000"
ORANGE = "#E69F00"
SKY_BLUE = "#56B4E9"
GREEN = "#009E73"
YELLOW = "#F0E442"
BLUE = "#0072B2"
VERMILLION = "#D55E00"
PURPLE = "#CC79A7"

#: Text, and the greys used for outlines and secondary text (both at least 7:1 on white).
TEXT = "#1A1A1A"
MUTED = "#4D4D4D"
OUTLINE = "#595959"
BACKGROUND = "#FFFFFF"
#: Light fills behind text (every one keeps TEXT and MUTED above 4.5:1).
PANEL = "#F2F2F2"


def tint(colour, amount):
    """``colour`` mixed with white: ``amount`` 0 is white, 1 the colour itself."""
    rgb = [int(colour[k : k + 2], 16) for k in (1, 3, 5)]
    mixed = [round(255 - (255 - c) * amount) for c in rgb]
    return "#" + "".join(f"{c:02X}" for c in mixed)


Gate = namedtuple("Gate", "key letter name colour tint hatch activation")

#: The four gates in Keras's block order, each with its letter, colour, light tint and hatching.
GATES = (
    Gate("i", "i", "input gate", BLUE, tint(BLUE, 0.18), "diagonal", "σ"),
    Gate(
        "f", "f", "forget gate", VERMILLION, tint(VERMILLION, 0.18), "horizontal", "σ"
    ),
    Gate("c", "c\u0303", "candidate", GREEN, tint(GREEN, 0.18), "dots", "tanh"),
    Gate("o", "o", "output gate", PURPLE, tint(PURPLE, 0.22), "vertical", "σ"),
)
GATE = {gate.key: gate for gate in GATES}
#: How alt text spells each gate (screen readers read "c̃" as "c").
SPOKEN = {
    "i": "input gate i",
    "f": "forget gate f",
    "c": "candidate c-tilde",
    "o": "output gate o",
}

UnitStyle = namedtuple("UnitStyle", "colour marker dash label_dash")

#: One style per unit (or per line) in a chart: colour, marker and dash pattern together are never repeated.
#: ``dash`` is matplotlib's linestyle, ``label_dash`` the SVG stroke-dasharray of the same pattern.
UNIT_STYLES = (
    UnitStyle(BLUE, "o", "-", None),
    UnitStyle(VERMILLION, "s", "--", "6 3"),
    UnitStyle(GREEN, "^", ":", "1.5 3"),
    UnitStyle(PURPLE, "D", "-.", "6 3 1.5 3"),
    UnitStyle(BLACK, "v", (0, (8, 2)), "8 2"),
    UnitStyle(BLUE, "P", (0, (3, 1, 1, 1, 1, 1)), "3 1 1 1 1 1"),
    UnitStyle(VERMILLION, "X", (0, (1, 1)), "1 1"),
    UnitStyle(GREEN, "*", (0, (5, 1)), "5 1"),
    UnitStyle(PURPLE, "h", (0, (3, 3)), "3 3"),
    UnitStyle(BLACK, "p", (0, (1, 2, 5, 2)), "1 2 5 2"),
)


def unit_style(k):
    """The chart style of unit (or line) ``k``, counted from 0."""
    return UNIT_STYLES[k % len(UNIT_STYLES)]


def chart_rc():
    """matplotlib settings for every chart: phone-sized fonts, text kept as text, no run-dependent ids."""
    return {
        "font.family": "sans-serif",
        "font.sans-serif": ["DejaVu Sans", "Arial", "Helvetica", "sans-serif"],
        "font.size": CHART_MIN_FONT + 0.5,
        "axes.titlesize": CHART_MIN_FONT + 1,
        "axes.labelsize": CHART_MIN_FONT + 0.5,
        "xtick.labelsize": CHART_MIN_FONT,
        "ytick.labelsize": CHART_MIN_FONT,
        "legend.fontsize": CHART_MIN_FONT,
        "legend.title_fontsize": CHART_MIN_FONT,
        "figure.titlesize": CHART_MIN_FONT + 1,
        "axes.edgecolor": OUTLINE,
        "axes.labelcolor": TEXT,
        "text.color": TEXT,
        "xtick.color": OUTLINE,
        "ytick.color": OUTLINE,
        "xtick.labelcolor": TEXT,
        "ytick.labelcolor": TEXT,
        "axes.unicode_minus": True,
        "figure.facecolor": BACKGROUND,
        "savefig.facecolor": BACKGROUND,
        # text stays <text> (small, searchable, read by screen readers); ids depend on the drawing only
        "svg.fonttype": "none",
        "svg.hashsalt": "lstm_utils",
        "path.simplify": False,
    }
