"""The course on the stacks learners really meet, each built in its own environment under _build/stacks/:

- Colab's mid-2025 stack (tests/stacks/colab-2025.txt: tensorflow 2.19, keras 3.10), lstm_utils installed as a
  package from this repository (not editable), every chapter run from copies outside the repository;
- the Binder image, built the way repo2docker builds it: binder/requirements.txt, then binder/postBuild, and a
  chapter run in it;
- the Colab cell itself: on a "Colab" (a fake google.colab module) it installs lstm_utils with pip from a git
  repository at the version's tag.

Slow (each builds an environment), so `make test` leaves them out and `make test-stacks` (run by .ci/run) runs
them. An environment is reused while its inputs are unchanged."""

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.stacks

ROOT = Path(__file__).resolve().parents[2]
STACKS = ROOT / "_build" / "stacks"
CHAPTERS = sorted((ROOT / "chapters").glob("[0-9][0-9]_*.ipynb"))


def pip_config_flags():
    out = subprocess.run([sys.executable, str(ROOT / "tools" / "pip_config_for_uv.py")], capture_output=True,
                         text=True, check=True).stdout
    return out.split()


def uv():
    found = shutil.which("uv", path=str(Path(sys.executable).parent))
    assert found, "uv is installed in .venv by tools/venv.sh"
    return found


def source_copy(dest):
    """The repository's tracked files (what a clone has), so no build leftovers land in the working tree."""
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in filter(None, files.decode().split("\0")):
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if (ROOT / name).is_file():
            shutil.copy2(ROOT / name, target)
    return dest


def fresh_env(name, key_files, build):
    """A venv at _build/stacks/<name>, rebuilt by `build(venv)` whenever the key files change."""
    venv = STACKS / name
    key = hashlib.sha256(b"".join(p.read_bytes() for p in key_files)).hexdigest()
    stamp = venv / ".stack-key"
    if not (stamp.exists() and stamp.read_text() == key):
        shutil.rmtree(venv, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        build(venv)
        stamp.write_text(key)
    return venv / "bin" / "python"


def run_chapters(python, chapters, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV", "KERAS_BACKEND"))}
    env["PATH"] = f"{python.parent}{os.pathsep}{env.get('PATH', '')}"
    proc = subprocess.run([str(python), str(ROOT / "tools" / "run_chapters.py"), *map(str, chapters),
                           "--out", str(tmp_path / "executed")], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=3600)
    return proc


def report(capsys, title, proc):
    with capsys.disabled():
        print(f"\n{title}\n" + "\n".join(line for line in proc.stdout.splitlines()))


def test_every_chapter_on_colabs_2025_stack(tmp_path, capsys):
    pins = ROOT / "tests" / "stacks" / "colab-2025.txt"

    def build(venv):
        subprocess.run([uv(), "pip", "install", "--quiet", "--python", str(venv / "bin" / "python"),
                        *pip_config_flags(), "-r", str(pins)], check=True)
        # lstm_utils the way Colab gets it: built from the repository and installed as a package
        subprocess.run([uv(), "pip", "install", "--quiet", "--python", str(venv / "bin" / "python"), "--no-deps",
                        str(source_copy(tmp_path / "src"))], check=True)

    keys = [pins, ROOT / "pyproject.toml", *sorted((ROOT / "lstm_utils").rglob("*.py"))]
    python = fresh_env("colab-2025", keys, build)
    where = subprocess.run([str(python), "-c", "import lstm_utils; print(lstm_utils.__file__)"], cwd=tmp_path,
                           capture_output=True, text=True, check=True).stdout
    assert "site-packages" in where, where                # the package, not the working tree
    proc = run_chapters(python, CHAPTERS, tmp_path)
    report(capsys, "Colab's mid-2025 stack (tensorflow 2.19, keras 3.10):", proc)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "keras 3.10.0" in proc.stdout


def test_binder_builds_as_repo2docker_does_and_runs_a_chapter(tmp_path, capsys):
    binder = ROOT / "binder"
    repo = source_copy(tmp_path / "repo")

    def build(venv):
        # repo2docker: `pip install -r binder/requirements.txt` in the repository's folder, then `binder/postBuild`
        # with that environment first on PATH. (uv installs the same pins, faster, honouring pip's config.)
        subprocess.run([uv(), "pip", "install", "--quiet", "--python", str(venv / "bin" / "python"),
                        *pip_config_flags(), "-r", "binder/requirements.txt", "ipykernel", "nbclient"],
                       cwd=repo, check=True)
        env = dict(os.environ, PATH=f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}")
        env.pop("PYTHONPATH", None)
        subprocess.run(["bash", "binder/postBuild"], cwd=repo, env=env, check=True)

    keys = [binder / "requirements.txt", binder / "postBuild", ROOT / "constraints.txt", ROOT / "pyproject.toml",
            *sorted((ROOT / "lstm_utils").rglob("*.py"))]
    python = fresh_env("binder", keys, build)
    proc = run_chapters(python, [ROOT / "chapters" / "03_many_units.ipynb"], tmp_path)
    report(capsys, "Binder image (binder/requirements.txt, then binder/postBuild):", proc)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]


def test_the_colab_cell_installs_lstm_utils_from_the_tag(tmp_path):
    sys.path.insert(0, str(ROOT))
    from tools import colab_cell

    # a clone of this repository with the version's tag, standing in for the one _config.yml names
    clone = tmp_path / "course"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
    tag = f"v{colab_cell.package_version()}"
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", "tag", "-f", tag], cwd=clone, check=True)
    cell = colab_cell.cell_source(colab_cell.install_spec(url=f"file://{clone}"))
    venv = tmp_path / "learner"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    # Colab's pip is a recent one (the pip of Python 3.11's ensurepip, 23.2, rejects git+file:/// requirements)
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True)
    on_colab = "import sys, types\nsys.modules['google.colab'] = types.ModuleType('google.colab')\n" + cell
    subprocess.run([str(python), "-c", on_colab], cwd=tmp_path, check=True, timeout=600)
    out = subprocess.run([str(python), "-c", "import lstm_utils, sys; print(lstm_utils.__file__)"], cwd=tmp_path,
                         capture_output=True, text=True, check=True).stdout
    assert str(venv) in out
    # and anywhere else the cell does nothing at all
    quiet = subprocess.run([str(python), "-c", cell], capture_output=True, text=True, check=True)
    assert quiet.stdout == quiet.stderr == ""
