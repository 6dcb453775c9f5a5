"""Running a submission's cells in a fresh kernel, in its sandbox, and taking out
the answers at the end.

nbclient runs the code cells in their stored order, each limited to `timeout`
seconds (then the kernel is interrupted and the next cell runs), all of them to
`total_timeout`, errors allowed. A cell that ends the kernel, or ignores the
interrupt for `grace` more seconds, is skipped and the notebook run again from the
top without it (at most MAX_RUNS runs), so the cells before it keep their answers.
After the last cell, one extraction cell per answer saves it (answers.py); a name
whose saving ends or hangs the kernel is given up and the notebook run again for the
others. Only the error name and message of each cell are kept, for the reasons; the
rest of what the notebook prints is dropped unread.
"""

import asyncio
import contextlib
import logging
import math
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from time import monotonic

from . import GradingFailed, Outcome, exercise_of
from .answers import extraction_cell, probe_cell, read_defined, read_status
from .sandbox import end_strays, give
from .submission import code_cells

MAX_RUNS = 4  # the first run, and up to three without a cell that ended or hung it
KERNEL_POLL = 0.1  # seconds between looks at the kernel process while a cell runs
MAX_ERROR_TEXT = 2000  # characters kept of a cell's error message

_LOG = logging.getLogger("coursework.grade")
_LOG.addHandler(logging.NullHandler())
_LOG.propagate = False

_SETUP = """\
import hashlib as _cw_hashlib, importlib.util as _cw_util, sys as _cw_sys
for _cw_path in {paths!r}:
    _cw_hash = _cw_hashlib.sha1(_cw_path.encode()).hexdigest()[:10]
    _cw_name = "_coursework_checks_" + _cw_hash
    if _cw_name not in _cw_sys.modules:
        _cw_spec = _cw_util.spec_from_file_location(_cw_name, _cw_path)
        _cw_sys.modules[_cw_name] = _cw_util.module_from_spec(_cw_spec)
        _cw_spec.loader.exec_module(_cw_sys.modules[_cw_name])
"""


@dataclass
class Run:
    """One run of the notebook in one kernel."""

    outcomes: dict = field(default_factory=dict)  # code-cell position -> Outcome
    saved: dict = field(default_factory=dict)  # answer name -> status (answers.py)
    defined: list = field(default_factory=list)  # names NameErrors mention, defined
    folder: str = ""  # where this run's answers are
    restart: tuple | None = None  # (kind, what, Outcome): run again without it
    started: bool = False
    finished: bool = False  # every cell run and every answer saved


def _error_of(cell):
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            return out.get("ename", ""), out.get("evalue", "")
    return None


async def _execute(client, cell, index, limit, grace):
    """How running one cell went: interrupted after `limit` s, its kernel killed
    `grace` s later."""
    from jupyter_core.utils import ensure_async
    from nbclient.exceptions import DeadKernelError

    client.timeout = max(1, math.ceil(limit))
    start = monotonic()
    try:
        await asyncio.wait_for(client.async_execute_cell(cell, index),
                               client.timeout + grace)
    except (DeadKernelError, asyncio.TimeoutError):
        alive = await ensure_async(client.km.is_alive())
        return Outcome("hung" if alive else "died")
    except Exception as exc:  # anything else from the connection: the kernel is lost
        return Outcome("died", type(exc).__name__, str(exc)[:MAX_ERROR_TEXT])
    error = _error_of(cell)
    if error is None:
        return Outcome("ok")
    ename, evalue = error
    if ename == "KeyboardInterrupt" and monotonic() - start >= client.timeout - 0.5:
        return Outcome("timeout", ename, evalue)
    return Outcome("error", ename, evalue)


def _client_class():
    """nbclient's NotebookClient, keeping only what the grader reads (the error of a
    cell) and looking at the kernel process every KERNEL_POLL s instead of every
    second, so that a cell that ends the kernel is noticed at once."""
    from jupyter_core.utils import ensure_async
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionComplete, DeadKernelError

    class Client(NotebookClient):
        @contextlib.asynccontextmanager
        async def async_setup_kernel(self, **kwargs):
            # nbclient's own also catches SIGINT and SIGTERM to shut the kernel down
            # and carries on, so that Ctrl-C looked like a kernel that died and the
            # notebook was run again; and it registers an atexit hook. Here the
            # grader's handlers stay, and the kernel is shut down on the way out.
            if self.km is None:
                self.km = self.create_kernel_manager()
            try:
                if not self.km.has_kernel:
                    await self.async_start_new_kernel(**kwargs)
                    await self._sockets_bound()
                if self.kc is None:
                    await self.async_start_new_kernel_client()
                yield
            finally:
                await self._async_cleanup_kernel()

        async def _sockets_bound(self):
            # jupyter_client asks a new kernel for its info once a second; a request
            # sent before the kernel listens is lost, and the next one waits a
            # second. Asking once the kernel's socket files exist saves that second.
            info = self.km.get_connection_info()
            if info.get("transport") != "ipc":
                return
            paths = [f"{info['ip']}-{info[k]}" for k in
                     ("shell_port", "iopub_port", "stdin_port", "control_port",
                      "hb_port")]
            end = monotonic() + self.startup_timeout
            while monotonic() < end and not all(map(os.path.exists, paths)):
                if not await ensure_async(self.km.is_alive()):
                    return
                await asyncio.sleep(0.02)

        async def _async_poll_kernel_alive(self):  # nbclient 0.11's loop, 0.1 s
            while True:
                await asyncio.sleep(KERNEL_POLL)
                if self.kc is None:  # the kernel was shut down meanwhile
                    return
                try:
                    await self._async_check_alive()
                except DeadKernelError:
                    assert self.task_poll_for_reply is not None
                    self.task_poll_for_reply.cancel()
                    return

        async def _check_raise_for_error(self, cell, cell_index, exec_reply):
            # Errors are allowed. A cell whose error message could not be sent (its
            # text has an unpaired surrogate, say) still says so in its reply.
            content = (exec_reply or {}).get("content") or {}
            if content.get("status") == "error" and not _error_of(cell):
                cell.outputs.append({
                    "output_type": "error",
                    "ename": str(content.get("ename", "Error"))[:200],
                    "evalue": str(content.get("evalue", ""))[:MAX_ERROR_TEXT],
                })

        def process_message(self, msg, cell, cell_index):
            # Printed text, figures, widgets: dropped unread (a thread printing fast
            # costs nothing). Errors: their name and message only.
            kind = msg.get("msg_type")
            content = msg.get("content") or {}
            if kind == "status" and content.get("execution_state") == "idle":
                raise CellExecutionComplete()
            if kind == "error" and not _error_of(cell):
                cell.outputs.append({
                    "output_type": "error",
                    "ename": str(content.get("ename", ""))[:200],
                    "evalue": str(content.get("evalue", ""))[:MAX_ERROR_TEXT],
                })
            return None

    return Client


def _manager_class(sandbox):
    """jupyter_client's kernel manager, starting the kernel sealed in `sandbox`.

    The kernel is interrupted by a message on its control channel (ipykernel then
    signals itself), since a signal from outside cannot reach into the sandbox."""
    from jupyter_client import AsyncKernelManager
    from jupyter_client.kernelspec import KernelSpec

    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    spec = KernelSpec(argv=sandbox.command(argv), display_name="submission",
                      language="python", interrupt_mode="message", env={},
                      metadata={})

    class SandboxedKernelManager(AsyncKernelManager):
        @property
        def kernel_spec(self):
            return spec

        def write_connection_file(self, **kwargs):
            super().write_connection_file(**kwargs)
            if sandbox.uid is not None:  # the kernel's user must read it
                os.chown(self.connection_file, sandbox.uid, sandbox.uid)

    return SandboxedKernelManager


def _kernel_config(folder, attempt=1):
    """The kernel talks to the grader over Unix sockets in `folder`, not over TCP
    ports. jupyter_client picks free TCP ports by opening and closing them, and the
    kernel opens them again a moment later; when several gradings start kernels at
    once, another process can take a port in between, the kernel exits at start, and
    the grader's first message to it can block for good. Socket files have no such
    race, and the sandbox (which has no network) shares the folder. (TCP on systems
    without Unix sockets.)"""
    from traitlets.config import Config

    if os.name != "posix":
        return Config()
    connection_file = os.path.join(folder, f"kernel-{attempt}.json")
    return Config({"KernelManager": {"transport": "ipc",
                                     "connection_file": connection_file,
                                     "ip": os.path.join(folder, f"k{attempt}")}})


async def _run(sandbox, code, solutions, names, options, skip, budget, attempt):
    """One fresh kernel: the submission's code cells in order (minus the cells in
    `skip`), then a cell per answer name (minus the names in `skip`)."""
    import nbformat

    folder = sandbox.exchange / f"answers-{attempt}"
    folder.mkdir()
    if sandbox.uid is not None:
        give(folder, sandbox.uid)
    # exit() or quit() in a notebook stops ipykernel 0.1 s later, in whichever cell
    # runs then (often one of the grader's): make them do nothing.
    setup = [nbformat.v4.new_code_cell("get_ipython().ask_exit = lambda: None")]
    if options.checks:
        paths = [str(p) for p in options.checks]
        setup.append(nbformat.v4.new_code_cell(_SETUP.format(paths=paths)))
    cells = setup + [nbformat.v4.new_code_cell(src) for _, src in code]
    nb = nbformat.v4.new_notebook(cells=cells)
    client = _client_class()(
        nb, timeout=options.timeout, interrupt_on_timeout=True, allow_errors=True,
        startup_timeout=options.startup_timeout, record_timing=False,
        shutdown_kernel="immediate", kernel_manager_class=_manager_class(sandbox),
        resources={"metadata": {"path": str(sandbox.work)}}, log=_LOG,
        config=_kernel_config(str(sandbox.exchange), attempt))
    run = Run(folder=str(folder))
    try:
        async with client.async_setup_kernel(stdout=subprocess.DEVNULL,
                                             stderr=subprocess.DEVNULL):
            run.started = True
            if budget.get("deadline") is None:  # the cells' time counts from here
                budget["deadline"] = monotonic() + options.total_timeout
            deadline = budget["deadline"]
            index = 0
            for cell in setup:
                outcome = await _execute(client, cell, index, options.timeout,
                                         options.grace)
                if outcome.status != "ok":
                    raise GradingFailed("the kernel did not run the grader's set-up "
                                        f"cell ({outcome.status} {outcome.ename})")
                index += 1
            for position, _ in code:
                cell = nb.cells[index]
                index += 1
                if ("cell", position) in skip:
                    run.outcomes[position] = skip[("cell", position)]
                    continue
                remaining = deadline - monotonic()
                if remaining <= 0:
                    run.outcomes[position] = Outcome("not run")
                    continue
                limit = min(options.timeout, remaining)
                outcome = await _execute(client, cell, index - 1, limit, options.grace)
                if outcome.status == "timeout" and remaining < options.timeout:
                    outcome.status = "deadline"
                run.outcomes[position] = outcome
                if outcome.status in ("hung", "died"):
                    run.restart = ("cell", position, outcome)
                    return run
            # The names a solution cell's NameError mentions: defined by now means
            # the cells were out of order.
            probes = []
            for position, outcome in run.outcomes.items():
                match = re.search(r"name '(\w+)' is not defined", outcome.evalue)
                if position in solutions and outcome.ename == "NameError" and match:
                    probes.append(match.group(1))
            extra = [probe_cell(folder, probes)] if probes else []
            for k, name in enumerate(names):
                if ("answer", name) in skip:
                    continue
                extra.append((k, name))
            for item in extra:
                source = item if isinstance(item, str) else \
                    extraction_cell(folder, item[0], item[1])
                cell = nbformat.v4.new_code_cell(source)
                nb.cells.append(cell)
                outcome = await _execute(client, cell, index, options.timeout,
                                         options.grace)
                index += 1
                if isinstance(item, str):
                    continue
                k, name = item
                if outcome.status in ("hung", "died"):
                    run.restart = ("answer", name, outcome)
                    return run
                status = read_status(folder, k)
                if outcome.status == "timeout" or (
                        status and status.get("error", "").startswith("KeyboardInt")):
                    why = f"saving it took longer than {options.timeout} s"
                    status = {"error": why}
                elif status is None:
                    why = outcome.ename or "it saved nothing"
                    status = {"error": f"the grader's cell could not save it ({why})"}
                run.saved[name] = status
            run.defined = read_defined(folder, probes)
            run.finished = True
    except GradingFailed:
        raise
    except Exception as exc:
        if not run.started:
            first = (str(exc).strip().splitlines() or [""])[0][:200]
            raise GradingFailed(f"the python3 kernel did not start: "
                                f"{type(exc).__name__}: {first}") from None
        if run.restart is None and not run.finished:  # lost the kernel between cells
            run.restart = ("kernel", None, Outcome("died", type(exc).__name__, ""))
    return run


def _run_quietly(coro):
    """asyncio.run, without its log of what the tasks left behind raised when the run
    is cut short (Ctrl-C while a cell runs: the kernel is gone, a task says so)."""
    loop = asyncio.new_event_loop()
    loop.set_exception_handler(lambda loop, context: None)
    try:
        return loop.run_until_complete(coro)
    finally:
        try:
            tasks = [t for t in asyncio.all_tasks(loop) if not t.done()]
            for task in tasks:
                task.cancel()
            if tasks:
                loop.run_until_complete(asyncio.wait(tasks, timeout=5))
            loop.run_until_complete(loop.shutdown_asyncgens())
        finally:
            loop.close()


def run_submission(submission, names, sandbox, options):
    """Run the submission (again, without a cell that ended or hung the kernel) and
    save the answers `names`. Returns the last Run and notes on the re-runs."""
    code = code_cells(submission)
    solutions = {pos: exercise_of(cell)
                 for pos, cell in enumerate(submission.cells, start=1)
                 if cell["cell_type"] == "code" and "solution" in _tags(cell)}
    skip, notes, budget = {}, [], {}
    for attempt in range(1, MAX_RUNS + 1):
        try:
            run = _run_quietly(_run(sandbox, code, solutions, names, options, skip,
                                    budget, attempt))
        finally:
            end_strays()  # without bwrap: whatever the notebook left behind
        if run.restart is None:
            break
        kind, what, outcome = run.restart
        if kind == "cell":
            skip[("cell", what)] = outcome
            verb = ("ended the kernel" if outcome.status == "died"
                    else f"ignored the interrupt after {options.timeout} s")
            notes.append(f"cell {what} {verb}; the notebook was run again without it")
        elif kind == "answer":
            skip[("answer", what)] = outcome
            verb = "ended" if outcome.status == "died" else "hung"
            notes.append(f"saving the answer {what} {verb} the kernel; the notebook "
                         "was run again to save the others")
        else:
            notes.append(f"the kernel stopped unexpectedly ({outcome.ename}); the "
                         "notebook was run again")
        if attempt == MAX_RUNS:
            notes.append(f"gave up after {MAX_RUNS} runs")
        elif monotonic() >= budget.get("deadline", float("inf")):
            notes.append(f"no time left to run it again (total limit "
                         f"{options.total_timeout} s)")
            break
    if run.restart is not None:  # the last run stopped early: the rest did not run
        for pos, _ in code:
            run.outcomes.setdefault(pos, Outcome("not run"))
    for (kind, name), outcome in skip.items():
        if kind == "answer":
            verb = "ended" if outcome.status == "died" else "hung"
            run.saved[name] = {"error": f"saving it {verb} the kernel"}
    return run, notes


def _tags(cell):
    tags = cell["metadata"].get("tags", [])
    return tags if isinstance(tags, list) else []
