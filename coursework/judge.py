"""Checking the answers: the course's checks run in the grader's own process.

The grader's process never runs a line of the student's code, so nothing the
notebook did (replacing `run_check`, patching `json`, wrapping stdout, shadowing
builtins, killing its kernel) can change a verdict. The checks are the instructor's
lstm_utils, imported by the grader before the submission ran. They receive the
answers as plain data decoded from the answer host (answers.py): numbers, arrays,
strings, containers, and for each of the student's functions a `RemoteFunction`. A
check calls it like the function itself; the call travels, as plain data, to the
answer host in the sandbox, which runs the student's function there and sends back
the result (or the exception, raised here under the same name).

Each exercise has `Options.timeout` seconds for all the calls its check makes: a
function that never returns costs its exercise only; the host is then replaced by a
fresh one for the next exercise. A function that ends its process does the same.
"""

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass

from lstm_utils.checks import answer_names, run_check

from .answers import Decoder, Encoder, WireError, rebuild_error, receive, send
from .sandbox import ANSWERS_SCRIPT


class CheckTimeout(BaseException):
    """The exercise's time is up while the student's code runs (not an Exception:
    a check's `except Exception` must not swallow it)."""


class HostLost(BaseException):
    """The answer host ended (the student's code ended it, or broke the protocol)."""


@dataclass
class Verdict:
    passed: bool = False
    message: str = ""  # the check's message: "correct" or a hint
    failure: str | None = None  # "timeout", "died", "not run": no verdict
    detail: str = ""


class RemoteFunction:
    """Stands in, in the grader, for a function of the student's in the answer host."""

    def __init__(self, host, handle, name):
        self._host = host
        self._handle = handle
        self.__name__ = self.__qualname__ = name or "function"

    def __call__(self, *args, **kwargs):
        return self._host.call(self._handle, args, kwargs)

    def __repr__(self):
        return f"<function {self.__name__}>"


class Host:
    """The answer host: a fresh Python in the submission's sandbox that has loaded
    the saved answers, and runs the student's functions when a check calls them."""

    def __init__(self, sandbox, files):
        argv = [sys.executable, "-I", str(ANSWERS_SCRIPT)]
        argv += [f"{name}={path}" for name, path in files.items()]
        self.proc = subprocess.Popen(
            sandbox.command(argv), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, cwd=sandbox.work, start_new_session=True)
        self._in, self._out = self.proc.stdin.fileno(), self.proc.stdout.fileno()
        os.set_blocking(self._in, False)
        os.set_blocking(self._out, False)
        self.deadline = None
        self.why = ""

    def load(self, deadline):
        """{name: decoded answer, or ("!", why it could not be loaded)}."""
        self.deadline = deadline
        message, buffers = self._exchange(None)
        answers = message.get("answers")
        if message.get("kind") != "answers" or not isinstance(answers, dict):
            self._lost("it sent no answers")
        decode = Decoder(buffers, on_remote=lambda h, n: RemoteFunction(self, h, n))
        found = {}
        for name, tree in answers.items():
            if (isinstance(tree, list) and len(tree) == 2 and tree[0] == "!"
                    and isinstance(tree[1], str)):
                found[name] = ("!", f"loading it for the check failed: {tree[1]}")
                continue
            try:
                found[name] = decode(tree)
            except WireError as err:
                found[name] = ("!", f"the grader cannot read it ({err})")
        return found

    def call(self, handle, args, kwargs):
        encode = Encoder(on_callable=self._handle_of)
        try:
            request = {"kind": "call", "handle": handle, "args": encode(args),
                       "kwargs": encode(kwargs)}
        except WireError as err:
            raise TypeError(f"the grader cannot pass these arguments ({err})") from None
        message, buffers = self._exchange((request, encode.buffers))
        if message.get("kind") == "ok":
            decode = Decoder(buffers, on_remote=lambda h, n: RemoteFunction(self, h, n))
            try:
                return decode(message.get("value"))
            except WireError as err:
                raise TypeError(f"the grader cannot read what it returned ({err})") \
                    from None
        if message.get("kind") == "raise":
            raise rebuild_error(message)
        self._lost("it sent what the grader cannot read")

    @staticmethod
    def _handle_of(value):
        if isinstance(value, RemoteFunction):
            return value._handle
        raise WireError("a function of the grader's cannot be passed to the student's")

    def _exchange(self, request):
        if self.proc is None:
            raise HostLost(self.why)
        try:
            if request is not None:
                send(self._in, request[0], request[1], self.deadline)
            return receive(self._out, self.deadline)
        except TimeoutError:
            raise CheckTimeout from None
        except (EOFError, OSError):
            self._lost(None)
        except WireError as err:
            self._lost(f"it sent what the grader cannot read ({err})")

    def _lost(self, why):
        if why is None:
            try:
                code = self.proc.wait(timeout=2)
            except subprocess.TimeoutExpired:
                code = None
            why = ("killed by signal " + signal.Signals(-code).name if code and code < 0
                   else f"exit status {code}" if code is not None else "it stopped")
        self.why = why
        self.close()
        raise HostLost(why)

    def close(self):
        """End the host and everything in its sandbox."""
        if self.proc is None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except OSError:
            pass
        self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout):
            try:
                stream.close()
            except OSError:
                pass
        self.proc = None


def judge(ids, files, sandbox, options, not_run=False):
    """{exercise id: Verdict}, and {name: why an answer could not be loaded}.

    `files` maps the names the kernel saved to their pickle files; names not in it
    are undefined for the checks. `not_run`: the notebook never reached the end, so
    there are no answers to check."""
    verdicts, unreadable = {}, {}
    if not_run:
        return {eid: Verdict(failure="not run") for eid in ids}, unreadable
    host, answers = None, None
    try:
        for eid in ids:
            names = answer_names(eid)
            if host is None and any(n in files for n in names):
                host = Host(sandbox, files)
                try:
                    answers = host.load(time.monotonic() + options.timeout)
                except CheckTimeout:
                    host.close()
                    host = None
                    verdicts[eid] = Verdict(failure="timeout")
                    continue
                except HostLost as lost:
                    host = None
                    verdicts[eid] = Verdict(failure="died", detail=str(lost))
                    continue
                for name, value in answers.items():
                    if isinstance(value, tuple) and value[:1] == ("!",):
                        unreadable[name] = value[1]
            loaded = answers or {}
            namespace = {n: loaded[n] for n in names
                         if n in loaded and n not in unreadable}
            if host is not None:
                host.deadline = time.monotonic() + options.timeout
            try:
                passed, message = run_check(eid, namespace)
                verdicts[eid] = Verdict(passed=passed, message=message)
            except CheckTimeout:
                verdicts[eid] = Verdict(failure="timeout")
                host.close()
                host, answers = None, None
            except HostLost as lost:
                verdicts[eid] = Verdict(failure="died", detail=str(lost))
                host, answers = None, None
    finally:
        if host is not None:
            host.close()
    return verdicts, unreadable
