# Kernels & Filters — one command per job. `make help` lists them.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
STAMP  := $(VENV)/.installed
LOCK   := requirements-lock.txt
PORT   ?= 8888
NBVAL  := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg --nbval-cell-timeout 180
export JUPYTER_PREFER_ENV_PATH := 1
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: help install lab test test-lesson execute student bench links links-write guide lock clean

help:
	@echo "make lab          set up (first time) and open the course in JupyterLab"
	@echo "make test         set up (first time) and run every test: helpers, notebooks, browser"
	@echo "make test-lesson L=02   one lesson's notebook and its exercise checks"
	@echo "make execute      re-run notebooks in place (refuses ones with uncommitted edits; FORCE=1)"
	@echo "make student      write student editions (no solutions) to build/student/"
	@echo "make bench        measure speed against the references, write benchmarks/results.json"
	@echo "make links HUB=https://hub.example.edu   Binder, Colab and JupyterHub links (from course.toml)"
	@echo "make links-write  write course.toml's links into each lesson's title and setup cells"
	@echo "make guide        refresh the instructor's guide's tables from the notebooks (times, exercises, points)"

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "Python >= 3.10 is needed; found " + sys.version.split()[0] + ". Run: make PYTHON=python3.11 ...")'
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the project's dependencies change.
$(STAMP): $(PY) pyproject.toml $(LOCK)
	$(PY) -m pip install --quiet --upgrade pip
	@if $(PY) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else 1)'; then \
		echo "installing the locked versions CI tests ($(LOCK))"; \
		$(PY) -m pip install --quiet -c $(LOCK) -e '.[test]'; \
	else \
		echo "note: $(LOCK) was made with Python 3.11; installing compatible ranges from pyproject.toml"; \
		$(PY) -m pip install --quiet -e '.[test]'; \
	fi
	@touch $(STAMP)

install: $(STAMP)

lab: $(STAMP)
	@echo "Starting JupyterLab on 127.0.0.1:$(PORT) (token auth on). Open the URL with ?token=... printed below."
	$(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.port=$(PORT) \
		--ServerApp.root_dir=$(CURDIR) --ServerApp.open_browser=$(if $(CI),False,True) \
		--LabApp.default_url=/lab/tree/notebooks/00_start_here.ipynb \
		--LabApp.news_url=None --LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate \
		--LabApp.extension_manager=readonly $(if $(filter 0,$(shell id -u)),--allow-root)

test: $(STAMP)
	$(PY) -m pytest tests notebooks $(NBVAL)

test-lesson: $(STAMP)
	@test -n "$(L)" || (echo "usage: make test-lesson L=02" && exit 2)
	$(PY) -m pytest notebooks/$(L)_*.ipynb $(wildcard tests/test_checks_lesson$(L).py) $(NBVAL)

execute: $(STAMP)
	$(PY) tools/execute_notebooks.py $(if $(FORCE),--force) $(NB)

student: $(STAMP)
	$(PY) tools/make_student.py --out build/student

bench: $(STAMP)
	$(PY) benchmarks/run.py

links: $(STAMP)
	$(PY) tools/links.py $(if $(HUB),--hub $(HUB))

links-write: $(STAMP)
	$(PY) tools/links.py --write

guide: $(STAMP)
	$(PY) tools/instructor_guide.py

# Maintainers: refresh the lock after changing dependencies (run with Python 3.11).
lock: $(PY)
	$(PY) -m pip install --quiet -e '.[test,hub]'
	$(PY) -m pip freeze --exclude-editable | grep -v '^-e ' > $(LOCK)

clean:
	rm -rf build .pytest_cache
