"""Time limits: an endless loop is interrupted, a loop that ignores the interrupt is killed, a function that never
returns costs only its exercise, and the whole notebook has a bound. Limits are shortened to keep these quick."""

import time

from coursework_toy import grade, rows, toy_chapter

FAST = ("--timeout", "3", "--grace", "2")   # 3 s per cell; an interrupted cell that goes on is killed 2 s later


def graded(tmp_path, nb, *options):
    start = time.monotonic()
    code, out, err = grade(tmp_path, nb, *FAST, *options)
    assert code == 0, err
    assert err == "" and "Traceback" not in out      # nothing on stderr, not even a warning
    assert out.rstrip().splitlines()[-1].startswith("score: ")
    return out, time.monotonic() - start


def test_endless_loop_is_interrupted_after_the_cell_limit(tmp_path):
    out, seconds = graded(tmp_path, toy_chapter({"98.2": "while True:\n    pass"}))
    assert rows(out)["98.2"] == (0, "answer not defined (kernel_f): the solution cell timed out after 3 s")
    assert out.rstrip().endswith("score: 2/3")
    assert seconds < 30


def test_loop_that_swallows_the_interrupt_is_killed_and_skipped(tmp_path):
    stubborn = "import time\nwhile True:\n    try:\n        time.sleep(0.1)\n    except KeyboardInterrupt:\n        pass"
    out, seconds = graded(tmp_path, toy_chapter({"98.2": stubborn}))
    assert rows(out)["98.2"] == (0, "answer not defined (kernel_f): the solution cell ran past 3 s and ignored the "
                                    "interrupt; it was skipped and the notebook run again without it")
    assert "cell 13 ignored the interrupt after 3 s; the notebook was run again without it" in out
    assert out.rstrip().endswith("score: 2/3")
    assert seconds < 40


def test_function_that_never_returns_times_out_in_its_check(tmp_path):
    out, _ = graded(tmp_path, toy_chapter({"98.3": "while True:\n    pass"}))
    assert rows(out)["98.3"] == (0, "the check timed out after 3 s: your code did not return")
    assert "cell 20 (check of 98.3) timed out after 3 s" in out          # the learner's own check cell, too
    assert out.rstrip().endswith("score: 2/3")


def test_total_time_limit(tmp_path):
    slow = {"98.1": "import time\ntime.sleep(2.5)\nn_params = 72", "98.2": "import time\ntime.sleep(2.5)"}
    out, seconds = graded(tmp_path, toy_chapter(slow), "--total-timeout", "4")
    assert rows(out)["98.1"] == (1, "correct")
    assert rows(out)["98.2"] == (0, "answer not defined (kernel_f): the solution cell was stopped: the notebook "
                                    "reached its total time limit of 4 s")
    assert rows(out)["98.3"] == (0, "answer not defined (my_sigmoid): the solution cell did not run (the total "
                                    "time limit of 4 s was reached, or the kernel stopped)")
    assert out.rstrip().endswith("score: 1/3")
    assert seconds < 30
