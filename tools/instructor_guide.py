"""Refresh the parts of docs/instructor-guide.md that come from the notebooks.

    python tools/instructor_guide.py           # rewrite the generated blocks
    python tools/instructor_guide.py --check   # exit 1 if a block is out of date

A generated block sits between ``<!-- generated:NAME -->`` and ``<!-- /generated:NAME -->``:
``overview`` (time, exercises and points per lesson), ``lesson-NN`` (the lesson's title cell:
promise, objectives, prerequisites, classroom time, what to skip in 50 minutes) and
``exercises`` (every exercise with its points, read from the notebooks' nbgrader metadata).
Everything outside the blocks is written by hand and left alone.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "instructor-guide.md"
NOTEBOOKS = ROOT / "notebooks"
EXERCISE = re.compile(r"^#{2,6}\s*Exercise\s+(\d\d\.\d+)\s*[:.]?\s*(.*?)\s*$", re.M)
LAUNCH_MARK = "<!-- launch links:"
BLOCK = re.compile(r"(<!-- generated:([\w-]+) -->\n)(.*?)(<!-- /generated:\2 -->)", re.S)


def lessons(folder: Path = NOTEBOOKS) -> list[Path]:
    return sorted(Path(folder).glob("[0-9][0-9]_*.ipynb"))


def _points(cell) -> float:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return float(meta.get("points", 0)) if meta.get("grade") else 0.0


def exercises(nb) -> list[dict]:
    """Each exercise of a notebook in order: number, title, points (None without nbgrader metadata)."""
    found, current = [], None
    graded_anywhere = any(c.get("metadata", {}).get("nbgrader", {}).get("grade") for c in nb.cells)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for number, title in EXERCISE.findall(cell.source):
                current = {"number": number, "title": title.strip().replace("|", "/"),
                           "points": 0.0 if graded_anywhere else None}
                found.append(current)
        elif current is not None and current["points"] is not None:
            current["points"] += _points(cell)
    return found


def title_parts(nb) -> tuple[str, str]:
    """(heading, body) of the title cell, without the launch-links line."""
    lines = [l for l in nb.cells[0].source.split("\n") if LAUNCH_MARK not in l]
    heading = lines[0].lstrip("# ").strip()
    return heading, "\n".join(lines[1:]).strip()


def _time(body: str) -> str:
    found = re.search(r"Classroom time:\*?\s*([^.*\n]+)", body)
    return found.group(1).strip() if found else "not stated"


def _fmt(points) -> str:
    if points is None:
        return "not set"
    return f"{points:g}"


def blocks(folder: Path = NOTEBOOKS) -> dict[str, str]:
    """The text of every generated block."""
    out = {}
    rows = ["| lesson | classroom time | exercises | points |", "|---|---|---|---|"]
    table = ["| lesson | exercise | what it asks | points |", "|---|---|---|---|"]
    for path in lessons(folder):
        nb = nbformat.read(path, as_version=4)
        heading, body = title_parts(nb)
        found = exercises(nb)
        total = None if any(e["points"] is None for e in found) else sum(e["points"] for e in found)
        link = f"[{heading}](../notebooks/{path.name})"
        rows.append(f"| {link} | {_time(body)} | {len(found)} | {_fmt(total)} |")
        for e in found:
            table.append(f"| {path.name[:2]} | {e['number']} | {e['title'] or '-'} | {_fmt(e['points'])} |")
        body = re.sub(r"^#", "####", body, flags=re.M)   # keep any heading below the guide's own
        out[f"lesson-{path.name[:2]}"] = f"From the lesson's title cell ({link}):\n\n{body}\n"
    out["overview"] = "\n".join(rows) + "\n"
    out["exercises"] = "\n".join(table) + "\n"
    return out


def refresh(text: str, generated: dict[str, str]) -> str:
    def replace(match):
        name = match.group(2)
        if name not in generated:
            raise KeyError(f"docs/instructor-guide.md has a block {name!r} that no notebook fills")
        return match.group(1) + generated[name] + match.group(4)
    return BLOCK.sub(replace, text)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="exit 1 if the guide is out of date")
    parser.add_argument("--guide", type=Path, default=GUIDE)
    args = parser.parse_args(argv)
    text = args.guide.read_text()
    generated = blocks()
    missing = sorted(set(generated) - set(m.group(2) for m in BLOCK.finditer(text)))
    if missing:
        print(f"{args.guide.name} lacks the blocks: {', '.join(missing)}", file=sys.stderr)
        return 1
    new = refresh(text, generated)
    if new == text:
        print(f"{args.guide.name} is up to date")
        return 0
    if args.check:
        print(f"{args.guide.name} is out of date: run `python tools/instructor_guide.py`", file=sys.stderr)
        return 1
    args.guide.write_text(new)
    print(f"refreshed {args.guide.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
