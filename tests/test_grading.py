"""Grading with nbgrader: metadata in step with the markers, checks that raise when graded, one
student edition, and the whole pipeline (generate, autograde, feedback, export) run offline.

The pipeline tests need nbgrader (``pip install -e '.[instructor]'``); without it they are
skipped, unless ``REQUIRE_NBGRADER=1`` (CI) turns the skip into a failure.
"""
from __future__ import annotations

import html
import json
import os
import re
import runpy
import sys
import time
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import make_student  # noqa: E402
import nbgrader_meta  # noqa: E402
from nbgrader_meta import REFRESH, MarkerError, disagreements, exercises  # noqa: E402

from helpers import feedback  # noqa: E402
from helpers.feedback import ExerciseNotPassed  # noqa: E402
from helpers.lesson00 import checks as lesson00  # noqa: E402

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
IDS = [p.stem for p in NOTEBOOKS]
SOLUTION_REGION = re.compile(r"### BEGIN SOLUTION\n(.*?)\n\s*### END SOLUTION", re.S)
HIDDEN_REGION = re.compile(r"### BEGIN HIDDEN TESTS\n(.*?)\n\s*### END HIDDEN TESTS", re.S)


def lesson_of(path: Path) -> str:
    return path.name[:2]


def wrong_answers(path: Path) -> dict:
    if path.name == DEMO_NAME:
        return DEMO_WRONG
    table = ROOT / "tests" / f"lesson{lesson_of(path)}" / "wrong_answers.py"
    return runpy.run_path(str(table))["WRONG_ANSWERS"] if table.exists() else {}


def read(path: Path):
    return nbformat.read(path, as_version=4)


# A made-up lesson that no real lesson replaces: it carries what the lessons may use and
# nbgrader must handle, a hidden test and an instructor-only cell, through the whole pipeline.
DEMO_NAME = "98_grading_demo.ipynb"
DEMO_NOTE = "Instructor note: the answer doubles x; 3 + 3 passes the visible test only."
DEMO_HIDDEN = "assert double(-4) == -8, 'a hidden test: double(-4) should be -8'"
DEMO_WRONG = {"exercise_double": {"code": "return x + 3", "hint": "a hidden test: double(-4) should be -8"}}


def demo_notebook(folder: Path) -> Path:
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                           "language": "python"}})
    nb.cells = [
        nbformat.v4.new_code_cell("from helpers.feedback import run_check\n\n\n"
                                  "def exercise_double(fn):\n"
                                  "    return run_check('Exercise 98.1 (double)', lambda: None if fn(3) == 6 else\n"
                                  "                     f'double(3) gave {fn(3)}, expected 6.')"),
        nbformat.v4.new_markdown_cell(DEMO_NOTE, metadata={"tags": ["instructor-only"]}),
        nbformat.v4.new_code_cell("def double(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION"),
        nbformat.v4.new_code_cell("exercise_double(double)\n### BEGIN HIDDEN TESTS\n" + DEMO_HIDDEN
                                  + "\n### END HIDDEN TESTS"),
    ]
    nbgrader_meta.refresh(nb)
    path = folder / DEMO_NAME
    nbformat.write(nb, path)
    return path


# ------------------------------------------------------------------ metadata written from the markers
@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_nbgrader_metadata_matches_the_markers(path):
    problems = disagreements(read(path))
    assert not problems, (f"{path.name}: nbgrader metadata is out of step with the exercise markers:\n  "
                          + "\n  ".join(problems) + f"\nRefresh it: {REFRESH}")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_every_exercise_is_graded_and_locked(path):
    nb = read(path)
    found = exercises(nb)
    assert found, "every lesson has exercises"
    for ex in found:
        check = nb.cells[ex.check].metadata["nbgrader"]
        assert check["grade"] and check["locked"] and check["points"] == ex.points >= 1
        assert nb.cells[ex.solution].metadata["nbgrader"]["solution"] is True
        assert f"{ex.grade_id}(" in nb.cells[ex.check].source


def _tiny_notebook(check_source="checks.exercise_double(double)"):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# A lesson"),
                nbformat.v4.new_code_cell("def double(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n"
                                          "    ### END SOLUTION"),
                nbformat.v4.new_code_cell(check_source)]
    return nb


def test_an_edit_without_a_refresh_fails_with_the_command_to_run(tmp_path, capsys):
    path = tmp_path / "09_demo.ipynb"
    nb = _tiny_notebook()
    nbgrader_meta.refresh(nb)
    nb.cells[2].source = "checks.exercise_twice(double)  # points: 3"     # the lesson was edited
    nbformat.write(nb, path)
    assert nbgrader_meta.main(["--check", str(path)]) == 1
    out = capsys.readouterr().out
    assert "exercise_twice" in out and "make grade-meta" in out and "tools/nbgrader_meta.py" in out
    assert nbgrader_meta.main([str(path)]) == 0
    meta = read(path).cells[2].metadata["nbgrader"]
    assert (meta["grade_id"], meta["points"]) == ("exercise_twice", 3)
    assert read(path).cells[1].metadata["nbgrader"]["grade_id"] == "twice_answer"
    assert nbgrader_meta.main(["--check", str(path)]) == 0
    mtime = path.stat().st_mtime_ns
    assert nbgrader_meta.main([str(path)]) == 0 and path.stat().st_mtime_ns == mtime  # in step: not rewritten


def test_metadata_leaves_a_cell_that_is_no_longer_an_exercise():
    nb = _tiny_notebook()
    nbgrader_meta.refresh(nb)
    nb.cells[1].source = "def double(x):\n    return 2 * x"               # the exercise became prose code
    nb.cells[2].source = "double(3)"
    assert len(disagreements(nb)) == 2
    nbgrader_meta.refresh(nb)
    assert all("nbgrader" not in c.metadata for c in nb.cells)


@pytest.mark.parametrize("cells, message", [
    (["### BEGIN SOLUTION\nx = 1\n### END SOLUTION", "print(x)"], "does not call a check"),
    (["### BEGIN SOLUTION\nx = 1", "checks.exercise_x(x)"], "do not pair up"),
    (["### BEGIN SOLUTION\nx = 1\n### END SOLUTION", "checks.exercise_x(x)",
      "### BEGIN HIDDEN TESTS\nassert x\n### END HIDDEN TESTS"], "not a check cell"),
    (["### BEGIN SOLUTION\nx = 1\n### END SOLUTION", "checks.exercise_x(x)",
      "### BEGIN SOLUTION\ny = 1\n### END SOLUTION", "checks.exercise_x(y)"], "same check"),
])
def test_markers_the_tool_refuses(cells, message):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in cells])
    with pytest.raises(MarkerError, match=message):
        nbgrader_meta.refresh(nb)


# ------------------------------------------------------------------ every exercise has a typical wrong answer
@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_every_exercise_has_a_registered_wrong_answer(path):
    ids = {ex.grade_id for ex in exercises(read(path))}
    table = wrong_answers(path)
    missing, stale = sorted(ids - set(table)), sorted(set(table) - ids)
    assert not missing, (f"{path.name}: no typical wrong answer for {missing}: add one to "
                         f"tests/lesson{lesson_of(path)}/wrong_answers.py (code + a piece of its hint)")
    assert not stale, f"tests/lesson{lesson_of(path)}/wrong_answers.py lists exercises that no longer exist: {stale}"
    for grade_id, entry in table.items():
        assert entry["code"].strip() and entry["hint"].strip(), grade_id
        assert "NotImplementedError" not in entry["code"], f"{grade_id}: a wrong answer, not the stub"


def _imports(nb) -> dict:
    """A namespace holding the notebook's top-level imports (nothing else of it runs)."""
    import ast

    body = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:          # IPython magics
            continue
        for node in tree.body:       # top-level imports, also those inside a try: (the set-up cell)
            for inner in [node] + (node.body if isinstance(node, ast.Try) else []):
                if isinstance(inner, (ast.Import, ast.ImportFrom)):
                    body.append(inner)
    namespace: dict = {}
    exec(compile(ast.Module(body=body, type_ignores=[]), "<imports>", "exec"), namespace)
    return namespace


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_each_wrong_answer_gets_its_hint_from_the_check(path, monkeypatch):
    """The quick version of the pipeline's wrong-answer test (no nbgrader, no notebook run): the
    solution cell with its wrong answer, then the check cell, with only the notebook's imports."""
    monkeypatch.delenv("KF_GRADING", raising=False)
    nb = read(path)
    table = wrong_answers(path)
    for ex in exercises(nb):
        if ex.grade_id not in table:
            continue
        solution, check = nb.cells[ex.solution].source, nb.cells[ex.check].source
        right = _imports(nb)
        exec(_without_markers(solution), right)
        if getattr(eval(check, right), "passed", None) is not True:
            continue                 # the exercise needs more of the notebook: the pipeline test covers it
        wrong = _imports(nb)
        exec(_with_wrong_answer(solution, table[ex.grade_id]["code"]), wrong)
        verdict = eval(check, wrong)
        assert verdict.passed is False, f"{ex.grade_id}: the wrong answer passes its check"
        assert table[ex.grade_id]["hint"] in verdict.message, f"{ex.grade_id}: the check said {verdict.message!r}"


# ------------------------------------------------------------------ checks that grade
def _wrong(n, k):
    return n - k


def _stub(n, k):
    raise NotImplementedError


def test_checks_return_feedback_when_not_graded(monkeypatch):
    monkeypatch.delenv("KF_GRADING", raising=False)
    assert feedback.grading() is False
    assert lesson00.exercise_valid_length(_wrong).passed is False
    assert lesson00.exercise_valid_length(_stub).passed is None


def test_graded_checks_raise_the_same_hint_in_one_line(monkeypatch):
    monkeypatch.delenv("KF_GRADING", raising=False)
    hint = lesson00.exercise_valid_length(_wrong).message
    monkeypatch.setenv("KF_GRADING", "1")
    assert feedback.grading() is True
    with pytest.raises(ExerciseNotPassed) as wrong:
        lesson00.exercise_valid_length(_wrong)
    assert hint in str(wrong.value) and "not yet" in str(wrong.value)
    assert wrong.value._render_traceback_() == [f"ExerciseNotPassed: {wrong.value}"]
    with pytest.raises(ExerciseNotPassed, match="not attempted yet"):
        lesson00.exercise_valid_length(_stub)


def test_a_graded_pass_is_shown_not_returned(monkeypatch, capsys):
    monkeypatch.setenv("KF_GRADING", "1")
    assert lesson00.exercise_valid_length(lambda n, k: n - k + 1) is None   # a returned value is a score
    assert "correct" in capsys.readouterr().out


# ------------------------------------------------------------------ the builtin student edition
def test_builtin_edition_drops_instructor_only_cells_and_hidden_tests():
    nb = _tiny_notebook("checks.exercise_double(double)\n### BEGIN HIDDEN TESTS\nassert double(21) == 42\n"
                        "### END HIDDEN TESTS")
    nb.cells.insert(1, nbformat.v4.new_markdown_cell("Instructor: the answer is 2x.",
                                                     metadata={"tags": ["instructor-only"]}))
    student = make_student.student_edition(nb)
    text = "\n".join(c.source for c in student.cells)
    assert len(student.cells) == 3
    assert "answer is 2x" not in text and "2 * x" not in text and "double(21)" not in text
    assert "HIDDEN" not in text and student.cells[2].source == "checks.exercise_double(double)"


# ------------------------------------------------------------------ the pipeline, offline
def _nbgrader():
    try:
        import nbgrader  # noqa: F401
    except ImportError:
        if os.environ.get("REQUIRE_NBGRADER") == "1":
            pytest.fail("REQUIRE_NBGRADER=1 but nbgrader is not installed: pip install -e '.[instructor]'")
        pytest.skip("nbgrader is not installed (pip install -e '.[instructor]')")


def _without_markers(source: str) -> str:
    return "\n".join(line for line in source.split("\n")
                     if "### BEGIN SOLUTION" not in line and "### END SOLUTION" not in line)


def _with_wrong_answer(source: str, code: str) -> str:
    out, inside = [], False
    for line in source.split("\n"):
        if "### BEGIN SOLUTION" in line:
            inside = True
            indent = line[:len(line) - len(line.lstrip())]
            out += [indent + c if c else c for c in code.split("\n")]
        elif "### END SOLUTION" in line:
            inside = False
        elif not inside:
            out.append(line)
    return "\n".join(out)


def _submission(release, source, kind: str, table: dict):
    """The released notebook as a learner hands it in: untouched, solved, or with typical wrong answers."""
    nb = nbformat.from_dict(json.loads(json.dumps(release)))
    by_answer = {ex.answer_id: ex for ex in exercises(source)}
    for cell in nb.cells:
        ex = by_answer.get(cell.metadata.get("nbgrader", {}).get("grade_id"))
        if ex is None or kind == "untouched":
            continue
        original = source.cells[ex.solution].source
        if kind == "wrong" and ex.grade_id in table:
            cell.source = _with_wrong_answer(original, table[ex.grade_id]["code"])
        else:
            cell.source = _without_markers(original)
    return nb


KINDS = ("solutions", "untouched", "wrong")


def _grade_group(root: str, units: list[tuple[str, str]]) -> dict:
    """One nbgrader course holding some (lesson, submission kind) units: generate, write the
    submissions, autograde, feedback, export. Runs in its own process (nbgrader changes
    directory and environment)."""
    import grade
    from nbgrader.api import Gradebook

    root_path = Path(root)
    paths = sorted({Path(p) for p, _ in units})
    times, scores = {}, {}
    start = time.perf_counter()
    sources = grade.make_course(root_path, paths)
    course = grade.Course(root_path)
    kinds = {name: [k for p, k in units if grade.assignment_of(p) == name] for name in sources}
    for name, path in sources.items():
        t = time.perf_counter()
        course.generate(name)
        release = read(root_path / "release" / name / path.name)
        for kind in kinds[name]:
            folder = root_path / "submitted" / kind / name
            folder.mkdir(parents=True)
            nbformat.write(_submission(release, read(path), kind, wrong_answers(path)), folder / path.name)
        course.autograde(name)
        times[f"{name} {'+'.join(kinds[name])}"] = time.perf_counter() - t
    rows = course.export(root_path / "grades.csv")
    with Gradebook(course.api.coursedir.db_url, grade.COURSE_ID) as gb:
        for name, path in sources.items():
            for kind in kinds[name]:
                sub = gb.find_submission_notebook(path.stem, name, kind)
                scores[f"{name}|{kind}"] = {g.name: (g.score, g.max_score) for g in sub.grades}
    times[f"course {root_path.name}"] = time.perf_counter() - start
    return {"root": root, "units": [[grade.assignment_of(p), k] for p, k in units], "rows": rows,
            "scores": scores, "times": times}


def _two_groups(paths: list[Path]) -> list[list[tuple[str, str]]]:
    """Split the (lesson, submission) units into two groups of about equal run time, using the
    lessons' measured times (benchmarks/results.json); a long lesson's submissions may be split."""
    try:
        seconds = json.loads((ROOT / "benchmarks" / "results.json").read_text())["notebook_seconds"]
    except (OSError, KeyError, ValueError):
        seconds = {}
    units = [(p, k) for p in paths for k in KINDS]
    cost = {p: float(seconds.get(p.stem, 5.0)) + 2.0 for p in paths}     # + kernel start, nbgrader
    groups: list[list[tuple[str, str]]] = [[], []]
    load = [0.0, 0.0]
    for path, kind in sorted(units, key=lambda u: (-cost[u[0]], u[0].name, KINDS.index(u[1]))):
        i = load.index(min(load))
        groups[i].append((str(path), kind))
        load[i] += cost[path] + 5.0 * (path not in {Path(q) for q, _ in groups[i][:-1]})  # generate
    return [g for g in groups if g]


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory):
    """Every lesson an nbgrader assignment, three submissions each, all graded; two courses
    (about half the work each) run side by side, one per core."""
    _nbgrader()
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    groups = _two_groups(NOTEBOOKS)
    demo = demo_notebook(tmp_path_factory.mktemp("demo"))
    groups[-1] += [(str(demo), kind) for kind in KINDS]
    roots = [tmp_path_factory.mktemp(f"course{i}") for i in range(len(groups))]
    start = time.perf_counter()
    with ProcessPoolExecutor(len(groups), mp_context=get_context("spawn")) as pool:
        results = list(pool.map(_grade_group, [str(r) for r in roots], groups))
    elapsed = time.perf_counter() - start
    where, rows, scores, times = {}, {}, {}, {"wall": elapsed}
    for result in results:
        for name, kind in result["units"]:
            where[name, kind] = Path(result["root"])
            where.setdefault(name, Path(result["root"]))
        mine = {tuple(u) for u in result["units"]}
        rows.update({(r["assignment"], r["student_id"]): r for r in result["rows"]
                     if (r["assignment"], r["student_id"]) in mine})
        scores.update({tuple(k.split("|")): v for k, v in result["scores"].items()})
        times.update(result["times"])
    print("grading pipeline seconds:", {k: round(v, 1) for k, v in times.items()})
    (roots[0] / "times.json").write_text(json.dumps(times, indent=1))
    return {"where": where, "rows": rows, "scores": scores, "times": times, "demo": demo}


def _case(path):
    return pytest.param(path, id=path.stem)


CASES = [_case(p) for p in NOTEBOOKS]


@pytest.mark.grading
def test_hidden_tests_and_instructor_only_cells_reach_the_grader_not_the_learner(pipeline):
    demo = pipeline["demo"]
    name = f"lesson{lesson_of(demo)}"
    release = read(pipeline["where"][name] / "release" / name / demo.name)
    text = "\n".join(c.source for c in release.cells)
    assert DEMO_NOTE not in text and "double(-4)" not in text and "2 * x" not in text
    assert [(c.cell_type, c.source) for c in release.cells] == \
        [(c.cell_type, c.source) for c in make_student.student_edition(read(demo)).cells]
    assert pipeline["scores"][name, "solutions"] == {"exercise_double": (1, 1)}
    assert pipeline["scores"][name, "untouched"] == {"exercise_double": (0, 1)}
    # x + 3 passes the visible check (3 + 3 == 6); the hidden test, restored by nbgrader, fails it
    assert pipeline["scores"][name, "wrong"] == {"exercise_double": (0, 1)}
    assert DEMO_WRONG["exercise_double"]["hint"] in _feedback_text(pipeline, demo, "wrong")
pipeline_test = pytest.mark.grading


def _total(pipeline, path, kind):
    name = f"lesson{lesson_of(path)}"
    row = pipeline["rows"][name, kind]
    return float(row["raw_score"]), float(row["max_score"])


def _graded(pipeline, path, kind):
    name = f"lesson{lesson_of(path)}"
    return read(pipeline["where"][name, kind] / "autograded" / kind / name / path.name)


def _feedback_text(pipeline, path, kind) -> str:
    name = f"lesson{lesson_of(path)}"
    page = (pipeline["where"][name, kind] / "feedback" / kind / name / path.with_suffix(".html").name).read_text()
    return html.unescape(re.sub(r"<[^>]+>", "", page))


@pipeline_test
@pytest.mark.parametrize("path", CASES)
def test_nbgrader_release_is_the_student_edition(pipeline, path):
    name = f"lesson{lesson_of(path)}"
    release = read(pipeline["where"][name] / "release" / name / path.name)
    builtin = make_student.student_edition(read(path))
    assert [(c.cell_type, c.source) for c in release.cells] == [(c.cell_type, c.source) for c in builtin.cells]
    source = read(path)
    text = "\n".join(c.source for c in release.cells)
    for cell in source.cells:
        for region in SOLUTION_REGION.findall(cell.source) + HIDDEN_REGION.findall(cell.source):
            assert region.strip() not in text
        if "instructor-only" in cell.metadata.get("tags", []):
            assert cell.source.strip() not in text
    assert "BEGIN SOLUTION" not in text and "HIDDEN TESTS" not in text
    assert all(not c.get("outputs") for c in release.cells if c.cell_type == "code")


@pipeline_test
@pytest.mark.parametrize("path", CASES)
def test_the_instructor_solutions_score_the_total(pipeline, path):
    got, total = _total(pipeline, path, "solutions")
    assert total == sum(ex.points for ex in exercises(read(path))) and got == total, \
        pipeline["scores"][f"lesson{lesson_of(path)}", "solutions"]


@pipeline_test
@pytest.mark.parametrize("path", CASES)
def test_the_untouched_edition_scores_zero_without_a_traceback_wall(pipeline, path):
    assert _total(pipeline, path, "untouched")[0] == 0
    graded = _graded(pipeline, path, "untouched")
    for i, cell in enumerate(graded.cells):
        for out in cell.get("outputs", []):
            if out.output_type != "error":
                continue
            graded_cell = cell.metadata.get("nbgrader", {}).get("grade")
            # a cell may call a check on a wrong answer on purpose, to show what a hint looks
            # like: graded, it raises too (it carries no points); anything else must not fail
            demo = nbgrader_meta.CHECK_CALL.search(cell.source) and out.ename == "ExerciseNotPassed"
            assert graded_cell or demo, f"cell {i} (not a check) failed: {out.ename}: {out.evalue}"
            assert out.ename == "ExerciseNotPassed", f"cell {i}: {out.ename}: {out.evalue}"
            assert not graded_cell or "not attempted yet" in out.evalue, f"cell {i}: {out.evalue}"
            assert len(out.traceback) == 1, out.traceback


@pipeline_test
@pytest.mark.parametrize("path", CASES)
def test_each_wrong_answer_loses_its_points_and_shows_its_hint(pipeline, path):
    name = f"lesson{lesson_of(path)}"
    table = wrong_answers(path)
    scores = pipeline["scores"][name, "wrong"]
    graded = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in _graded(pipeline, path, "wrong").cells}
    page = _feedback_text(pipeline, path, "wrong")
    lost = 0
    for ex in exercises(read(path)):
        if ex.grade_id not in table:
            assert scores[ex.grade_id] == (ex.points, ex.points)      # reported by the table test
            continue
        hint = table[ex.grade_id]["hint"]
        assert scores[ex.grade_id] == (0, ex.points), f"{ex.grade_id}: the wrong answer scored"
        errors = [o for o in graded[ex.grade_id].outputs if o.output_type == "error"]
        assert errors and errors[0].ename == "ExerciseNotPassed", ex.grade_id
        assert hint in errors[0].evalue, f"{ex.grade_id}: the check said {errors[0].evalue!r}"
        assert hint in page, f"{ex.grade_id}: the feedback page does not show {hint!r}"
        lost += ex.points
    got, total = _total(pipeline, path, "wrong")
    assert got == total - lost


# ------------------------------------------------------------------ make grade: a folder of real submissions
def test_collect_files_each_learners_notebooks_under_their_lesson(tmp_path):
    import grade

    subs = tmp_path / "subs"
    (subs / "alice").mkdir(parents=True)
    (subs / "bob" / "week2").mkdir(parents=True)
    (subs / "bob" / ".ipynb_checkpoints").mkdir()
    (subs / "alice" / "02_peak_detection.ipynb").write_text("{}")
    (subs / "bob" / "week2" / "02_peak_detection (1).ipynb").write_text("{}")
    (subs / "bob" / ".ipynb_checkpoints" / "02_peak_detection-checkpoint.ipynb").write_text("{}")
    (subs / "bob" / "99_unknown.ipynb").write_text("{}")
    known = {"lesson02": Path("source/lesson02/02_peak_detection.ipynb")}
    notes = grade.collect(subs, tmp_path / "course", known)
    got = sorted(p.relative_to(tmp_path / "course").as_posix() for p in (tmp_path / "course").rglob("*.ipynb"))
    assert got == ["submitted/alice/lesson02/02_peak_detection.ipynb",
                   "submitted/bob/lesson02/02_peak_detection.ipynb"]
    assert len(notes) == 1 and "99_unknown" in notes[0]
    assert grade.assignment_of("notebooks/02_peak_detection.ipynb") == "lesson02"
    with pytest.raises(ValueError, match="two digits"):
        grade.assignment_of("peaks.ipynb")


def test_grade_refuses_a_missing_folder(tmp_path, capsys):
    import grade

    assert grade.main([str(tmp_path / "nowhere")]) == 2
    assert "not a folder" in capsys.readouterr().err


def test_grade_never_deletes_a_folder_it_did_not_make(tmp_path, capsys):
    import grade

    (tmp_path / "subs").mkdir()
    mine = tmp_path / "my-course"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")
    assert grade.main([str(tmp_path / "subs"), "--course", str(mine)]) == 2
    assert (mine / "notes.txt").read_text() == "keep me" and "not made by this tool" in capsys.readouterr().err


def test_grade_refuses_submissions_inside_the_course_it_rebuilds(tmp_path, capsys):
    import grade

    (tmp_path / "course" / "subs").mkdir(parents=True)
    assert grade.main([str(tmp_path / "course" / "subs"), "--course", str(tmp_path / "course")]) == 2
    assert (tmp_path / "course" / "subs").is_dir() and "move them out" in capsys.readouterr().err
