"""Write (or check) the one-step picture of the home page: _static/step_shapes_2x3.svg.

    python -m tools.step_figure          # draw it again with lstm_utils.figures.plot_step_shapes(2, 3)
    python -m tools.step_figure --check  # exit 1 if the file differs from what the helper draws now

The picture is the helper's own drawing of `LSTM(3)` on 2 features (chapter 03's model), saved as a file so the
website shows it without running a notebook. intro.md shows it with the helper's alt text, word for word;
tests/browser/test_site.py checks both the file and the alt text.
"""

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SVG = ROOT / "_static" / "step_shapes_2x3.svg"
FEATURES, UNITS = 2, 3


def figure():
    """The CourseFigure the home page shows (its .svg() and its .alt)."""
    from lstm_utils.figures import plot_step_shapes

    return plot_step_shapes(FEATURES, UNITS)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare, write nothing")
    args = parser.parse_args(argv)
    svg = figure().svg()
    if not svg.endswith("\n"):
        svg += "\n"
    if args.check:
        if not SVG.exists() or SVG.read_text(encoding="utf-8") != svg:
            print(f"{SVG.relative_to(ROOT)} is out of date: run python -m tools.step_figure", file=sys.stderr)
            return 1
        return 0
    SVG.write_text(svg, encoding="utf-8")
    print(f"wrote {SVG.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
