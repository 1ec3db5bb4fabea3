"""Every figure in every committed notebook carries alt text a screen-reader user can use.

A figure is an ``image/png`` or ``image/svg+xml`` output. Its alt text lives in the output's
metadata, ``metadata["image/png"]["alt"]`` (``helpers.plots.show(fig, alt=...)`` writes it),
where JupyterLab and the course website (tools/build_site.py) both read it. It must be at least
20 characters, not a generic placeholder ("figure", "a plot", "TODO", the figure's text repr),
and not the same words as another figure of the same notebook. A failure names the notebook,
the cell and the output.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
IMAGE_TYPES = ("image/png", "image/svg+xml")
MIN_CHARS = 20
PLACEHOLDER = re.compile(
    r"^\W*(an?\s+|the\s+)?(figure|plot|image|picture|chart|graph|output|diagram|png|svg)(\s*\d+)?"
    r"(\s+(of|for)\s+(the\s+)?(data|results?|output|figure|above|below|cell))?(\s*\d+)?\W*$"
    r"|\b(todo|tbd|fixme|placeholder|lorem ipsum|alt text|describe (the|this) (figure|plot)|add alt)\b"
    r"|^<Figure size",
    re.IGNORECASE)


def alt_problems(nb: dict, name: str) -> list[str]:
    """One line per figure output of ``nb`` whose alt text is missing or not usable."""
    problems, seen = [], {}
    for c, cell in enumerate(nb.get("cells", [])):
        for o, output in enumerate(cell.get("outputs", [])):
            for mime in IMAGE_TYPES:
                if mime not in output.get("data", {}):
                    continue
                where = f"{name}: cell {c} (execution count {cell.get('execution_count')}), output {o} ({mime})"
                entry = output.get("metadata", {}).get(mime)
                alt = entry.get("alt") if isinstance(entry, dict) else None
                if not isinstance(alt, str) or not alt.strip():
                    problems.append(f"{where}: no alt text in metadata[{mime!r}]['alt'] "
                                    "(use plots.show(fig, alt=...))")
                    continue
                text = " ".join(alt.split())
                if len(text) < MIN_CHARS:
                    problems.append(f"{where}: alt text {text!r} has {len(text)} characters, fewer than {MIN_CHARS}")
                elif PLACEHOLDER.search(text):
                    problems.append(f"{where}: alt text {text!r} is a placeholder, not a description")
                elif text.lower() in seen:
                    problems.append(f"{where}: alt text repeats {seen[text.lower()]}'s word for word")
                else:
                    seen[text.lower()] = f"cell {c}, output {o}"
    return problems


def figures(nb: dict) -> int:
    return sum(mime in out.get("data", {}) for cell in nb.get("cells", []) for out in cell.get("outputs", [])
               for mime in IMAGE_TYPES)


def test_there_are_notebooks_with_figures():
    counts = {p.name: figures(json.loads(p.read_text())) for p in NOTEBOOKS}
    assert len(counts) == 7, counts
    assert all(n >= 1 for n in counts.values()), f"every lesson draws at least one figure: {counts}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_figure_has_alt_text(path):
    problems = alt_problems(json.loads(path.read_text()), f"notebooks/{path.name}")
    assert not problems, "figures without usable alt text:\n" + "\n".join(problems)


# ---- the check itself fails where it should

def _nb(*outputs) -> dict:
    return {"cells": [{"cell_type": "code", "execution_count": 3, "source": "", "outputs": list(outputs)}]}


def _png(alt=None, mime="image/png"):
    meta = {} if alt is None else {mime: {"alt": alt}}
    return {"output_type": "display_data", "data": {mime: "iVBORw0KGgo=", "text/plain": "<Figure>"},
            "metadata": meta}


GOOD = "The noisy step signal and its moving average; the average is smoother"


@pytest.mark.parametrize("output, expected", [
    (_png(), "cell 0 (execution count 3), output 0 (image/png): no alt text"),
    (_png("", "image/svg+xml"), "output 0 (image/svg+xml): no alt text"),
    (_png("A line plot"), "'A line plot' has 11 characters, fewer than 20"),
    (_png("Figure 1 of the results"), "is a placeholder"),          # 23 characters, still generic
    (_png("A plot of the data."), "fewer than 20"),
    (_png("TODO: describe this figure properly"), "is a placeholder"),
    (_png("<Figure size 640x480 with 1 Axes>"), "is a placeholder"),
])
def test_alt_problems_names_notebook_cell_and_output(output, expected):
    problems = alt_problems(_nb(output), "notebooks/99_demo.ipynb")
    assert len(problems) == 1 and problems[0].startswith("notebooks/99_demo.ipynb: cell 0"), problems
    assert expected in problems[0], problems


def test_alt_problems_accepts_a_description_and_flags_a_copied_one():
    assert alt_problems(_nb(_png(GOOD)), "nb") == []
    assert alt_problems(_nb(_png(GOOD, "image/svg+xml")), "nb") == []
    problems = alt_problems(_nb(_png(GOOD), _png(GOOD)), "nb")
    assert problems == [f"nb: cell 0 (execution count 3), output 1 (image/png): alt text repeats "
                        f"cell 0, output 0's word for word"]
