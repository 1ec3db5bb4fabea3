"""Write nbgrader's cell metadata from the exercise markers (the markers are the source of truth).

    python tools/nbgrader_meta.py [notebooks/NN_name.ipynb ...]          # refresh in place
    python tools/nbgrader_meta.py --check [notebooks/NN_name.ipynb ...]  # report, change nothing
    make grade-meta                                                      # the same as the first

An exercise is a code cell holding a ``### BEGIN SOLUTION`` / ``### END SOLUTION`` region,
followed by its check cell: the next code cell, which calls a check ``exercise_NAME(...)``
(``checks.exercise_peak_labels(peak_labels)``). From that the tool writes, in
``cell.metadata.nbgrader`` (schema 3):

* the solution cell: ``solution: true, grade: false, locked: false``,
  ``grade_id: "NAME_answer"``;
* the check cell, nbgrader's autograded test cell: ``grade: true, solution: false,
  locked: true``, ``grade_id: "exercise_NAME"`` (the check's name: stable while the
  lesson is edited around it) and ``points``.

Points: 1 per exercise (a lesson's total is its number of exercises). A check cell that
contains a comment ``# points: N`` is worth N instead; the comment is part of the source, so
a refresh keeps it.

Every other cell loses any ``nbgrader`` metadata it had. Only metadata changes: sources and
outputs are written back as they were, and a notebook whose metadata is already right is not
rewritten. The tool refuses (exit 2, nothing written) a notebook whose markers it cannot read:
an unclosed region, a region in a markdown cell, an exercise with no check cell after it,
hidden tests outside a check cell, or two exercises with the same check.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
REFRESH = "make grade-meta  (or: python tools/nbgrader_meta.py)"

BEGIN_SOLUTION = re.compile(r"^\s*### BEGIN SOLUTION\s*$", re.M)
END_SOLUTION = re.compile(r"^\s*### END SOLUTION\s*$", re.M)
BEGIN_HIDDEN = re.compile(r"^\s*### BEGIN HIDDEN TESTS\s*$", re.M)
END_HIDDEN = re.compile(r"^\s*### END HIDDEN TESTS\s*$", re.M)
CHECK_CALL = re.compile(r"\b(exercise_\w+)\s*\(")
POINTS = re.compile(r"#\s*points:\s*(\d+)\b")
SCHEMA = 3


class MarkerError(ValueError):
    """The markers of a notebook cannot be turned into nbgrader metadata."""


@dataclass(frozen=True)
class Exercise:
    """One exercise: its solution cell, its check cell (indices into ``nb.cells``), id and points."""

    solution: int
    check: int
    grade_id: str
    points: int

    @property
    def answer_id(self) -> str:
        return self.grade_id.removeprefix("exercise_") + "_answer"


def _balanced(source: str, begin: re.Pattern, end: re.Pattern) -> bool:
    depth = 0
    for line in source.splitlines():
        if begin.match(line):
            if depth:
                return False
            depth = 1
        elif end.match(line):
            if not depth:
                return False
            depth = 0
    return depth == 0


def exercises(nb) -> list[Exercise]:
    """The exercises of a notebook, read from its markers; MarkerError when they don't add up."""
    cells = nb.cells
    found: list[Exercise] = []
    for i, cell in enumerate(cells):
        src = cell.source
        where = f"cell {i}"
        if cell.cell_type != "code":
            if BEGIN_SOLUTION.search(src) or BEGIN_HIDDEN.search(src):
                raise MarkerError(f"{where} is {cell.cell_type}: solution and hidden-test markers "
                                  "belong in code cells")
            continue
        if not _balanced(src, BEGIN_SOLUTION, END_SOLUTION):
            raise MarkerError(f"{where}: '### BEGIN SOLUTION' and '### END SOLUTION' do not pair up")
        if not _balanced(src, BEGIN_HIDDEN, END_HIDDEN):
            raise MarkerError(f"{where}: '### BEGIN HIDDEN TESTS' and '### END HIDDEN TESTS' do "
                              "not pair up")
        if not BEGIN_SOLUTION.search(src):
            continue
        if BEGIN_HIDDEN.search(src):
            raise MarkerError(f"{where}: hidden tests belong in the check cell, not the solution cell")
        j = next((j for j in range(i + 1, len(cells)) if cells[j].cell_type == "code"), None)
        call = CHECK_CALL.search(cells[j].source) if j is not None else None
        if call is None or BEGIN_SOLUTION.search(cells[j].source):
            raise MarkerError(f"{where} holds a solution, but the next code cell does not call a "
                              "check (exercise_...(...)): put the check cell right after it")
        points = POINTS.search(cells[j].source)
        found.append(Exercise(i, j, call.group(1), int(points.group(1)) if points else 1))
    ids = [ex.grade_id for ex in found]
    dupes = sorted({g for g in ids if ids.count(g) > 1})
    if dupes:
        raise MarkerError(f"two exercises use the same check {dupes}: each exercise needs its own")
    checks = {ex.check for ex in found}
    for i, cell in enumerate(cells):
        if cell.cell_type == "code" and BEGIN_HIDDEN.search(cell.source) and i not in checks:
            raise MarkerError(f"cell {i} has hidden tests but is not a check cell: nbgrader would "
                              "leave them in the student edition")
    return found


def expected(nb) -> dict[int, dict]:
    """Cell index -> the ``metadata.nbgrader`` it should carry (cells not listed carry none)."""
    want: dict[int, dict] = {}
    for ex in exercises(nb):
        want[ex.solution] = {"grade": False, "grade_id": ex.answer_id, "locked": False,
                             "schema_version": SCHEMA, "solution": True, "task": False}
        want[ex.check] = {"grade": True, "grade_id": ex.grade_id, "locked": True,
                          "points": ex.points, "schema_version": SCHEMA, "solution": False,
                          "task": False}
    return want


def disagreements(nb) -> list[str]:
    """What differs between the markers and the metadata, one line per cell (empty: in step)."""
    try:
        want = expected(nb)
    except MarkerError as exc:
        return [str(exc)]
    out = []
    for i, cell in enumerate(nb.cells):
        have = cell.get("metadata", {}).get("nbgrader")
        if want.get(i) != (dict(have) if have is not None else None):
            what = want.get(i, {}).get("grade_id") or (have or {}).get("grade_id") or "not an exercise"
            out.append(f"cell {i} ({what}): metadata {dict(have) if have else None}, markers say {want.get(i)}")
    return out


def refresh(nb) -> bool:
    """Write the expected metadata into ``nb``; True when anything changed."""
    want = expected(nb)
    changed = False
    for i, cell in enumerate(nb.cells):
        have = cell.metadata.get("nbgrader")
        if i in want:
            if have is None or dict(have) != want[i]:
                cell.metadata["nbgrader"] = want[i]
                changed = True
        elif have is not None:
            del cell.metadata["nbgrader"]
            changed = True
    return changed


def lesson_notebooks() -> list[Path]:
    return sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="report disagreements, write nothing")
    parser.add_argument("notebooks", nargs="*", type=Path)
    args = parser.parse_args(argv)
    status = 0
    for path in args.notebooks or lesson_notebooks():
        nb = nbformat.read(path, as_version=4)
        if args.check:
            problems = disagreements(nb)
            for line in problems:
                print(f"{path.name}: {line}")
            status = status or (1 if problems else 0)
            continue
        try:
            changed = refresh(nb)
        except MarkerError as exc:
            print(f"{path.name}: {exc}; nothing written", file=sys.stderr)
            status = 2
            continue
        if changed:
            nbformat.write(nb, path)
        n = len(exercises(nb))
        print(f"{path.name}: {n} exercise(s), {sum(e.points for e in exercises(nb))} point(s), "
              f"{'metadata refreshed' if changed else 'already in step'}")
    if args.check and status:
        print(f"nbgrader metadata is out of step with the exercise markers. Refresh it: {REFRESH}")
    return status


if __name__ == "__main__":
    sys.exit(main())
