"""docs/instructor-guide.md covers every lesson and way of teaching, and its tables match the notebooks."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import instructor_guide  # noqa: E402

GUIDE = (ROOT / "docs" / "instructor-guide.md").read_text()


def test_generated_blocks_match_the_notebooks():
    assert instructor_guide.main(["--check"]) == 0, "run: python tools/instructor_guide.py"


def test_every_lesson_has_its_title_cell_and_teaching_notes():
    for path in instructor_guide.lessons():
        number = path.name[:2]
        section = GUIDE.split(f"\n### {number} · ", 1)[1].split("\n## ", 1)[0].split("\n### ", 1)[0]
        assert "<!-- generated:lesson-" + number + " -->" in section
        assert "*Teaching notes.*" in section and "Misconceptions to expect" in section
        title = nbformat.read(path, as_version=4).cells[0].source
        objectives = [l for l in title.splitlines() if l.startswith("- ")]
        assert objectives and all(o in section for o in objectives), f"lesson {number}'s objectives"


def test_every_way_of_running_the_class_and_grading_is_covered():
    for heading in ("### Laptops: `make lab`", "### One server: The Littlest JupyterHub",
                    "### Large classes: Zero to JupyterHub on Kubernetes", "### Binder", "### Colab",
                    "## Grading with nbgrader", "## What hidden tests can and cannot hide"):
        assert heading in GUIDE, heading
    for command in ("generate_assignment", "autograde", "--create", "generate_feedback", "export",
                    "make links HUB=", "--target-repo-dir", "make student"):
        assert command in GUIDE, command
    assert "(sources.md)" in GUIDE and "(grading.md)" in GUIDE
    assert "docs/instructor-guide.md" in (ROOT / "README.md").read_text(), "the README links the guide"
    assert not re.search(r"seed \d{3}|\b00[0-4]_[0-9a-f]{6}", GUIDE), "name posts by site and title"


def _lesson(tmp_path, graded: bool) -> Path:
    def grade(points):
        return {"nbgrader": {"grade": True, "solution": False, "locked": True, "points": points,
                             "grade_id": f"check{points}", "schema_version": 3}} if graded else {}
    nb = new_notebook(cells=[
        new_markdown_cell("# 09 · Demo\n\n**A promise.**\n\n- one objective\n\n*Classroom time:* about 20 minutes."),
        new_markdown_cell("### Exercise 09.1 (fill one line)\n\nText."),
        new_code_cell("def f():\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION"),
        new_code_cell("assert f() == 1", metadata=grade(2)),
        new_markdown_cell("Between exercises.\n\n### Exercise 09.2: design | a kernel"),
        new_code_cell("x = 1", metadata=grade(3)),
        new_code_cell("assert x == 1", metadata=grade(1)),
    ])
    path = tmp_path / "09_demo.ipynb"
    nbformat.write(nb, path)
    return path


def test_points_come_from_nbgrader_metadata(tmp_path):
    nb = nbformat.read(_lesson(tmp_path, graded=True), as_version=4)
    assert instructor_guide.exercises(nb) == [
        {"number": "09.1", "title": "(fill one line)", "points": 2.0},
        {"number": "09.2", "title": "design / a kernel", "points": 4.0}]
    blocks = instructor_guide.blocks(tmp_path)
    assert "| [09 · Demo](../notebooks/09_demo.ipynb) | about 20 minutes | 2 | 6 |" in blocks["overview"]
    assert "| 09 | 09.2 | design / a kernel | 4 |" in blocks["exercises"]


def test_points_say_not_set_without_nbgrader_metadata(tmp_path):
    nb = nbformat.read(_lesson(tmp_path, graded=False), as_version=4)
    assert [e["points"] for e in instructor_guide.exercises(nb)] == [None, None]
    assert "| 2 | not set |" in instructor_guide.blocks(tmp_path)["overview"]


def test_check_fails_when_a_notebook_changes(tmp_path):
    guide = tmp_path / "guide.md"
    guide.write_text(GUIDE.replace("| 00 | 00.1 |", "| 00 | 00.9 |"))
    assert instructor_guide.main(["--check", "--guide", str(guide)]) == 1
    assert instructor_guide.main(["--guide", str(guide)]) == 0
    assert guide.read_text() == GUIDE
