# Kernels & Filters — one command per job. `make help` lists them.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
LOCK   := requirements-lock.txt
PORT   ?= 8888
NBVAL  := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg --nbval-cell-timeout 180
export JUPYTER_PREFER_ENV_PATH := 1
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: help install install-instructor install-hub install-lab lab test test-student test-lesson execute student bench links links-write guide lock clean

help:
	@echo "make lab          set up (first time) and open the course in JupyterLab"
	@echo "make test         set up (first time) and run every test: helpers, notebooks, browser"
	@echo "make test-lesson L=02   one lesson: its tests (tests/lesson02) and its notebook"
	@echo "make test-student  run every student edition (CI does; make test doesn't, to run each notebook once)"
	@echo "make execute      re-run notebooks in place (refuses ones with uncommitted edits; FORCE=1)"
	@echo "make student      write student editions (no solutions) to build/student/ (nbgrader's generate_assignment)"
	@echo "make grade SUBMISSIONS=folder   autograde a class's notebooks with nbgrader (docs/grading.md)"
	@echo "make grade-meta   refresh the notebooks' nbgrader metadata from the exercise markers"
	@echo "make bench        measure speed against the references, write benchmarks/results.json"
	@echo "make links HUB=https://hub.example.edu   Binder, Colab and JupyterHub links (from course.toml)"
	@echo "make links-write  write course.toml's links into each lesson's title and setup cells"
	@echo "make guide        refresh the instructor's guide's tables from the notebooks (times, exercises, points)"
	@echo "make site         build the course website into build/site/ (offline, from the committed notebooks; HUB=https://... adds a JupyterHub button)"
	@echo "make site-test    build it, then check every page in Chromium with every other host blocked (tests/test_site.py)"

# One clear line when the Python is missing or too old (make's $(error) stops before any recipe runs).
PY_FOUND   = $(shell command -v $(PYTHON) 2>/dev/null)
PY_VERSION = $(shell $(PYTHON) -c 'import sys; print("%d.%d.%d" % tuple(sys.version_info[:3]))' 2>/dev/null)
PY_OLD     = $(shell $(PYTHON) -c 'import sys; print("old" if sys.version_info < (3, 10) else "")' 2>/dev/null)
define need_python
$(if $(PY_FOUND),,$(error No Python at '$(PYTHON)': install Python 3.10 or newer (python.org, or your package manager), or name one: make $(or $(MAKECMDGOALS),lab) PYTHON=/path/to/python3))\
$(if $(PY_VERSION),,$(error '$(PYTHON)' does not run: name a working Python 3.10 or newer: make $(or $(MAKECMDGOALS),lab) PYTHON=/path/to/python3))\
$(if $(PY_OLD),$(error Python 3.10 or newer is needed; '$(PYTHON)' is $(PY_VERSION): install a newer one and run make $(or $(MAKECMDGOALS),lab) PYTHON=python3.11))
endef
# A PYTHON given on the command line or in the environment is one you asked for: a venv made with
# another one is rebuilt. The default python3 keeps whatever .venv has.
SETUP = $(PYTHON) tools/setup_venv.py --venv $(VENV) --python-name '$(PYTHON)' \
	$(if $(filter command line environment,$(origin PYTHON)),--python-explicit)

# Set-up runs every time and returns at once when pyproject.toml, the lock and the venv's Python
# are unchanged since the last install (no network). `make lab` needs only the runtime packages.
install-lab:
	$(need_python)
	@$(SETUP) --stale-ok

install:
	$(need_python)
	@$(SETUP) --extras test

lab: install-lab
	@echo "Starting JupyterLab on 127.0.0.1:$(PORT) (token auth on). Open the URL with ?token=... printed below."
	$(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.port=$(PORT) \
		--ServerApp.root_dir=$(CURDIR) --ServerApp.open_browser=$(if $(CI),False,True) \
		--LabApp.default_url=/lab/tree/notebooks/00_start_here.ipynb \
		--LabApp.news_url=None --LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate \
		--LabApp.extension_manager=readonly $(if $(filter 0,$(shell id -u)),--allow-root)

# Two or more workers (pytest-xdist); --dist loadscope keeps a notebook's cells (and a test
# module's or class's tests) on one worker, in order.
test: install
	$(PY) -m pytest -n auto --maxprocesses 4 --dist loadscope tests notebooks $(NBVAL)

# The student editions executed top to bottom: each fails only in its exercise cells, and each check
# then says "not attempted yet". `make test` leaves this to CI (it would run every notebook twice).
test-student: install
	KF_STUDENT_EDITIONS=1 $(PY) -m pytest -n auto --maxprocesses 4 tests/test_student.py

test-lesson: install
	@test -n "$(L)" || (echo "usage: make test-lesson L=02" && exit 2)
	@test -d tests/lesson$(L) || (echo "no tests/lesson$(L): L is a two-digit lesson number, e.g. L=02" && exit 2)
	$(PY) -m pytest tests/lesson$(L) notebooks/$(L)_*.ipynb $(NBVAL)

execute: install
	$(PY) tools/execute_notebooks.py $(if $(FORCE),--force) $(NB)

student: install-instructor
	$(PY) tools/make_student.py --out build/student

bench: install
	$(PY) benchmarks/run.py

links: install
	$(PY) tools/links.py $(if $(HUB),--hub $(HUB))

links-write: install
	$(PY) tools/links.py --write

guide: install
	$(PY) tools/instructor_guide.py

# Maintainers: refresh the lock after changing dependencies (run with Python 3.11). The venv has
# no pip: uv (put there by the set-up) resolves and lists.
lock: install
	$(BIN)/uv pip install --quiet --python $(PY) -e '.[test,hub,instructor]'
	$(BIN)/uv pip freeze --python $(PY) --exclude-editable | grep -v -e "^-e " -e "^uv==" > $(LOCK)

clean:
	rm -rf build .pytest_cache

# ---- the course website (issue 16): Jupyter Book 1 in its own venv (build/site-venv, from
# site/requirements.txt), browser-side files from npm (site/package-lock.json); never executes.
site: install-lab
	$(PY) tools/build_site.py $(if $(HUB),--hub $(HUB))

site-test: site install
	REQUIRE_SITE=1 $(PY) -m pytest -p no:cacheprovider tests/test_site.py

# ---- grading with nbgrader (instructors; issue 14). Learners never install nbgrader.
.PHONY: grade grade-meta

install-instructor:
	$(need_python)
	@$(SETUP) --extras test --extras instructor

install-hub:
	$(need_python)
	@$(SETUP) --extras test --extras hub

grade: install-instructor
	@test -n "$(SUBMISSIONS)" || (echo "usage: make grade SUBMISSIONS=folder  (one sub-folder per student; see docs/grading.md)" && exit 2)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(PY) tools/grade.py "$(SUBMISSIONS)" --course build/course --csv build/grades.csv

grade-meta: install
	$(PY) tools/nbgrader_meta.py
