"""Write student editions of the lessons: solutions replaced by stubs, outputs cleared.

    python tools/make_student.py [--out build/student]

Each region between ``### BEGIN SOLUTION`` and ``### END SOLUTION`` (nbgrader's markers)
becomes ``raise NotImplementedError(...)`` at the marker's indentation. The check cell
after an exercise then reports "not attempted yet". Never writes into ``notebooks/``.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
BEGIN = re.compile(r"^(\s*)### BEGIN SOLUTION\s*$")
END = re.compile(r"^\s*### END SOLUTION\s*$")
STUB = 'raise NotImplementedError("Exercise: write your code here, then run the check below.")'


def strip_solutions(source: str) -> str:
    """Replace every solution region of one cell's source with a stub."""
    out, inside = [], False
    for line in source.splitlines():
        begin = BEGIN.match(line)
        if begin and not inside:
            inside = True
            out.append(begin.group(1) + STUB)
        elif inside and END.match(line):
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise ValueError("a '### BEGIN SOLUTION' has no matching '### END SOLUTION'")
    return "\n".join(out)


def student_edition(nb):
    """A copy of the notebook with solutions stubbed and every output cleared."""
    nb = nbformat.from_dict(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.source = strip_solutions(cell.source)
            cell.outputs = []
            cell.execution_count = None
    nb.metadata.pop("widgets", None)
    return nb


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "student")
    parser.add_argument("--src", type=Path, default=ROOT / "notebooks")
    args = parser.parse_args(argv)
    out = args.out.resolve()
    if out == args.src.resolve():
        print("refusing to write student editions over the source notebooks", file=sys.stderr)
        return 2
    out.mkdir(parents=True, exist_ok=True)
    for path in sorted(args.src.glob("[0-9][0-9]_*.ipynb")):
        nb = student_edition(nbformat.read(path, as_version=4))
        nbformat.write(nb, out / path.name)
        print(f"wrote {out / path.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
