"""Time limits and lost kernels: an endless loop is interrupted, a function that never returns costs only its
exercise, a cell that ends the kernel and a loop that ignores the interrupt are skipped (the notebook run again
without them), and the whole notebook has a bound.

Limits are shortened to keep these quick: the toy chapter's other cells take under 0.15 s, and under 0.5 s even with
eight gradings at once on two cores. The module grades its submissions once, at the same time, and each test reads
its own."""

import os

import pytest

from coursework_toy import grade_all, rows, toy_chapter

# On a machine busy with other work a kernel answers an interrupt, and starts, later: the limits grow with the load
# (1 on an idle machine, up to 6 when six processes wait for each core), so the tests check the grader, not the load.
SCALE = max(1, min(6, round(os.getloadavg()[0] / (os.cpu_count() or 1))))
CELL, GRACE, CELL_T, TOTAL_T = 2 * SCALE, SCALE, 4 * SCALE, 5 * SCALE
FAST = ("--timeout", str(CELL), "--grace", str(GRACE))   # 2 s per cell, killed 1 s after the interrupt (× SCALE)

ENDLESS = "while True:\n    pass"
ASLEEP = "import time\nwhile True:\n    time.sleep(0.1)"   # never returns either, without keeping a core busy
STUBBORN = "import time\nwhile True:\n    try:\n        time.sleep(0.1)\n    except KeyboardInterrupt:\n        pass"

# (All times below × SCALE.) The total limit counts from the kernel's start. 98.1 sleeps 1 s, ends before the 5 s as long as the
# kernel starts and runs the cells above it in under 4 s (under 1 s normally, 2 s with the machine very busy); after
# it less than the 4 s per cell are left, so 98.2, which would sleep far longer, is stopped by the total limit, not by
# its own, and 98.3 never runs.
TOTAL = ("--timeout", str(CELL_T), "--grace", str(GRACE), "--total-timeout", str(TOTAL_T))
SLOW = {"98.1": f"import time\ntime.sleep({SCALE})\nn_params = 72", "98.2": "import time\ntime.sleep(600)"}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    results = grade_all(tmp_path_factory.mktemp("limits"), {
        "endless": (toy_chapter({"98.2": ENDLESS}), FAST, "98_toy.ipynb"),
        # a function that never returns: its check cell and its grading both time out
        "never_returns": (toy_chapter({"98.3": ASLEEP}), FAST, "98_toy.ipynb"),
        # 98.1: ends the kernel; 98.2: swallows the interrupt. Three runs: the second without cell 8, the third
        # without cells 8 and 13.
        "lost_kernels": (toy_chapter({"98.1": "import os\nos._exit(1)", "98.2": STUBBORN}), FAST, "98_toy.ipynb"),
        "slow": (toy_chapter(SLOW), TOTAL, "98_toy.ipynb"),
    })
    for result in results.values():
        assert result.code == 0, result.err
        assert result.err == "" and "Traceback" not in result.out      # nothing on stderr, not even a warning
        assert result.out.rstrip().splitlines()[-1].startswith("score: ")
    return results


def test_endless_loop_is_interrupted_after_the_cell_limit(graded):
    out = graded["endless"].out
    assert rows(out)["98.2"] == (0, f"answer not defined (kernel_f): the solution cell timed out after {CELL} s")
    assert out.rstrip().endswith("score: 2/3")
    assert graded["endless"].seconds < 30 * SCALE


def test_function_that_never_returns_times_out_in_its_check(graded):
    out = graded["never_returns"].out
    assert rows(out)["98.3"] == (0, f"the check timed out after {CELL} s: your code did not return")
    assert f"cell 20 (check of 98.3) timed out after {CELL} s" in out          # the learner's own check cell, too
    assert out.rstrip().endswith("score: 2/3")


def test_cell_that_ends_the_kernel_is_skipped_and_the_rest_graded(graded):
    out = graded["lost_kernels"].out
    assert rows(out)["98.1"] == (0, "answer not defined (n_params): the solution cell ended the kernel process; "
                                    "it was skipped and the notebook run again without it")
    assert "cell 8 ended the kernel; the notebook was run again without it" in out
    assert rows(out)["98.3"] == (1, "correct")
    assert out.rstrip().endswith("score: 1/3")


def test_loop_that_swallows_the_interrupt_is_killed_and_skipped(graded):
    out = graded["lost_kernels"].out
    assert rows(out)["98.2"] == (0, f"answer not defined (kernel_f): the solution cell ran past {CELL} s and ignored the "
                                    "interrupt; it was skipped and the notebook run again without it")
    assert f"cell 13 ignored the interrupt after {CELL} s; the notebook was run again without it" in out
    assert graded["lost_kernels"].seconds < 40 * SCALE


def test_total_time_limit(graded):
    out = graded["slow"].out
    assert rows(out)["98.1"] == (1, "correct")
    assert rows(out)["98.2"] == (0, "answer not defined (kernel_f): the solution cell was stopped: the notebook "
                                    f"reached its total time limit of {TOTAL_T} s")
    assert rows(out)["98.3"] == (0, "answer not defined (my_sigmoid): the solution cell did not run (the total "
                                    f"time limit of {TOTAL_T} s was reached, or the kernel stopped)")
    assert out.rstrip().endswith("score: 1/3")
    assert graded["slow"].seconds < 30 * SCALE
