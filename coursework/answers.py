"""Taking the answers out of the student's kernel, and the format they travel in.

Three pieces, for three processes:

- `extraction_cell` (run in the student's kernel, after the notebook): saves one
  variable a check reads with cloudpickle (values and functions alike) into the
  grading's exchange folder, with a small status file. It imports what it needs
  itself and looks nothing up among the notebook's names, so a variable called `str`,
  a replaced sys.stdout or a thread still printing do not disturb it; it prints
  nothing, and nothing it prints would be read.
- `serve` (the answer host: this file run as a script, in the same sandbox as the
  kernel, by a fresh Python): loads the pickles, which runs the student's code, so it
  never happens in the grader; then answers the grader: the answers as plain data, and
  calls of the student's functions with plain-data arguments and results.
- `Encoder`/`Decoder` and `send`/`receive`: the plain data both sides speak. A
  decoder builds only None, booleans, numbers, strings, bytes, numpy arrays of
  numbers or text, tuples, lists, dicts and sets, stand-ins for the student's
  functions and a named stand-in for any other object: nothing a submission sends can
  run code in the grader, however it is crafted.

This file imports only the standard library and numpy (cloudpickle in `serve`), and
nothing of the course, so that the sandbox can run it as a script.
"""

import builtins
import json
import os
import re
import select
import struct
import sys
import time
import traceback

import numpy as np

MAX_MESSAGE = 256 * 2**20  # one message: the answers, or one call's arguments or result
MAX_ANSWER = 128 * 2**20  # one saved answer
MAX_DEPTH = 64  # containers nested deeper are refused
MAX_ITEMS = 2_000_000  # values in one message
MAX_TEXT = 2**20  # characters of one string
_DTYPE = re.compile(r"[<>|=](b1|[iu][1248]|f[248]|c(8|16)|U\d{1,6})|\|S\d{1,6}")
_HEAD = struct.Struct(">QQ")  # the message's size, its JSON part's size


class WireError(Exception):
    """A message that is not in the format, or too large."""


# ---------------------------------------------------------------------------------
# In the student's kernel

_TAKE = r'''
def _take(folder, index, name, limit):
    import os, warnings
    from IPython import get_ipython
    namespace = get_ipython().user_ns
    if name not in namespace:
        status = "missing"
    else:
        try:
            import cloudpickle
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                data = cloudpickle.dumps(namespace[name], protocol=5)
        except BaseException as exc:
            try:
                text = str(exc)
            except BaseException:
                text = ""
            status = "error\n" + type(exc).__name__ + ": " + text
        else:
            if len(data) > limit:
                status = "error\ntoo large: %d MB, at most %d MB" % (
                    len(data) >> 20, limit >> 20)
            else:
                with open(os.path.join(folder, "%d.pkl" % index), "wb") as fh:
                    fh.write(data)
                status = "file"
    with open(os.path.join(folder, "%d.status" % index), "w",
              encoding="utf-8", errors="backslashreplace") as fh:
        fh.write(status[:1000])
'''

_PROBE = r'''
def _probe(folder, names):
    import os
    from IPython import get_ipython
    namespace = get_ipython().user_ns
    with open(os.path.join(folder, "defined.txt"), "w") as fh:
        fh.write("\n".join(n for n in names if n in namespace))
'''

_CELL = """\
import builtins as _coursework_builtins
_coursework_builtins.exec({code!r}, {{"__builtins__": _coursework_builtins}})
del _coursework_builtins
"""


def extraction_cell(folder, index, name):
    """A cell that saves the notebook's variable `name` as `index`.pkl in `folder`,
    and what happened as `index`.status."""
    call = f"_take({str(folder)!r}, {index!r}, {name!r}, {MAX_ANSWER!r})\n"
    return _CELL.format(code=_TAKE + call)


def probe_cell(folder, names):
    """A cell that writes which of `names` the notebook defines (defined.txt)."""
    return _CELL.format(code=_PROBE + f"_probe({str(folder)!r}, {list(names)!r})\n")


def _read_text(path, limit):
    try:
        with open(path, "rb") as fh:
            return fh.read(limit).decode("utf-8", "replace")
    except OSError:
        return None


def read_status(folder, index):
    """What the extraction cell wrote for answer `index`: {"file"}, {"missing"} or
    {"error"}; None if there is no readable status (the kernel wrote it: trust only
    its shape)."""
    text = _read_text(os.path.join(folder, f"{index}.status"), 1000)
    if text is None:
        return None
    kind, _, detail = text.partition("\n")
    if kind == "file" and os.path.isfile(os.path.join(folder, f"{index}.pkl")):
        return {"file": f"{index}.pkl"}
    if kind == "missing":
        return {"missing": True}
    if kind == "error":
        return {"error": detail[:400]}
    return None


def read_defined(folder, names):
    """Which of `names` defined.txt says the notebook defines (only those asked)."""
    text = _read_text(os.path.join(folder, "defined.txt"), 64 * 1024) or ""
    found = set(text.split("\n"))
    return [n for n in names if n in found]


# ---------------------------------------------------------------------------------
# The plain-data format


class Encoder:
    """Turns a value into a JSON tree plus byte buffers (numpy data, bytes).

    `on_callable(value)` gives a handle for a function (the answer host registers the
    student's functions; the grader passes back stand-ins). Any other object becomes
    an array if it converts to one (a TensorFlow or torch tensor), else a named
    stand-in: its type's name and repr."""

    def __init__(self, on_callable=None):
        self.buffers = []
        self.items = 0
        self.on_callable = on_callable

    def _buffer(self, data):
        self.buffers.append(bytes(data))
        return len(self.buffers) - 1

    def __call__(self, value, depth=0):
        self.items += 1
        if depth > MAX_DEPTH or self.items > MAX_ITEMS:
            raise WireError("nested too deeply, or too many values")
        if value is None:
            return ["N"]
        if isinstance(value, bool):
            return ["B", bool(value)]
        if isinstance(value, (np.ndarray, np.generic)):
            return self._numpy(value)
        if isinstance(value, int):
            text = int.__repr__(int(value))
            if len(text) > 4000:
                raise WireError("an integer with more than 4000 digits")
            return ["I", text]
        if isinstance(value, float):
            return ["F", float.__repr__(float(value))]
        if isinstance(value, complex):
            return ["C", repr(value.real), repr(value.imag)]
        if isinstance(value, str):
            if len(value) > MAX_TEXT:
                raise WireError("a string of more than a million characters")
            return ["S", str.__str__(value)]
        if isinstance(value, (bytes, bytearray)):
            return ["Y", self._buffer(value)]
        if isinstance(value, tuple):
            return ["T", [self(v, depth + 1) for v in tuple.__iter__(value)]]
        if isinstance(value, list):
            return ["L", [self(v, depth + 1) for v in list.__iter__(value)]]
        if isinstance(value, dict):
            return ["D", [[self(k, depth + 1), self(v, depth + 1)]
                          for k, v in dict.items(value)]]
        if isinstance(value, (set, frozenset)):
            tag = "Z" if isinstance(value, set) else "z"
            return [tag, [self(v, depth + 1) for v in value]]
        if callable(value) and self.on_callable is not None:
            return ["R", self.on_callable(value), _name_of(value)]
        if hasattr(type(value), "__array__"):
            try:
                array = np.asarray(value)
            except Exception:
                array = None
            if array is not None and array.dtype != object:
                return self._numpy(array)
        return ["O", _name_of(type(value)), _repr(value)]

    def _numpy(self, value):
        array = np.asarray(value)
        if not _DTYPE.fullmatch(array.dtype.str):
            return ["O", _name_of(type(value)), _repr(value)]
        data = self._buffer(np.ascontiguousarray(array).tobytes())
        if isinstance(value, np.generic):
            return ["a", array.dtype.str, data]
        return ["A", array.dtype.str, list(array.shape), data]


def _name_of(value):
    name = getattr(value, "__name__", None)
    if not isinstance(name, str):
        name = type(value).__name__
    return str.__str__(name)[:100]


def _repr(value):
    try:
        text = repr(value)
    except Exception:
        text = f"<{_name_of(type(value))} object>"
    return str(text)[:300]


class Opaque:
    """Stands in for an answer the grader does not rebuild (an object of the
    student's own class, a generator, ...): it has the type's name and the repr."""

    def __init__(self, text):
        self._text = text

    def __repr__(self):
        return self._text


class Decoder:
    """Rebuilds plain data from a tree and its buffers, checking every part of it.

    `on_remote(handle, name)` gives what stands for a function of the other side."""

    def __init__(self, buffers, on_remote=None):
        self.buffers = buffers
        self.items = 0
        self.on_remote = on_remote

    def _bytes(self, index):
        if not isinstance(index, int) or not 0 <= index < len(self.buffers):
            raise WireError("a reference to data that was not sent")
        return self.buffers[index]

    def __call__(self, node, depth=0):
        self.items += 1
        if depth > MAX_DEPTH or self.items > MAX_ITEMS:
            raise WireError("nested too deeply, or too many values")
        if not isinstance(node, list) or not node or not isinstance(node[0], str):
            raise WireError("not a value")
        if len(node[0]) != 1:
            raise WireError("not a value")
        tag, args = node[0], node[1:]
        try:
            return self._build(tag, args, depth)
        except WireError:
            raise
        except (TypeError, ValueError, IndexError, OverflowError) as err:
            kind = type(err).__name__
            raise WireError(f"a malformed value ({tag}: {kind})") from None

    def _build(self, tag, args, depth):
        if tag == "N":
            return None
        if tag == "B" and isinstance(args[0], bool):
            return args[0]
        if tag in "IFSCazAYOR" and not args:
            raise WireError("a value without its data")
        if tag == "I" and isinstance(args[0], str) and len(args[0]) <= 4001:
            return int(args[0])
        if tag == "F" and isinstance(args[0], str) and len(args[0]) < 40:
            return float(args[0])
        if tag == "C" and len(args) == 2 and all(isinstance(a, str) for a in args):
            return complex(float(args[0][:40]), float(args[1][:40]))
        if tag == "S" and isinstance(args[0], str):
            return args[0]
        if tag == "Y":
            return self._bytes(args[0])
        if tag in "TLZz" and isinstance(args[0], list):
            items = [self(v, depth + 1) for v in args[0]]
            kind = {"T": tuple, "L": list, "Z": set, "z": frozenset}[tag]
            return kind(items)
        if tag == "D" and isinstance(args[0], list):
            pairs = [(self(p[0], depth + 1), self(p[1], depth + 1))
                     for p in args[0] if isinstance(p, list) and len(p) == 2]
            if len(pairs) != len(args[0]):
                raise WireError("a malformed dict")
            return dict(pairs)
        if tag in "aA":
            return self._numpy(tag, args)
        if tag == "O" and len(args) == 2 and all(isinstance(a, str) for a in args):
            name = args[0] if args[0].isidentifier() else "object"
            return type(name, (Opaque,), {})(args[1][:300])
        if tag == "R" and self.on_remote is not None and len(args) == 2:
            handle, name = args
            if isinstance(handle, int) and isinstance(name, str):
                return self.on_remote(handle, name[:100])
        raise WireError(f"not a value ({tag[:10]!r})")

    def _numpy(self, tag, args):
        dtype_text = args[0]
        if not isinstance(dtype_text, str) or not _DTYPE.fullmatch(dtype_text):
            raise WireError("an array of a kind the grader does not read")
        dtype = np.dtype(dtype_text)
        if tag == "a":
            data = self._bytes(args[1])
            if len(data) != dtype.itemsize:
                raise WireError("a number whose data has the wrong size")
            return np.frombuffer(data, dtype=dtype)[0]
        shape, data = args[1], self._bytes(args[2])
        ok = isinstance(shape, list) and len(shape) <= 32
        if not ok or not all(isinstance(n, int) and n >= 0 for n in shape):
            raise WireError("an array with a malformed shape")
        if int(np.prod(shape, dtype=np.float64)) * dtype.itemsize != len(data):
            raise WireError("an array whose data does not fit its shape")
        return np.frombuffer(data, dtype=dtype).reshape(shape).copy()


def send(fd, message, buffers=(), deadline=None):
    """Write one message (a JSON-able dict) and its buffers to `fd`."""
    header = json.dumps({"message": message, "sizes": [len(b) for b in buffers]},
                        ensure_ascii=True, allow_nan=False).encode()
    total = len(header) + sum(len(b) for b in buffers)
    if total > MAX_MESSAGE:
        raise WireError(f"a message of {total >> 20} MB (at most {MAX_MESSAGE >> 20})")
    for part in (_HEAD.pack(total, len(header)), header, *buffers):
        view = memoryview(part)
        while view:
            if deadline is not None:
                _wait(fd, deadline, write=True)
            try:
                view = view[os.write(fd, view):]
            except BlockingIOError:
                continue


def receive(fd, deadline=None):
    """Read one message from `fd`: (dict, [bytes]). EOFError when the other side
    has gone, TimeoutError at the deadline, WireError for anything malformed."""
    total, size = _HEAD.unpack(_read(fd, _HEAD.size, deadline))
    if total > MAX_MESSAGE or size > total:
        raise WireError("a message larger than the grader reads")
    body = _read(fd, total, deadline)
    try:
        header = json.loads(body[:size])
    except (ValueError, RecursionError):
        raise WireError("a message whose header is not JSON") from None
    message = header.get("message") if isinstance(header, dict) else None
    sizes = header.get("sizes") if isinstance(header, dict) else None
    if not isinstance(message, dict) or not isinstance(sizes, list):
        raise WireError("a message without its parts")
    if not all(isinstance(n, int) and n >= 0 for n in sizes):
        raise WireError("a message with malformed sizes")
    if size + sum(sizes) != total:
        raise WireError("a message whose parts do not add up")
    buffers, start = [], size
    for n in sizes:
        buffers.append(body[start:start + n])
        start += n
    return message, buffers


def _wait(fd, deadline, write=False):
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise TimeoutError
    ready = select.select([], [fd], [], remaining) if write else \
        select.select([fd], [], [], remaining)
    if not any(ready):
        raise TimeoutError


def _read(fd, n, deadline):
    chunks, got = [], 0
    while got < n:
        if deadline is not None:
            _wait(fd, deadline)
        try:
            chunk = os.read(fd, min(n - got, 1 << 20))
        except BlockingIOError:
            continue
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


# ---------------------------------------------------------------------------------
# The answer host


def error_message(exc):
    """A raised exception as plain data: its type, message and where it was raised."""
    frames = traceback.extract_tb(exc.__traceback__)
    try:
        text = str(exc)
    except BaseException:
        text = ""
    return {
        "kind": "raise",
        "type": _name_of(type(exc)),
        "builtin": type(exc).__module__ == "builtins",
        "message": text[:2000],
        "where": [str(frames[-1].name)[:100], frames[-1].lineno] if frames else None,
    }


def serve(argv):
    """The answer host: `answers.py NAME=FILE ...` (files of the exchange folder).

    Sends {"kind": "answers", "answers": {name: value, or ["!", why]}}, then answers
    each {"kind": "call", "handle", "args", "kwargs"} with {"kind": "ok", "value"} or
    an error_message. The protocol keeps the original stdin and stdout; the student's
    code sees /dev/null there, so what it prints or reads cannot disturb it."""
    proto_in, proto_out = os.dup(0), os.dup(1)
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    sys.stdin = open(os.devnull)
    sys.stdout = sys.stderr = open(os.devnull, "w")
    sys.path.insert(0, os.getcwd())  # the student's own modules, as in the kernel
    import warnings

    warnings.simplefilter("ignore")
    import cloudpickle  # noqa: F401  (pickle.load needs it for what it saved)
    import pickle

    functions = []

    def register(function):
        functions.append(function)
        return len(functions) - 1

    encode = Encoder(on_callable=register)
    answers = {}
    for item in argv:
        name, _, path = item.partition("=")
        try:
            with open(path, "rb") as fh:
                value = pickle.load(fh)
            answers[name] = encode(value)
        except BaseException as exc:  # noqa: B036  (whatever unpickling raises)
            answers[name] = ["!", f"{_name_of(type(exc))}: {_repr_text(exc)}"[:400]]
    send(proto_out, {"kind": "answers", "answers": answers}, encode.buffers)

    def local(handle, name):
        if not 0 <= handle < len(functions):
            raise WireError("no such function")
        return functions[handle]

    while True:
        try:
            message, buffers = receive(proto_in)
        except EOFError:
            os._exit(0)
        decode = Decoder(buffers, on_remote=local)
        try:
            function = local(message["handle"], "")
            args = decode(message["args"])
            kwargs = decode(message["kwargs"])
            result = function(*args, **kwargs)
        except BaseException as exc:  # noqa: B036  (the student's code may raise anything)
            send(proto_out, error_message(exc))
            continue
        encode = Encoder(on_callable=register)
        try:
            value = encode(result)
        except BaseException as exc:  # noqa: B036
            send(proto_out, {"kind": "raise", "type": "TypeError", "builtin": True,
                             "message": f"the grader cannot read what it returned: "
                                        f"{_repr_text(exc)}"[:400], "where": None})
            continue
        send(proto_out, {"kind": "ok", "value": value}, encode.buffers)


def _repr_text(exc):
    try:
        return str(exc)
    except BaseException:  # noqa: B036
        return ""


def rebuild_error(message):
    """The exception a message from the answer host describes, raised in the grader
    as an Exception (a check catches it like the student's own), with the student's
    function and line as `learner_location`."""
    name = message.get("type") if isinstance(message.get("type"), str) else "Error"
    text = message.get("message") if isinstance(message.get("message"), str) else ""
    exc = None
    cls = getattr(builtins, name, None) if message.get("builtin") is True else None
    if isinstance(cls, type) and issubclass(cls, Exception):
        try:
            exc = cls(text)
        except Exception:
            exc = None
    if exc is None:
        base_name = name if name.isidentifier() else "Error"
        exc = type(base_name, (LearnerError,), {})(text)
    where = message.get("where")
    if (isinstance(where, list) and len(where) == 2 and isinstance(where[0], str)
            and isinstance(where[1], int)):
        exc.learner_location = (where[0], where[1])
    return exc


class LearnerError(Exception):
    """An exception of the student's code that the grader cannot rebuild as its own
    type (a class of the student's, SystemExit, ...): same name, same message."""


if __name__ == "__main__":
    serve(sys.argv[1:])
