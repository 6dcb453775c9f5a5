"""Run chapters the way a learner does, in a folder of their own: copies of the notebooks, each top to bottom in a
fresh kernel of *this* Python, every cell and every assert, and a summary line per chapter.

    python tools/run_chapters.py chapters/*.ipynb [--backend jax] [--out DIR] [--jobs 2]

Used to check the course on stacks other than the pinned one (tests/stacks: Colab's mid-2025 stack, the Binder
image), where `lstm_utils` is installed as a package and the notebooks sit outside the repository, so nothing can
come from the working tree by accident. Prints, per chapter, "ok" or the failing cell and its error, the time, and
the largest float32 and float64 residue the chapter printed. Exit status 1 if any chapter failed.
"""

import argparse
import os
import re
import shutil
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

RESIDUE = re.compile(r"(float64|float32)?[^\n]*max \|Δ\| = ([0-9.e+-]+)")


def residues(nb):
    """The largest printed max |Δ| of the chapter, split by whether its line names float64."""
    worst = {"float32": 0.0, "float64": 0.0}
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            for line in out.get("text", "").splitlines():
                found = RESIDUE.search(line)
                if found:
                    kind = "float64" if "float64" in line else "float32"
                    worst[kind] = max(worst[kind], float(found.group(2)))
    return worst


def missing_requirements(nb):
    """The modules a chapter needs beyond the course's stack (its metadata
    ``lstm_course.requires``, e.g. torch) that this Python cannot import."""
    import importlib.util

    needs = nb.metadata.get("lstm_course", {}).get("requires", [])
    return [name for name in needs if importlib.util.find_spec(name) is None]


def run_one(path, folder, backend, timeout):
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    nb = nbformat.read(path, as_version=4)
    missing = missing_requirements(nb)
    if missing:
        return {"name": path.name, "error": None, "skipped": missing, "seconds": 0.0,
                "float32": 0.0, "float64": 0.0}
    env = dict(os.environ)
    if backend:
        env["KERAS_BACKEND"] = backend
    env.pop("JAX_ENABLE_X64", None)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(folder)}})
    start = time.monotonic()
    try:
        client.execute(env=env)
        error = None
    except CellExecutionError as exc:
        lines = [line for line in str(exc).splitlines() if line.strip()]
        error = lines[-1][:300] if lines else "error"
    nbformat.write(nb, folder / path.name)
    return {"name": path.name, "error": error, "seconds": time.monotonic() - start, **residues(nb)}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--backend", help="KERAS_BACKEND for the kernels (default: as set, else tensorflow)")
    parser.add_argument("--out", type=Path, help="keep the executed copies here (default: a temporary folder)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=int, default=600, help="seconds per cell")
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="chapters-")) if args.out is None else args.out
    folder.mkdir(parents=True, exist_ok=True)
    try:
        with ThreadPoolExecutor(max_workers=args.jobs) as pool:
            results = list(pool.map(lambda p: run_one(p.resolve(), folder, args.backend, args.timeout),
                                    args.notebooks))
    finally:
        if args.out is None:
            shutil.rmtree(folder, ignore_errors=True)
    from importlib.metadata import version

    print(f"python {sys.version.split()[0]}, keras {version('keras')}, "
          f"backend {args.backend or os.environ.get('KERAS_BACKEND', 'tensorflow')}")
    for r in results:
        status = "ok" if r["error"] is None else f"FAILED: {r['error']}"
        if r.get("skipped"):
            status = f"NOT CHECKED: needs {', '.join(r['skipped'])}, not installed here"
        print(f"{r['name']:<34} {r['seconds']:6.1f} s  float32 max |Δ| {r['float32']:.1e}  "
              f"float64 max |Δ| {r['float64']:.1e}  {status}")
    return 0 if all(r["error"] is None for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
