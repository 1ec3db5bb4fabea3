"""Write student editions of the lessons: solutions replaced by stubs, outputs cleared.

    python tools/make_student.py [--out build/student] [--engine auto|nbgrader|builtin]

Each region between ``### BEGIN SOLUTION`` and ``### END SOLUTION`` (nbgrader's markers)
becomes ``raise NotImplementedError(...)`` at the marker's indentation. The check cell
after an exercise then reports "not attempted yet". Hidden tests (``### BEGIN HIDDEN
TESTS`` ... ``### END HIDDEN TESTS``) and cells tagged ``instructor-only`` are removed.
Never writes into ``notebooks/``.

The edition is nbgrader's: with nbgrader installed (the ``[instructor]`` extra, which
``make student`` installs) it is made by ``nbgrader generate_assignment`` with the course's
settings (tools/grade.py), exactly what a class receives. Without nbgrader (``--engine
builtin``, or ``auto`` when nbgrader is missing) the same transformation is done here in
plain Python; tests/test_grading.py proves the two give the same cells.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
BEGIN = re.compile(r"^(\s*)### BEGIN SOLUTION\s*$")
END = re.compile(r"^\s*### END SOLUTION\s*$")
BEGIN_HIDDEN = re.compile(r"^\s*### BEGIN HIDDEN TESTS\s*$")
END_HIDDEN = re.compile(r"^\s*### END HIDDEN TESTS\s*$")
INSTRUCTOR_TAG = "instructor-only"
STUB = 'raise NotImplementedError("Exercise: write your code here, then run the check below.")'


def _replace_regions(source: str, what: str, begin: re.Pattern, end: re.Pattern, stub: str | None) -> str:
    """Each region from a ``begin`` line to an ``end`` line (markers included) becomes ``stub``
    at the begin marker's indentation, or nothing when ``stub`` is None."""
    out, inside = [], False
    for line in source.split("\n"):
        if begin.match(line) and not inside:
            inside = True
            if stub is not None:
                out.append(line[:len(line) - len(line.lstrip())] + stub)
        elif inside and end.match(line):
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise ValueError(f"a '### BEGIN {what}' has no matching '### END {what}'")
    return "\n".join(out)


def strip_solutions(source: str) -> str:
    """Replace every solution region of one cell's source with a stub."""
    return _replace_regions(source, "SOLUTION", BEGIN, END, STUB)


def strip_hidden_tests(source: str) -> str:
    """Remove every hidden-test region of one cell's source, markers included."""
    return _replace_regions(source, "HIDDEN TESTS", BEGIN_HIDDEN, END_HIDDEN, None)


def student_edition(nb):
    """A copy of the notebook: instructor-only cells dropped, solutions stubbed, hidden tests
    removed, every output cleared (the builtin engine)."""
    nb = nbformat.from_dict(nb)
    nb.cells = [c for c in nb.cells if INSTRUCTOR_TAG not in c.get("metadata", {}).get("tags", [])]
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.source = strip_hidden_tests(strip_solutions(cell.source))
            cell.outputs = []
            cell.execution_count = None
    nb.metadata.pop("widgets", None)
    return nb


def nbgrader_available() -> bool:
    try:
        import nbgrader  # noqa: F401
    except ImportError:
        return False
    return True


def nbgrader_editions(notebooks: list[Path], out: Path) -> list[Path]:
    """Student editions made by ``nbgrader generate_assignment`` in a scratch course; written to out."""
    import tempfile

    import grade

    written = []
    with tempfile.TemporaryDirectory(prefix="kf-course-") as tmp:
        sources = grade.make_course(Path(tmp), notebooks)
        course = grade.Course(Path(tmp))
        for name, source in sources.items():
            course.generate(name)
            shutil.copy(course.root / "release" / name / source.name, out / source.name)
            written.append(out / source.name)
    return written


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "student")
    parser.add_argument("--src", type=Path, default=ROOT / "notebooks")
    parser.add_argument("--engine", choices=["auto", "nbgrader", "builtin"], default="auto",
                        help="nbgrader's generate_assignment (auto: when installed) or the builtin copy")
    args = parser.parse_args(argv)
    out = args.out.resolve()
    if out == args.src.resolve():
        print("refusing to write student editions over the source notebooks", file=sys.stderr)
        return 2
    engine = args.engine
    if engine == "auto":
        engine = "nbgrader" if nbgrader_available() else "builtin"
    elif engine == "nbgrader" and not nbgrader_available():
        print("--engine nbgrader needs nbgrader: .venv/bin/pip install -e '.[instructor]'", file=sys.stderr)
        return 2
    out.mkdir(parents=True, exist_ok=True)
    sources = sorted(args.src.glob("[0-9][0-9]_*.ipynb"))
    if engine == "nbgrader":
        written = nbgrader_editions(sources, out)
    else:
        written = []
        for path in sources:
            nbformat.write(student_edition(nbformat.read(path, as_version=4)), out / path.name)
            written.append(out / path.name)
    for path in written:
        print(f"wrote {path} ({engine})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
