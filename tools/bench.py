"""make bench: how long the learner's and instructor's loop takes, against what the machine allows.

Measured in one run and printed as one table:
  * the test step of `make test` (its pytest command, given by the Makefile), and how many Jupyter kernels it starts;
  * its floor: the same number of fresh kernels on the same Keras backends (the chapters run on TensorFlow, JAX and
    PyTorch), as many at a time as the test step has workers, each doing only what every chapter must do, importing
    Keras and building one LSTM; and the ratio of the two;
  * `make book` cold (empty output folder) and warm (nothing changed);
  * each chapter's execution time in a fresh kernel;
  * grading a class: `make grade-all JOBS=2` on 20 copies of the solved chapter 03,
    against executing the same 20 notebooks with nbconvert, 2 at a time; their
    ratio, and the time for a class of 200 at that pace.
Kernels are counted with a temporary IPython profile whose startup file writes one line per kernel start, naming
its Keras backend. (The test step also starts Python processes that are not kernels: the chapters' backend tables
and tests/backend_sweep.py, one per backend. They are part of the work, not of the floor.)
"""

import argparse
import json
import os
import shlex
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
FLOOR_CODE = ("import os\nos.environ['TF_CPP_MIN_LOG_LEVEL'] = '3'\nimport numpy as np, keras\n"
              "keras.layers.LSTM(4)(np.zeros((1, 3, 2), 'float32'))")


def run(cmd, env=None):
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def test_step(pytest_args, workdir):
    """Time the test step, counting kernel starts through an IPython startup file."""
    ipython_dir = workdir / "ipython"
    startup = ipython_dir / "profile_default" / "startup"
    startup.mkdir(parents=True)
    log = workdir / "kernels.log"
    (startup / "00-count.py").write_text(
        "import os\n"
        f"open({str(log)!r}, 'a').write(os.environ.get('KERAS_BACKEND', 'tensorflow') + '\\n')\n")
    env = {**os.environ, "IPYTHONDIR": str(ipython_dir)}
    seconds = run([sys.executable, "-m", "pytest", *shlex.split(pytest_args)], env=env)
    return seconds, log.read_text().split() if log.exists() else []


def one_floor_kernel(backend):
    from jupyter_client.manager import start_new_kernel

    env = {**os.environ, "KERAS_BACKEND": backend}
    manager, client = start_new_kernel(kernel_name="python3", stderr=subprocess.DEVNULL, env=env)
    try:
        reply = client.execute_interactive(FLOOR_CODE, timeout=300, output_hook=lambda msg: None)
        if reply["content"]["status"] != "ok":
            raise RuntimeError(f"floor kernel failed: {reply['content']}")
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def floor(backends, workers=2):
    """The same kernels, one per backend entry, `workers` at a time."""
    start = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(one_floor_kernel, backends))
    return time.perf_counter() - start


def book(workdir):
    out = workdir / "book"
    cmd = [sys.executable, "-m", "tools.book", "build", ".", "-W", "-n", "--keep-going", "--path-output", str(out)]
    return run(cmd), run(cmd)


def notebooks(workdir):
    times = {}
    for nb in sorted((ROOT / "chapters").glob("[0-9][0-9]_*.ipynb")):
        times[nb.name] = run([str(BIN / "jupyter"), "nbconvert", "--to", "notebook", "--execute",
                              "--output-dir", str(workdir / "executed"), str(nb)])
    return times


GRADED_CHAPTER = ROOT / "chapters" / "03_many_units.ipynb"


def execute_plainly(paths, out, jobs):
    """Seconds to execute `paths` with nbconvert, `jobs` at a time."""
    def one(path):
        run([str(BIN / "jupyter"), "nbconvert", "--to", "notebook", "--execute",
             "--output-dir", str(out), str(path)])

    start = time.perf_counter()
    with ThreadPoolExecutor(jobs) as pool:
        list(pool.map(one, paths))
    return time.perf_counter() - start


BARE_RUN = """\
import sys, nbformat
from nbclient import NotebookClient
nb = nbformat.read(sys.argv[1], as_version=4)
NotebookClient(nb, timeout=600, resources={"metadata": {"path": sys.argv[2]}}).execute()
"""


def execute_bare(paths, jobs):
    """Seconds to run `paths` with nbclient alone (no output written), `jobs` at a
    time: the least that executing a notebook costs."""
    def one(path):
        run([sys.executable, "-c", BARE_RUN, str(path), str(GRADED_CHAPTER.parent)])

    start = time.perf_counter()
    with ThreadPoolExecutor(jobs) as pool:
        list(pool.map(one, paths))
    return time.perf_counter() - start


def grade_all(folder, out, jobs):
    """Seconds to grade every notebook in `folder` with grade-all; whether sealed."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "coursework.grade_all", str(folder),
                           "--jobs", str(jobs), "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    rows = out.read_text().splitlines()[1:] if done.returncode == 0 else []
    expected = len(list(folder.glob("*.ipynb")))
    full = all(row.split(",")[-3:-1] == ["3", "3"] for row in rows)
    if len(rows) != expected or not full:
        raise RuntimeError(f"grade-all did not give every copy 3/3: "
                           f"{done.stderr[-2000:]}")
    return seconds, "WITHOUT ISOLATION" not in done.stderr


def grading(workdir, copies=20, jobs=2, rounds=4):
    """(grade-all seconds, nbconvert seconds, bare nbclient seconds, sealed) for
    `copies` solved chapter-03 submissions. On a machine others share, its speed
    drifts within minutes: the copies go in `rounds` blocks, each executed both ways
    and graded back to back (in turn, which first), and the blocks' times are added
    up."""
    graded = plain = bare = 0.0
    sealed = True
    for r in range(rounds):
        folder = workdir / f"class{r}"
        folder.mkdir()
        paths = [folder / f"03_student{r}_{k:03d}.ipynb"
                 for k in range(copies // rounds)]
        for path in paths:
            path.write_bytes(GRADED_CHAPTER.read_bytes())
        out = workdir / f"grades{r}.csv"
        steps = [lambda: grade_all(folder, out, jobs),
                 lambda: execute_plainly(paths, workdir / "plain", jobs),
                 lambda: execute_bare(paths, jobs)]
        order = [(r + k) % 3 for k in range(3)]
        found = {k: steps[k]() for k in order}
        (g, ok), p, b = found[0], found[1], found[2]
        graded, plain, bare, sealed = graded + g, plain + p, bare + b, sealed and ok
    return graded, plain, bare, sealed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pytest-args", required=True, help="the test step's pytest arguments, from the Makefile")
    parser.add_argument("--workers", type=int, default=2, help="the test step's pytest workers; the floor runs as many kernels at a time")
    parser.add_argument("--json", help="also write the numbers to this file")
    parser.add_argument("--only-grading", action="store_true",
                        help="measure only the grading of a class")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        graded, plain, bare, sealed = grading(work)
        how = "sealed with bubblewrap" if sealed else "WITHOUT ISOLATION (no bwrap)"
        grading_rows = [
            ("grade-all, 20 solved chapter-03 submissions, JOBS=2",
             f"{graded:6.1f} s", how),
            ("the same 20 notebooks, nbconvert --execute, 2 at a time",
             f"{plain:6.1f} s", ""),
            ("ratio grade-all / plain execution", f"{graded / plain:6.2f}",
             "target <= 1.25"),
            ("the same 20, nbclient alone (no output written), 2 at a time",
             f"{bare:6.1f} s", ""),
            ("ratio grade-all / nbclient alone", f"{graded / bare:6.2f}", ""),
            ("a class of 200 at that pace", f"{graded * 10 / 60:6.1f} min", "")]
        grading_numbers = {"grade_all_20_s": graded, "plain_20_s": plain,
                           "grading_ratio": graded / plain, "bare_20_s": bare,
                           "grading_ratio_bare": graded / bare,
                           "class_of_200_min": graded * 10 / 60, "sealed": sealed}
        if args.only_grading:
            _print(grading_rows)
            if args.json:
                Path(args.json).write_text(json.dumps(grading_numbers, indent=2))
            return
        test_seconds, backends = test_step(args.pytest_args, work)
        kernels = len(backends)
        mix = ", ".join(f"{backends.count(b)} {b}" for b in sorted(set(backends)))
        floor_seconds = floor(backends, args.workers)
        cold, warm = book(work)
        per_notebook = notebooks(work)
    rows = [("make test, test step (pytest)", f"{test_seconds:6.1f} s", f"{kernels} kernels started ({mix})"),
            (f"floor: that many kernels, {args.workers} at a time, import Keras + build one LSTM", f"{floor_seconds:6.1f} s", ""),
            ("ratio test step / floor", f"{test_seconds / floor_seconds:6.2f}", "target <= 1.5"),
            ("make book, cold", f"{cold:6.1f} s", ""),
            ("make book, warm", f"{warm:6.1f} s", "target <= 15 s")]
    rows += [(f"  {name}", f"{sec:6.1f} s", "fresh kernel, nbconvert --execute") for name, sec in per_notebook.items()]
    _print(rows + grading_rows)
    if args.json:
        Path(args.json).write_text(json.dumps({"test_step_s": test_seconds, "kernels": kernels, "floor_s": floor_seconds,
                                               "ratio": test_seconds / floor_seconds, "book_cold_s": cold,
                                               "book_warm_s": warm, "notebooks_s": per_notebook,
                                               **grading_numbers}, indent=2))


def _print(rows):
    width = max(len(r[0]) for r in rows)
    print(f"{'measure'.ljust(width)}  {'value':>8}  note")
    for name, value, note in rows:
        print(f"{name.ljust(width)}  {value:>8}  {note}")


if __name__ == "__main__":
    main()
