"""Grade a class's submissions with nbgrader, offline: the course's one grading pipeline.

    python tools/grade.py SUBMISSIONS [--course build/course] [--csv build/grades.csv]
    make grade SUBMISSIONS=path/to/folder

SUBMISSIONS holds one folder per student, named by the student's id, with the lesson
notebooks they handed in (``alice/02_peak_detection.ipynb``; any sub-folder depth; a
notebook is matched to its lesson by the two digits its name starts with). The tool

1. makes (or refreshes) an nbgrader course in ``--course``: ``nbgrader_config.py`` (the
   settings below), every lesson as an assignment ``lessonNN`` holding its notebook;
2. ``nbgrader generate_assignment`` for every lesson (the student editions, as released);
3. copies each submission to ``submitted/STUDENT/lessonNN/``, then per lesson
   ``nbgrader autograde`` (unknown students are added), ``nbgrader generate_feedback``;
4. ``nbgrader export`` to ``--csv`` and prints each student's score per lesson.

Feedback pages for the learners: ``COURSE/feedback/STUDENT/lessonNN/NN_name.html``. Each run
starts the course folder afresh (it refuses a folder it did not make).
Needs the instructor extra: ``pip install -e '.[instructor]'`` (nbgrader). Nothing reaches
the network. The settings in ``nbgrader_config.py`` are the course's: solution regions become
the one-line stub, ``instructor-only`` cells are dropped from student editions, and the
autograding kernel is started with ``--KernelsFilters.grading=True``, which makes a check
that does not pass raise its hint (``helpers.feedback.grading``) so the test cell scores 0.
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from make_student import STUB  # noqa: E402

COURSE_ID = "kernels-filters"
INSTRUCTOR_TAG = "instructor-only"
NAME = re.compile(r"^(\d\d)_")

CONFIG = f'''\
# nbgrader settings of the Kernels & Filters course (written by tools/grade.py; edits are overwritten).
from nbconvert.preprocessors import TagRemovePreprocessor
from nbgrader.converters import GenerateAssignment

c = get_config()  # noqa: F821
c.CourseDirectory.course_id = {COURSE_ID!r}
# the student edition: each solution region becomes this one line (as tools/make_student.py writes it)
c.ClearSolutions.code_stub = {{"python": {STUB!r}}}
# cells tagged {INSTRUCTOR_TAG!r} never reach a student edition
c.TagRemovePreprocessor.enabled = True
c.TagRemovePreprocessor.remove_cell_tags = {{{INSTRUCTOR_TAG!r}}}
c.GenerateAssignment.preprocessors = [TagRemovePreprocessor] + list(GenerateAssignment.preprocessors.make_dynamic_default())
# autograding: checks raise their hint when they do not pass (helpers.feedback.grading)
c.Execute.extra_arguments = ["--HistoryManager.hist_file=:memory:", "--KernelsFilters.grading=True"]
c.Execute.timeout = 600
'''


def lesson_notebooks(src: Path = ROOT / "notebooks") -> list[Path]:
    return sorted(src.glob("[0-9][0-9]_*.ipynb"))


def assignment_of(notebook: Path | str) -> str:
    """``notebooks/02_peak_detection.ipynb`` -> ``lesson02``."""
    match = NAME.match(Path(notebook).name)
    if not match:
        raise ValueError(f"{notebook}: a lesson notebook's name starts with two digits, like 02_...")
    return f"lesson{match.group(1)}"


def use_this_python() -> None:
    """nbgrader runs ``alembic`` from PATH: put this Python's bin/ first (works without activating)."""
    os.environ["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    os.environ["JUPYTER_PREFER_ENV_PATH"] = "1"
    os.environ.pop("KF_GRADING", None)   # grading mode reaches only the autograding kernels (config)


def make_course(course: Path, notebooks: list[Path] | None = None) -> dict[str, Path]:
    """Write the config and the lessons' sources into ``course``; assignment -> source notebook."""
    course.mkdir(parents=True, exist_ok=True)
    (course / "nbgrader_config.py").write_text(CONFIG)
    out = {}
    for path in notebooks or lesson_notebooks():
        name = assignment_of(path)
        folder = course / "source" / name
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        shutil.copy(path, folder / path.name)
        out[name] = folder / path.name
    return out


class Course:
    """An nbgrader course folder driven through nbgrader's own Python API, in this process.

    One process for the whole pipeline: importing nbgrader takes seconds, each CLI command
    would pay it again. Every step raises RuntimeError with nbgrader's log when it fails.
    """

    def __init__(self, root: Path):
        use_this_python()
        from nbgrader.apps import NbGraderAPI
        from nbgrader.coursedir import CourseDirectory
        from traitlets.config.loader import PyFileConfigLoader

        self.root = Path(root).resolve()
        config = PyFileConfigLoader("nbgrader_config.py", path=str(self.root)).load_config()
        config.CourseDirectory.root = str(self.root)
        self.api = NbGraderAPI(CourseDirectory(config=config), config=config)

    def _run(self, what: str, result: dict) -> str:
        if not result.get("success"):
            raise RuntimeError(f"nbgrader {what} failed:\n{result.get('error', '')}\n"
                               f"{result.get('log', '')[-4000:]}")
        return result.get("log", "")

    def generate(self, assignment: str) -> str:
        """``generate_assignment``: release/ASSIGNMENT/NOTEBOOK, and the assignment in the gradebook."""
        return self._run(f"generate_assignment {assignment}",
                         self.api.generate_assignment(assignment, force=True, create=True))

    def students(self, assignment: str) -> list[str]:
        return sorted(p.parent.name for p in (self.root / "submitted").glob(f"*/{assignment}"))

    def autograde(self, assignment: str) -> str:
        """Autograde every submission of the assignment (unknown students are added), then feedback."""
        log = ""
        for student in self.students(assignment):
            log += self._run(f"autograde {assignment} {student}",
                             self.api.autograde(assignment, student, force=True, create=True))
        if log:
            log += self._run(f"generate_feedback {assignment}",
                             self.api.generate_feedback(assignment, force=True))
        return log

    def export(self, csv_path: Path) -> list[dict]:
        """nbgrader's CSV export (``student_id, raw_score, max_score, ...`` per submission); its rows."""
        from nbgrader.api import Gradebook
        from nbgrader.plugins import CsvExportPlugin

        csv_path = Path(csv_path).resolve()
        csv_path.parent.mkdir(parents=True, exist_ok=True)
        with Gradebook(self.api.coursedir.db_url, self.api.coursedir.course_id) as gb:
            CsvExportPlugin(to=str(csv_path)).export(gb)
        with open(csv_path, newline="") as f:
            return list(csv.DictReader(f))


def collect(submissions: Path, course: Path, known: dict[str, Path]) -> list[str]:
    """Copy ``SUBMISSIONS/STUDENT/**/NN_*.ipynb`` to ``submitted/STUDENT/lessonNN/``; messages."""
    notes = []
    for student in sorted(p for p in submissions.iterdir() if p.is_dir()):
        for path in sorted(student.rglob("[0-9][0-9]_*.ipynb")):
            if ".ipynb_checkpoints" in path.parts:
                continue
            name = assignment_of(path)
            if name not in known:
                notes.append(f"skipped {path}: no lesson {name}")
                continue
            dest = course / "submitted" / student.name / name
            dest.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, dest / known[name].name)
    return notes


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("submissions", type=Path, help="one folder per student with their notebooks")
    parser.add_argument("--course", type=Path, default=ROOT / "build" / "course")
    parser.add_argument("--csv", type=Path, default=ROOT / "build" / "grades.csv")
    args = parser.parse_args(argv)
    if not args.submissions.is_dir():
        print(f"{args.submissions} is not a folder (expected one sub-folder per student)", file=sys.stderr)
        return 2
    if args.course.resolve() in (args.submissions.resolve(), *args.submissions.resolve().parents):
        print(f"the submissions are inside {args.course}, which each run rebuilds: move them out",
              file=sys.stderr)
        return 2
    if args.course.exists() and any(args.course.iterdir()):
        config = args.course / "nbgrader_config.py"
        if not (config.exists() and config.read_text().startswith(CONFIG.splitlines()[0])):
            print(f"{args.course} exists and was not made by this tool: choose another --course",
                  file=sys.stderr)
            return 2
    try:
        import nbgrader as _  # noqa: F401
    except ImportError:
        print("grading needs nbgrader: .venv/bin/pip install -e '.[instructor]'", file=sys.stderr)
        return 2
    if args.course.exists():
        shutil.rmtree(args.course)      # each run grades exactly the folder given, from scratch
    known = make_course(args.course)
    course = Course(args.course)
    for name in known:
        course.generate(name)
    for note in collect(args.submissions, course.root, known):
        print(note)
    for name in known:
        course.autograde(name)
    rows = course.export(args.csv)
    for row in rows:
        handed_in = (course.root / "submitted" / row["student_id"] / row["assignment"]).is_dir()
        print(f"{row['student_id']:<20} {row['assignment']:<10} {float(row['raw_score']):g} / "
              f"{float(row['max_score']):g}{'' if handed_in else '  (not handed in)'}")
    print(f"scores: {args.csv}\nfeedback pages: {course.root / 'feedback'}/STUDENT/lessonNN/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
