"""Lint every lesson notebook: executed in order, clean outputs, the shape of a lesson."""
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
MACHINE_PATH = re.compile(r"(/root/|/tmp/|/work/|/home/|/Users/|[A-Z]:\\\\Users)")
ids = [p.stem for p in NOTEBOOKS]


def _load(path):
    return json.loads(path.read_text())


def _src(cell):
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def _out_text(out):
    parts = [out.get("text", ""), out.get("evalue", "")]
    for key in ("text/plain", "text/html", "text/markdown"):
        parts.append(out.get("data", {}).get(key, ""))
    return "".join("".join(p) if isinstance(p, list) else p for p in parts)


def test_lessons_are_numbered_in_order():
    numbers = [int(p.name[:2]) for p in NOTEBOOKS]
    assert numbers and numbers == list(range(len(numbers))), numbers


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_executed_top_to_bottom_in_one_kernel(path):
    counts = [c.get("execution_count") for c in _load(path)["cells"] if c["cell_type"] == "code"]
    assert counts == list(range(1, len(counts) + 1)), f"execution counts {counts}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_outputs_are_clean(path):
    for i, cell in enumerate(_load(path)["cells"]):
        tags = cell.get("metadata", {}).get("tags", [])
        for out in cell.get("outputs", []):
            if out["output_type"] == "error":
                assert "raises-exception" in tags, f"cell {i}: untagged error {out.get('ename')}"
            assert out.get("name") != "stderr", f"cell {i}: writes to stderr: {_out_text(out)[:200]}"
            assert "Warning" not in _out_text(out), f"cell {i}: a warning in the output"
            assert not MACHINE_PATH.search(_out_text(out)), f"cell {i}: a machine path in the output"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_lesson_shape(path):
    cells = _load(path)["cells"]
    title = _src(cells[0])
    assert cells[0]["cell_type"] == "markdown" and re.match(r"# \d\d · ", title), "title cell '# NN · Title'"
    assert "you will be able to" in title.lower(), "objectives in the title cell"
    assert "prerequisites" in title.lower() and "time" in title.lower(), "prerequisites and classroom time"
    markdown = "\n".join(_src(c) for c in cells if c["cell_type"] == "markdown")
    assert "## What we learned" in markdown
    assert "## Further reading" in markdown
    assert re.search(r"predict", markdown, re.I), "a 'predict, then run' prompt"
    code = [_src(c) for c in cells if c["cell_type"] == "code"]
    setup = next(c for c in code if "import" in c)
    assert "from helpers" in setup and "use_course_style" in setup and "default_rng" in setup
    assert "make lab" in setup, "the setup cell says what to do when helpers is missing"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_only_public_helpers_api(path):
    for cell in _load(path)["cells"]:
        if cell["cell_type"] == "code":
            src = _src(cell)
            assert not re.search(r"helpers\._|from helpers\S* import _|\._validate", src), src[:200]
            if "### BEGIN SOLUTION" in src:        # an exercise: the learner writes a core algorithm once
                continue
            assert not re.search(r"^\s*(def|class) (conv|correlate|relu)\w*_(forward|backward)", src, re.M)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_exercises_have_solutions_and_checks(path):
    cells = [c for c in _load(path)["cells"] if c["cell_type"] == "code"]
    exercise_idx = [i for i, c in enumerate(cells) if "### BEGIN SOLUTION" in _src(c)]
    minimum = 2 if path.name.startswith("00") else 3
    assert len(exercise_idx) >= minimum, f"{len(exercise_idx)} exercises, need {minimum}"
    for i in exercise_idx:
        src = _src(cells[i])
        assert src.count("### BEGIN SOLUTION") == src.count("### END SOLUTION")
        following = _src(cells[i + 1]) if i + 1 < len(cells) else ""
        assert "checks" in following or "lesson" in following or "assert" in following, \
            f"exercise cell {i} is not followed by a check cell"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_every_slider_panel_leaves_a_static_figure(path):
    cells = [c for c in _load(path)["cells"] if c["cell_type"] == "code"]
    panels = [i for i, c in enumerate(cells) if "SliderPanel(" in _src(c)]
    assert panels, "at least one interactive cell"
    for i in panels:
        assert _src(cells[i]).splitlines()[0].strip() == "# NBVAL_IGNORE_OUTPUT"
        static = [o for c in cells[i + 1:i + 3] for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
        assert static, f"the slider cell {i} is not followed by a static figure of its default state"


# --- printed round-off ----------------------------------------------------------------------
# A difference that should be zero comes out as 1e-16 .. 1e-11, and its digits change with the
# CPU's BLAS kernel and the numpy version: the notebook would pass nbval on one machine and fail
# on the next. Print what is true instead ("equal within 1e-12: True") and assert it. A value
# that really is that small (a signal that vanished after 30 layers) is allowed in a cell tagged
# `real-quantity`. A stated bound ("within 1e-12", "below 1e-8", "< 1e-7") is not a value.
ROUND_OFF = 1e-9
REAL_QUANTITY_TAG = "real-quantity"
NUMBER = re.compile(r"(?<![\w.])[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?(?![\w.])")
BOUND_BEFORE = re.compile(r"(?:within|below|under|above|than|tolerance|rtol|atol|<|<=|>|>=|=<)"
                          r"(?: a relative| an absolute| relative| absolute)?\s*$", re.I)


def tiny_printed_values(text: str) -> list[str]:
    """The numbers in ``text`` with 0 < |value| < 1e-9 that are not a stated bound."""
    found = []
    for match in NUMBER.finditer(text):
        value = abs(float(match.group()))
        if 0 < value < ROUND_OFF and not BOUND_BEFORE.search(text[max(0, match.start() - 40):match.start()]):
            found.append(match.group())
    return found


def test_round_off_lint_finds_what_it_should():
    assert tiny_printed_values("largest difference from Sobel: 6.2e-15") == ["6.2e-15"]
    assert tiny_printed_values("relative error of dL/dw: 1.7e-11\nsum -4.2e-15, tap 0.0089") == ["1.7e-11", "-4.2e-15"]
    assert tiny_printed_values("[ 1.2e-17 -3.0e-16  1.0e+00]") == ["1.2e-17", "-3.0e-16"]
    assert tiny_printed_values("equal to Sobel within 1e-12: True") == []
    assert tiny_printed_values("relative error below 1e-8: True; within a relative 1e-10: True") == []
    assert tiny_printed_values("agrees (< 1e-7); max 0.00e+00; std 3.03e-05; 0.0000; 1e-9") == []
    assert tiny_printed_values("x2 = 1e-12 shape (1e-12, 3) v1e-12") == ["1e-12", "1e-12"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_no_printed_round_off(path):
    problems = []
    for i, cell in enumerate(_load(path)["cells"]):
        if cell["cell_type"] != "code" or REAL_QUANTITY_TAG in cell.get("metadata", {}).get("tags", []):
            continue
        for out in cell.get("outputs", []):
            tiny = tiny_printed_values(_out_text(out))
            if tiny:
                problems.append(f"cell {i} prints {', '.join(tiny[:4])}")
    assert not problems, (
        "printed values below 1e-9 change between CPUs; print a stated bound instead "
        "(\"equal within 1e-12: True\") and assert it, or tag the cell "
        f"'{REAL_QUANTITY_TAG}' if the value is real, not round-off: " + "; ".join(problems))


FIX_LINE = re.compile(r'print\(f"Missing \{missing\.name!r\}: (.*?)"\)', re.S)


def _fix_line(path):
    setup = next(_src(c) for c in _load(path)["cells"] if c["cell_type"] == "code" and "import" in _src(c))
    match = FIX_LINE.search(setup)
    assert match, f"{path.name}: the setup cell prints no 'Missing ...' fix line"
    return re.sub(r'"\s*"', "", match.group(1))          # join the implicitly concatenated strings


def test_every_setup_cell_and_the_readme_give_the_same_fix_line():
    lines = {path.name: _fix_line(path) for path in NOTEBOOKS}
    assert len(set(lines.values())) == 1, lines
    line = next(iter(lines.values()))
    assert "make lab" in line and "%pip install -e .." in line
    readme = " ".join((ROOT / "README.md").read_text().split())
    assert line in readme, f"README does not give the lessons' fix line: {line}"
