"""CourseFigure, new_figure and the SVG writer: the contract every figure helper builds on."""

import re

import pytest

from lstm_utils.figures import CourseFigure, new_figure
from lstm_utils.figures._base import chart_style
from lstm_utils.figures._svg import Svg, fmt, num, plain, text_width

from figure_contract import (
    assert_legible,
    assert_svg_figure,
    contrast,
    dark_page,
    texts,
)


def _chart(alt="a line falling from 1 to 0"):
    with chart_style():
        fig = new_figure(5, 3)
        ax = fig.add_subplot()
        ax.plot([0, 1], [1, 0])
        ax.set_title("falling")
    return CourseFigure(fig, alt=alt, title="A falling line")


def test_a_chart_shows_as_svg_and_reads_as_its_alt_text():
    shown = _chart()
    svg = assert_svg_figure(shown)
    assert repr(shown) == "Figure: a line falling from 1 to 0"
    assert svg.startswith("<svg ")  # no XML prolog or DOCTYPE: embeddable inline
    assert "falling" in texts(svg)  # text stays text (svg.fonttype = "none")


def test_the_svg_bytes_do_not_depend_on_the_run():
    # A re-run of a notebook draws a fresh figure: it must be the same bytes (nbval compares image/svg+xml).
    assert _chart().svg() == _chart().svg()
    svg = _chart().svg()
    assert (
        "<dc:date" not in svg and "Matplotlib v" not in svg and "<metadata>" not in svg
    )
    ids = re.findall(
        r'id="(p[0-9a-f]{10})"', svg
    )  # clip-path ids come from svg.hashsalt, not a random salt
    assert ids == re.findall(r'id="(p[0-9a-f]{10})"', _chart().svg())


def test_png_export_for_charts_only():
    assert _chart().png().startswith(b"\x89PNG\r\n\x1a\n")
    diagram = CourseFigure(
        svg=Svg(100, 50, title="t", desc="d", key="k").render(), alt="a diagram"
    )
    with pytest.raises(TypeError, match="only matplotlib charts have a PNG"):
        diagram.png()


def test_savefig_writes_svg_html_png(tmp_path):
    fig = _chart()
    for name in ("a.svg", "a.html", "a.png"):
        fig.savefig(tmp_path / name)
        assert (tmp_path / name).stat().st_size > 100
    assert (tmp_path / "a.svg").read_text(encoding="utf-8") == fig.svg()
    with pytest.raises(ValueError, match=r"\.svg, \.html or \.png.*'a\.pdf'"):
        fig.savefig("a.pdf")


def test_new_figures_stay_out_of_pyplot():
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    new_figure(2, 2)
    assert (
        plt.get_fignums() == before
    )  # so the notebook backend never shows it a second time


@pytest.mark.parametrize("alt", ["", None, 3])
def test_alt_text_is_required(alt):
    with pytest.raises(ValueError, match="needs alt text"):
        CourseFigure(new_figure(2, 2), alt=alt)


def test_exactly_one_kind_of_content():
    with pytest.raises(ValueError, match="exactly one of"):
        CourseFigure(alt="x")
    with pytest.raises(ValueError, match="exactly one of"):
        CourseFigure(svg="<svg/>", html="<div/>", alt="x")
    html = CourseFigure(html="<div>step</div>", alt="a step-through")
    assert (
        html.kind == "html"
        and html._repr_html_() == "<div>step</div>"
        and html._repr_svg_() is None
    )
    with pytest.raises(TypeError, match="HTML"):
        html.svg()


def test_numbers_are_written_without_noise():
    assert [num(v) for v in (1.0, 1.25, 1.005, -0.0001, 12.3456)] == [
        "1",
        "1.25",
        "1",
        "0",
        "12.35",
    ]
    assert [fmt(v) for v in (3.0, 0.12345, -0.0001, -1.5)] == [
        "3",
        "0.123",
        "0.000",
        "-1.500",
    ]
    assert (
        plain("h_{t-1} and x_t in recurrent_kernel")
        == "h_t-1 and x_t in recurrent_kernel"
    )


def test_svg_writer_subscripts_and_overflow():
    svg = Svg(200, 60, title="t", desc="d", key="k")
    svg.text(100, 20, "h_{t-1} in recurrent_kernel", size=13)
    svg.text(190, 40, "far too long to fit on the right edge", size=13, anchor="start")
    out = svg.render()
    assert (
        texts(out)[0] == "ht-1 in recurrent_kernel"
    )  # a tspan subscript; the underscore in a word stays
    assert svg.overflows == ["far too long to fit on the right edge"]
    assert text_width("abc", 10) > text_width("ill", 10)
    with pytest.raises(AssertionError, match="below the legible minimum"):
        svg.text(0, 0, "tiny", size=9)


def test_the_contract_catches_small_text_and_low_contrast():
    small = Svg(380, 40, title="t", desc="d", key="k")
    small.raw('<text x="10" y="20" font-size="10">small</text>')
    with pytest.raises(AssertionError, match="below 11"):
        assert_legible(small.render())
    pale = Svg(380, 40, title="t", desc="d", key="k")
    pale.text(10, 20, "pale", size=13, fill="#999999", anchor="start")
    fig = CourseFigure(svg=pale.render(), alt="d")
    with pytest.raises(AssertionError, match="below 4.5:1"):
        assert_svg_figure(fig)
    assert contrast("#000000", "#FFFFFF") == pytest.approx(21)
    assert (
        dark_page("#FFFFFF") == "#DBDBDB"
    )  # the dark pages dim images: white becomes light grey
