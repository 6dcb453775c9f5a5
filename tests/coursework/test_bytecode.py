"""The grader compiles the environment's bytecode once, and never hangs on it: a
grader that finds the compile lock held waits a bounded time and goes on, and a
grader killed while compiling leaves no process holding the lock."""

import fcntl
import os
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

from coursework import sandbox

LOCK = Path(tempfile.gettempdir()) / "coursework-bytecode.lock"


def test_a_held_lock_costs_at_most_the_wait(monkeypatch, tmp_path):
    missing = str(tmp_path / "nothing.py")
    monkeypatch.setattr(sandbox, "_samples", lambda: [missing, missing + "c"])
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import fcntl, time
        with open({str(LOCK)!r}, "a") as f:
            fcntl.flock(f, fcntl.LOCK_EX)
            print("held", flush=True)
            time.sleep(60)
    """)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        start = time.monotonic()
        sandbox.ensure_bytecode(wait=1)
        assert time.monotonic() - start < 10
    finally:
        holder.kill()
        holder.wait()


def test_a_killed_grader_releases_the_lock(tmp_path):
    # a grader that dies while its compiler runs: the lock must be free right after
    code = textwrap.dedent("""
        import sys
        from coursework import sandbox
        sandbox._samples = lambda: ["/nonexistent.py", "/nonexistent.pyc"]
        import subprocess
        real = subprocess.run
        def slow(*args, **kwargs):
            print("compiling", flush=True)
            return real([sys.executable, "-c", "import time; time.sleep(30)"], **{
                k: v for k, v in kwargs.items() if k != "stdout"})
        sandbox.subprocess.run = slow
        sandbox.ensure_bytecode(wait=5)
    """)
    root = Path(__file__).resolve().parents[2]
    grader = subprocess.Popen([sys.executable, "-c", code], cwd=root, stdout=subprocess.PIPE,
                              text=True, start_new_session=True)
    try:
        assert grader.stdout.readline().strip() == "compiling"
        os.kill(grader.pid, signal.SIGKILL)
        grader.wait()
        with open(LOCK, "a") as lock:
            deadline = time.monotonic() + 10
            while True:
                try:
                    fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    assert time.monotonic() < deadline, "the lock outlived the grader"
                    time.sleep(0.2)
            fcntl.flock(lock, fcntl.LOCK_UN)
    finally:
        try:
            os.killpg(grader.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
