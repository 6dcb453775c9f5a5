# Inside the Keras LSTM: `make book` builds the website, `make test` checks everything.
# Both create .venv and install the pinned requirements on first use (and again when a pin changes), with uv
# (tools/venv.sh: uv comes from the package registry; pip is the fallback, and says so).

SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
CHAPTERS := $(sort $(wildcard chapters/[0-9][0-9]_*.ipynb))

# TensorFlow's C++ start-up log and oneDNN's reordered float sums stay out of every run.
export TF_CPP_MIN_LOG_LEVEL := 3
export TF_ENABLE_ONEDNN_OPTS := 0

.PHONY: help book test test-stacks test-utils test-notebooks lab notebooks lock clean student grade grade-all bench torch
.DEFAULT_GOAL := help

help:
	@echo "make book            build the website into _build/html"
	@echo "make test            lstm_utils tests + strict nbval over every chapter"
	@echo "make test-stacks     the chapters on Colab's 2025 stack and in the Binder image (CI runs it)"
	@echo "make torch           add the optional PyTorch extra (CPU build), so make test checks the torch backend"
	@echo "make lab             open the chapters in JupyterLab"
	@echo "make notebooks       re-run every chapter top to bottom and store its outputs (maintainers)"
	@echo "make lock            re-resolve constraints.txt from requirements.txt"
	@echo "make bench           time the test step against its floor, the book cold and warm, each chapter,"
	@echo "                      grading 20 chapter-03 submissions against executing them"
	@echo "make clean           remove _build (keeps .venv)"
	@echo "make student         write the student edition (solutions replaced by stubs) to _build/student"
	@echo "make grade NB=x.ipynb run a submission in a fresh kernel, print a table and score: X/Y"
	@echo "                      (TIMEOUT=60 s per cell, TOTAL_TIMEOUT=600 s for all cells, CHAPTER=NN)"
	@echo "make grade-all DIR=d  grade every notebook under d into a CSV (JOBS=2, OUT=grades.csv, CHAPTER=NN)"

$(STAMP): requirements.txt constraints.txt pyproject.toml tools/venv.sh
	bash tools/venv.sh $(PYTHON) $(VENV) -r requirements.txt -c constraints.txt
	@touch $@

# PyTorch, CPU build: optional, because on most Linux machines a plain `pip install torch` fetches a CUDA build of
# several GB. Where pip's configuration supplies a CPU wheel (as on the course's CI), tools/venv.sh passes it on to
# uv; elsewhere point at PyTorch's CPU index: make torch TORCH_INDEX=https://download.pytorch.org/whl/cpu
TORCH_INDEX ?=
torch: $(STAMP)
	bash tools/venv.sh $(PYTHON) $(VENV) -r requirements-torch.txt -c constraints.txt \
	    $(if $(TORCH_INDEX),--extra-index-url $(TORCH_INDEX) --index-strategy unsafe-best-match)

# `python -m tools.book` is jupyter-book's own command, started without an import it never uses (tools/book.py).
book: $(STAMP)
	$(BIN)/python -m tools.book build . -W -n --keep-going
	@echo "Open the book: file://$(CURDIR)/_build/html/index.html"

# One pytest run: the package's tests and every chapter under strict nbval, two workers. Each test file and each
# notebook stays whole on one worker, and the tests that load Keras share one (--dist loadgroup; tests/conftest.py).
# (test-notebooks keeps --dist loadscope: without tests/conftest.py nothing assigns the groups.)
WORKERS ?= 2
PYTEST_BASE := -p tools.pytest_startup -p no:cacheprovider -n $(WORKERS) -m "not stacks"
GROUPED := --dist loadgroup --no-loadscope-reorder
NBVAL := --nbval --nbval-sanitize-with chapters/sanitize.cfg
PYTEST_ARGS := $(PYTEST_BASE) $(GROUPED) $(NBVAL) tests $(CHAPTERS)

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The course on other stacks (tests/stacks): Colab's mid-2025 stack, every chapter; the Binder image, one chapter; the
# Colab cell installing lstm_utils from a tag. Each builds an environment under _build/stacks (reused while unchanged).
test-stacks: $(STAMP)
	$(BIN)/python -m pytest -p no:cacheprovider -m stacks tests/stacks -v

test-utils: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_BASE) $(GROUPED) tests

test-notebooks: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_BASE) --dist loadscope $(NBVAL) $(CHAPTERS)

lab: $(STAMP)
	$(BIN)/jupyter lab chapters

notebooks: $(STAMP)
	for nb in $(CHAPTERS); do \
	    $(BIN)/jupyter nbconvert --to notebook --execute --inplace \
	        --ExecutePreprocessor.record_timing=False "$$nb"; \
	    $(BIN)/jupyter nbconvert --coalesce-streams "$$nb"; \
	done

# Run it with the torch extra installed, so that torch's own dependencies are pinned too (torch itself is pinned in
# requirements-torch.txt: its local version label, +cpu, differs from index to index).
lock: $(STAMP)
	( echo "# Every package's exact version, as resolved from requirements.txt (+ requirements-torch.txt); regenerate with \`make lock\`."; \
	  $(BIN)/uv pip freeze --python $(BIN)/python --exclude-editable | grep -v -e '^#' -e '^torch==' ) > constraints.txt

clean:
	rm -rf _build

# Coursework (see README, "For instructors"). The student edition is generated from chapters/ every time.
student: $(STAMP)
	$(BIN)/python -m coursework.student --out _build/student

# File and folder names reach the grader through the environment, exactly as typed: make never expands them
# ($(value ...)) and the shell never parses them ("$$NB"), so a name with quotes, backticks or $(...) is only a name.
override NB := $(value NB)
override DIR := $(value DIR)
override OUT := $(value OUT)
override CHAPTER := $(value CHAPTER)
TIMEOUT ?= 60
TOTAL_TIMEOUT ?= 600
JOBS ?= 2
export NB DIR OUT CHAPTER TIMEOUT TOTAL_TIMEOUT JOBS
grade: $(STAMP)
	@test -n "$$NB" || { echo "usage: make grade NB=path/to/NN_chapter.ipynb [TIMEOUT=60] [TOTAL_TIMEOUT=600] [CHAPTER=NN]" >&2; exit 2; }
	@$(BIN)/python -m coursework.grade "$$NB" --timeout "$$TIMEOUT" --total-timeout "$$TOTAL_TIMEOUT" \
	    $${CHAPTER:+--chapter "$$CHAPTER"}

grade-all: $(STAMP)
	@test -n "$$DIR" || { echo "usage: make grade-all DIR=folder [JOBS=2] [OUT=grades.csv] [CHAPTER=NN] [TIMEOUT=60] [TOTAL_TIMEOUT=600]" >&2; exit 2; }
	@$(BIN)/python -m coursework.grade_all "$$DIR" --jobs "$$JOBS" --out "$${OUT:-grades.csv}" \
	    --timeout "$$TIMEOUT" --total-timeout "$$TOTAL_TIMEOUT" $${CHAPTER:+--chapter "$$CHAPTER"}

# The test step timed against its floor (see tools/bench.py); the numbers also go to _build/bench.json.
bench: $(STAMP)
	@mkdir -p _build
	$(BIN)/python tools/bench.py --pytest-args "$(PYTEST_ARGS)" --workers $(WORKERS) --json _build/bench.json
