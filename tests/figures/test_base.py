"""CourseFigure and new_figure: the contract every figure helper builds on."""

import pytest

from lstm_utils.figures import CourseFigure, new_figure
from conftest import assert_course_figure


def test_a_figure_shows_as_png_and_reads_as_its_alt_text():
    fig = new_figure(3, 2)
    fig.add_subplot().plot([0, 1], [1, 0])
    shown = CourseFigure(fig, alt="a line falling from 1 to 0")
    assert_course_figure(shown)
    assert repr(shown) == "Figure: a line falling from 1 to 0"


def test_the_png_bytes_do_not_depend_on_the_run():
    # A re-run of a notebook draws a fresh figure and renders it once: that first render must be the same bytes.
    def first_render():
        fig = new_figure(3, 2)
        fig.add_subplot().plot([0, 1], [0, 1])
        return CourseFigure(fig, alt="a rising line").png()

    assert first_render() == first_render()
    assert b"Software" not in first_render()     # no matplotlib version stamped into the file


def test_new_figures_stay_out_of_pyplot():
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    new_figure(2, 2)
    assert plt.get_fignums() == before           # so the notebook backend never shows it a second time


@pytest.mark.parametrize("alt", ["", None, 3])
def test_alt_text_is_required(alt):
    with pytest.raises(ValueError, match="needs alt text"):
        CourseFigure(new_figure(2, 2), alt=alt)
