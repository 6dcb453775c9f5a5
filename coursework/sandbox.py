"""The isolated place a submission runs in: bubblewrap, limits, a throwaway copy.

Each process that runs a student's code (the notebook's kernel, and the answer host
that calls the student's functions for the checks) starts through `Sandbox.command`.
With bubblewrap (`bwrap`, Debian's package `bubblewrap`) it sees:

- the system's programs and the Python environment, read-only;
- the course's `lstm_utils`, read-only, at its usual path, so `import lstm_utils` works;
- a throwaway copy of chapters/ as its working directory, at chapters/'s path;
- a fresh, empty HOME and /tmp, and the grading's exchange folder;

and nothing else: not the rest of the repository, not the other submissions, not the
instructor's home or the gradebook. It has no network, its own process namespace (when
the grading ends, everything it started ends with it, however it was started), no
way to signal the grader, and limits on memory (address space), processes and the size
of a file it writes. As root, bwrap runs it under an unprivileged user id of its own;
otherwise in a user namespace.

Without a working bwrap the grading still runs, with only the limits, a fresh HOME and
the throwaway working directory, and `Isolation.warning` says so loudly.
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from . import CHAPTERS_DIR, REPO

LSTM_UTILS = REPO / "lstm_utils"
ANSWERS_SCRIPT = Path(__file__).resolve().parent / "answers.py"
SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc")
PASS_THROUGH = ("TF_CPP_MIN_LOG_LEVEL", "TF_ENABLE_ONEDNN_OPTS", "KERAS_BACKEND",
                "OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS",
                "JAX_PLATFORMS", "CUDA_VISIBLE_DEVICES", "LANG")
TMP_MB = 512  # the sandbox's /tmp (and HOME in it), in memory

# Runs first inside the sandbox, before the student's process: limits, user, working
# directory, environment; then it becomes that process (exec). Python with -I -S, so
# that nothing outside this text is imported.
_WRAPPER = r"""
import json, os, resource, signal, sys
spec = json.loads(sys.argv[1])
for name, value in spec["limits"].items():
    resource.setrlimit(getattr(resource, name), (value, value))
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)   # a file too large: an error, not death
if spec["uid"] is not None:
    os.setgroups([])
    os.setresgid(spec["uid"], spec["uid"], spec["uid"])
    os.setresuid(spec["uid"], spec["uid"], spec["uid"])
if spec["pdeathsig"]:   # no bwrap: at least end with the grader
    import ctypes
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != spec["parent"]:
        os._exit(1)
os.makedirs(spec["home"], exist_ok=True)
os.chdir(spec["cwd"])
os.execve(spec["argv"][0], spec["argv"], spec["env"])
"""


@dataclass
class Isolation:
    """How submissions run here: "bwrap", or "none" and why not."""

    kind: str
    why: str = ""

    @property
    def warning(self):
        if self.kind == "bwrap":
            return ""
        return (
            "!!! GRADING WITHOUT ISOLATION: " + self.why + ". Each submission runs "
            "with "
            "your permissions: it can change or delete your files (this repository "
            "too), read the other submissions, use the network and leave processes "
            "running. Install bubblewrap (apt-get install bubblewrap) so that each "
            "runs sealed off. !!!"
        )


def _bwrap():
    return shutil.which("bwrap")


def _grading_uid():
    """As root: an unprivileged user id for this grading alone, so that its process
    limit counts its own processes only (root's are not limited at all)."""
    return 2_000_000_000 + os.getpid() % 100_000_000


def choose_isolation(mode="auto"):
    """Isolation for `mode` ("auto", "bwrap", "none"): bwrap if it is installed and
    really runs a sandboxed Python here (user namespaces may be switched off).

    With mode "bwrap" a bwrap that does not work is an error (RuntimeError)."""
    if mode == "none":
        return Isolation("none", "asked for with --isolation none")
    if not _bwrap():
        why = "bubblewrap (bwrap) is not installed"
    else:
        why = _probe()
    if why and mode == "bwrap":
        raise RuntimeError(f"--isolation bwrap: {why}")
    return Isolation("none", why) if why else Isolation("bwrap")


# Files a sandboxed kernel reads first; they and their bytecode must be readable by
# the sandbox's user (an environment installed under umask 077 is not).
SAMPLES = ("ipykernel/kernelapp.py", "IPython/core/interactiveshell.py",
           "traitlets/traitlets.py", "numpy/__init__.py", "zmq/__init__.py",
           "cloudpickle/cloudpickle.py", "jupyter_client/session.py",
           "keras/__init__.py", "tensorflow/__init__.py")
_READABLE = r"""
import sys
for path in sys.argv[1:]:
    try:
        open(path, "rb").close()
    except OSError as err:
        why = f"the sandbox's user cannot read {path} ({err.strerror})"
        print(why, file=sys.stderr)
        sys.exit(1)
"""


def _samples():
    """The SAMPLES that are installed, and their bytecode files."""
    import importlib.util
    import sysconfig

    site = Path(sysconfig.get_paths()["purelib"])
    found = []
    for name in SAMPLES:
        if (site / name).is_file():
            found += [str(site / name), importlib.util.cache_from_source(site / name)]
    return found


def ensure_bytecode(wait=600):
    """Compile the environment's modules to bytecode if they are not (uv, unlike
    pip, installs without it). A sandboxed process cannot write bytecode, so without
    it every kernel would compile IPython, Keras and TensorFlow from source again.
    Checked on a few files, so it costs nothing once done.

    One grader compiles at a time (a lock file); the others wait at most `wait`
    seconds and then go on without it (slower kernels, never a hang). The compiler is
    a child process that does not inherit the lock: were the grader killed meanwhile,
    the lock goes with it (a forked pool of workers would keep it for ever)."""
    import fcntl
    import sysconfig
    import time

    if all(os.path.exists(p) for p in _samples()[1::2]):
        return
    lock_path = Path(tempfile.gettempdir()) / "coursework-bytecode.lock"
    with open(lock_path, "a") as lock:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    return
                time.sleep(0.5)
        if all(os.path.exists(p) for p in _samples()[1::2]):
            return
        folders = sorted({sysconfig.get_paths()["purelib"],
                          sysconfig.get_paths()["platlib"], str(LSTM_UTILS)})
        try:
            subprocess.run([sys.executable, "-m", "compileall", "-q", "-j", "0", *folders],
                           stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, timeout=wait, close_fds=True)
        except (OSError, subprocess.TimeoutExpired):
            pass  # kernels compile in memory instead: slower, still right


def _probe():
    """None if a sandboxed Python starts here and can read the environment, else
    why not (one line)."""
    ensure_bytecode()
    with tempfile.TemporaryDirectory(prefix="grade-probe-") as folder:
        box = Sandbox(folder, Isolation("bwrap"), limits=None, copy_chapters=False)
        argv = [sys.executable, "-I", "-S", "-c", _READABLE, *_samples()]
        command = box.command(argv)
        try:
            done = subprocess.run(command, capture_output=True, timeout=60)
        except (OSError, subprocess.TimeoutExpired) as err:
            return f"bubblewrap does not run here ({type(err).__name__})"
    if done.returncode != 0:
        text = done.stderr.decode("utf-8", "replace").strip().splitlines()
        return f"bubblewrap does not run here ({text[-1] if text else done.returncode})"
    return None


class Sandbox:
    """One grading's folder and the command that starts a process sealed in it.

    The folder holds `work/chapters` (the throwaway working copy), `x` (the exchange
    folder: the kernel's connection file and sockets, the answers it saves) and, without
    bwrap, `home`. The grader removes the folder when the grading ends."""

    def __init__(self, folder, isolation, limits, copy_chapters=True):
        self.folder = Path(folder)
        self.isolation = isolation
        self.limits = limits  # {"RLIMIT_AS": bytes, ...} or None
        self.sealed = isolation.kind == "bwrap"
        self.uid = _grading_uid() if self.sealed and os.geteuid() == 0 else None
        self.work = self.folder / "work" / "chapters"
        self.exchange = self.folder / "x"
        self.exchange.mkdir(parents=True)
        if copy_chapters:
            shutil.copytree(CHAPTERS_DIR, self.work, symlinks=True,
                            ignore=shutil.ignore_patterns(".*"))
        else:
            self.work.mkdir(parents=True)
        if self.sealed:
            self.cwd, self.home, self.tmp = str(CHAPTERS_DIR), "/tmp/home", "/tmp"
        else:
            self.cwd = str(self.work)
            self.home = str(self.folder / "home")
            self.tmp = str(self.folder / "tmp")
            os.makedirs(self.tmp)
        if self.uid is not None:
            for path in (self.work.parent, self.exchange):
                give(path, self.uid)

    def extra_readable(self, paths):
        """Files the sandbox may read besides the usual ones (e.g. --checks modules)."""
        self._extra = [str(Path(p).resolve()) for p in paths]

    _extra = ()

    def env(self):
        env = {
            "PATH": f"{Path(sys.prefix) / 'bin'}:/usr/local/bin:/usr/bin:/bin",
            "HOME": self.home,
            "USER": "student",
            "LOGNAME": "student",
            "LANG": "C.UTF-8",
            "TMPDIR": self.tmp,
            "IPYTHONDIR": f"{self.home}/.ipython",
            "JUPYTER_CONFIG_DIR": f"{self.home}/.jupyter",
            "JUPYTER_DATA_DIR": f"{self.home}/.local/share/jupyter",
            "JUPYTER_PLATFORM_DIRS": "1",
            "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        }
        env.update({k: os.environ[k] for k in PASS_THROUGH if k in os.environ})
        return env

    def command(self, argv):
        """The command that runs `argv` (its first item an absolute path) sealed in
        this sandbox, with the limits, as the sandbox's user, in the working copy."""
        spec = {
            "limits": self.limits or {},
            "uid": self.uid,
            "pdeathsig": not self.sealed,
            "parent": os.getpid(),
            "home": self.home,
            "cwd": self.cwd,
            "env": self.env(),
            "argv": list(argv),
        }
        wrapper = [sys.executable, "-I", "-S", "-c", _WRAPPER, json.dumps(spec)]
        if not self.sealed:
            return wrapper
        return [_bwrap(), *self._bwrap_args(), "--", *wrapper]

    def _bwrap_args(self):
        args = ["--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts",
                "--unshare-cgroup-try", "--die-with-parent", "--new-session",
                "--clearenv", "--hostname", "grading"]
        if self.uid is None:
            args += ["--unshare-user"]
        else:
            args += ["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
        mounted, made = [], set()

        def parents(target):
            """Create `target`'s missing parent folders, world-readable (bwrap would
            make them private to root, and the sandbox's user could not pass)."""
            out = []
            for parent in reversed(Path(target).parents):
                p = str(parent)
                if p == "/" or p in made or any(_within(p, m) for m in mounted):
                    continue
                made.add(p)
                out += ["--perms", "0755", "--dir", p]
            return out

        def mount(kind, source, target):
            nonlocal args
            args += parents(target) + [kind, str(source), str(target)]
            mounted.append(str(target))

        for path in SYSTEM_DIRS:
            if os.path.islink(path):
                args += ["--symlink", os.readlink(path), path]
            elif os.path.isdir(path):
                mount("--ro-bind", path, path)
        args += ["--proc", "/proc", "--dev", "/dev", "--perms", "1777",
                 "--size", str(TMP_MB * 2**20), "--tmpfs", "/tmp"]
        mounted += ["/proc", "/dev"]  # (in the new /tmp, folders are still to make)
        python = {os.path.realpath(sys.base_prefix), os.path.realpath(sys.prefix),
                  os.path.dirname(os.path.dirname(os.path.realpath(sys.executable)))}
        for path in sorted(python):
            if not any(_within(path, m) for m in mounted) or _within(path, "/tmp"):
                mount("--ro-bind", path, path)
        if sys.prefix != os.path.realpath(sys.prefix):  # a venv reached by a link
            mount("--ro-bind", os.path.realpath(sys.prefix), sys.prefix)
        for path in [str(LSTM_UTILS), str(ANSWERS_SCRIPT), *self._extra]:
            mount("--ro-bind", path, path)
        mount("--bind", self.work, CHAPTERS_DIR)
        mount("--bind", self.exchange, self.exchange)
        args += ["--chdir", str(CHAPTERS_DIR)]
        return args


def _within(path, folder):
    return path == folder or path.startswith(folder.rstrip("/") + "/")


def give(path, uid):
    """Make `path` and everything in it the sandbox user's."""
    os.chown(path, uid, uid)
    for root, dirs, files in os.walk(path):
        for name in dirs + files:
            os.chown(os.path.join(root, name), uid, uid, follow_symlinks=False)


def limits(options):
    """The resource limits for every sandboxed process, from the options."""
    return {
        "RLIMIT_AS": options.memory_mb * 2**20,
        "RLIMIT_FSIZE": options.max_file_mb * 2**20,
        "RLIMIT_NPROC": options.max_processes,
        "RLIMIT_CORE": 0,
    }


def limits_for(isolation, options):
    """Without bwrap the process limit would count all of the user's processes (or,
    for root, none): it is left out."""
    found = limits(options)
    if isolation.kind != "bwrap":
        found.pop("RLIMIT_NPROC")
    return found


# ---------------------------------------------------------------------------------
# Nothing outlives a grading


def become_subreaper():
    """Processes a submission starts and abandons (double-forked, in a new session)
    become this process's children instead of init's, so `end_strays` can find
    them. bwrap's process namespace already ends them; this covers grading without
    it. Linux only; elsewhere a no-op."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
    except Exception:
        pass


def _children_of(pids):
    """{pid: parent} of the processes whose parent is in `pids`, from /proc."""
    found = {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        return found
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        fields = stat[stat.rfind(b")") + 2:].split()
        if len(fields) > 1 and int(fields[1]) in pids:
            found[int(entry)] = int(fields[1])
    return found


def descendants(root=None, keep=()):
    """Every process below `root` (this one) except `keep` and theirs."""
    root = os.getpid() if root is None else root
    found, frontier = set(), {root}
    while frontier:
        children = {pid for pid in _children_of(frontier) if pid not in keep}
        children -= found
        found |= children
        frontier = children
    return found


def end_strays(keep=(), rounds=50):
    """Kill every process below this one but `keep`, until none is left (a process
    may fork while we look). SIGKILL also ends a stopped process."""
    for _ in range(rounds):
        strays = descendants(keep=set(keep))
        if not strays:
            return
        for pid in strays:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        _reap(strays)
        time.sleep(0.02)


def _reap(pids):
    """Collect the exit status of those of `pids` that are this process's children
    (the others are someone else's to collect, or become ours in a later round)."""
    for pid in pids:
        try:
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            pass


# ---------------------------------------------------------------------------------
# The repository is unchanged


GUARDED = ("lstm_utils", "coursework", "chapters", "tools", "tests", "_ext")
UNGUARDED = {"__pycache__", ".pytest_cache", ".ipynb_checkpoints", ".hypothesis"}


def fingerprint(extra=(), skip=()):
    """{path: sha256} of the course's files: the repository's top-level files and
    the folders in GUARDED, plus `extra` files, minus anything under `skip` (the
    submissions folder, the gradebook). A grading must leave it as it found it."""
    import hashlib

    skip = [os.path.abspath(p) for p in skip]
    paths = [e.path for e in os.scandir(REPO)
             if e.is_file(follow_symlinks=False) and not e.name.startswith(".")]
    for name in GUARDED:
        for root, dirs, files in os.walk(REPO / name):
            dirs[:] = sorted(d for d in dirs if d not in UNGUARDED)
            paths += [os.path.join(root, f) for f in files]
    paths += [os.path.abspath(p) for p in extra]
    found = {}
    for path in paths:
        if any(_within(path, s) for s in skip):
            continue
        try:
            with open(path, "rb") as fh:
                found[path] = hashlib.sha256(fh.read()).hexdigest()
        except OSError:
            found[path] = None
    return found


def changed(before, after):
    """The first path that differs between two fingerprints (added, removed, edited),
    relative to the repository, or None."""
    for path in sorted(set(before) | set(after)):
        if before.get(path) != after.get(path):
            try:
                return os.path.relpath(path, REPO)
            except ValueError:
                return path
    return None
