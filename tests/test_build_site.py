"""tools/build_site.py without building: the corrections page, link rewriting, the generated
_config.yml and the check for pages that load from another host. (The built site itself is
tested in a browser by tests/test_site.py.)"""
from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import build_site  # noqa: E402
import links  # noqa: E402


def _md(text: str) -> dict:
    return {"cell_type": "markdown", "source": text}


def _code(text: str = "x = 1") -> dict:
    return {"cell_type": "code", "source": text, "outputs": []}


def test_corrections_of_takes_a_bold_line_to_the_next_heading():
    nb = {"cells": [_md("## What we learned\n\n- one\n\n**Where the post got it wrong** (see sources):\n\n"
                        "- claim A\n- claim B\n\n## Further reading\n\n- a book")]}
    assert build_site.corrections_of(nb) == [
        "**Where the post got it wrong** (see sources):\n\n- claim A\n- claim B"]


def test_corrections_of_drops_a_heading_and_runs_on_to_the_end_of_the_markdown():
    nb = {"cells": [_md("- learned\n\n### Where the posts got it wrong\n\nThe posts are named.\n\n- claim C"),
                    _md("- claim D, in the next markdown cell"),
                    _md("## Further reading\n\n- not part of it"),
                    _code()]}
    assert build_site.corrections_of(nb) == [
        "The posts are named.\n\n- claim C\n- claim D, in the next markdown cell"]


def test_corrections_of_finds_nothing_without_the_section():
    assert build_site.corrections_of({"cells": [_md("## What we learned\n\n- all fine"), _code()]}) == []


def test_the_lessons_with_corrections():
    found = {p.name: len(build_site.corrections_of(json.loads(p.read_text()))) for p in build_site.lessons()}
    assert found == {"00_start_here.ipynb": 0, "01_kernel_vs_filter.ipynb": 1, "02_peak_detection.ipynb": 1,
                     "03_index_math.ipynb": 1, "04_initialization.ipynb": 0, "05_backprop_conv_relu.ipynb": 0,
                     "06_capstone_tiny_cnn.ipynb": 1}


def _linker(course=None):
    course = course or links.load()
    staged = dict(build_site.PAGES)
    staged.update({f"notebooks/{p.name}": f"notebooks/{p.name}" for p in build_site.lessons()})
    return build_site.Linker(course, staged)


def test_links_to_pages_stay_links_to_files_go_to_the_repository():
    course = replace(links.load(), repository="https://github.com/a-fork/kf", branch="term-2")
    linker = _linker(course)
    text = ("[guide](docs/instructor-guide.md#grading-with-nbgrader) [toml](course.toml) "
            "[arch](ARCHITECTURE.md) [tools](tools) [lesson](notebooks/01_kernel_vs_filter.ipynb) "
            "[web](https://example.org/x) [here](#top)\n```\n[not a link](course.toml)\n```\n")
    assert linker.rewrite("README.md", text) == (
        "[guide](docs/instructor-guide.md#grading-with-nbgrader) "
        "[toml](https://github.com/a-fork/kf/blob/term-2/course.toml) "
        "[arch](https://github.com/a-fork/kf/blob/term-2/ARCHITECTURE.md) "
        "[tools](https://github.com/a-fork/kf/tree/term-2/tools) [lesson](notebooks/01_kernel_vs_filter.ipynb) "
        "[web](https://example.org/x) [here](#top)\n```\n[not a link](course.toml)\n```\n")
    # a lesson's link, quoted on the corrections page at the top of the site
    assert linker.rewrite("notebooks/02_peak_detection.ipynb", "[sources](../docs/sources.md)",
                          build_site.CORRECTIONS) == "[sources](docs/sources.md)"
    assert linker.rewrite("notebooks/02_peak_detection.ipynb", "[h](../helpers/conv.py)") == \
        "[h](https://github.com/a-fork/kf/blob/term-2/helpers/conv.py)"


def test_config_comes_from_course_toml():
    course = replace(links.load(), repository="https://github.com/a-fork/kf", branch="term-2")
    text = build_site.config_yml(course, "https://hub.example.edu", "vendor")
    config = json.loads(text.split("\n", 1)[1])       # JSON is YAML; the first line is a comment
    assert config["repository"] == {"url": "https://github.com/a-fork/kf", "branch": "term-2", "path_to_book": ""}
    assert config["launch_buttons"]["jupyterhub_url"] == "https://hub.example.edu"
    assert config["launch_buttons"]["binderhub_url"] == "https://mybinder.org"
    assert config["execute"] == {"execute_notebooks": "off"}
    assert config["sphinx"]["config"]["mathjax_path"] == "vendor/mathjax/tex-mml-chtml.js"
    assert list(config["sphinx"]["config"]["nb_ipywidgets_js"]) == ["vendor/require.js",
                                                                  "vendor/html-manager/embed-amd.js"]
    assert build_site.config_yml(course, None, "vendor").count('"jupyterhub_url": ""') == 1


def test_external_loads_finds_cdn_scripts_styles_images_and_fonts(tmp_path):
    (tmp_path / "a.html").write_text(
        '<script src="https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-mml-chtml.js"></script>'
        '<link rel="stylesheet" href="//fonts.googleapis.com/css?family=Lato">'
        '<link rel="canonical" href="https://example.org/a.html">'
        '<a href="https://github.com/x/y">fine: a link, not a load</a>'
        '<img alt="x" src="_images/local.png"><img alt="y" src="http://example.org/pic.png">')
    (tmp_path / "_static").mkdir()
    (tmp_path / "_static" / "s.css").write_text(
        '@font-face { src: url("https://fonts.gstatic.com/x.woff2") }\n'
        '.i { background: url("data:image/svg+xml;charset=utf-8,%3Csvg xmlns=\'http://www.w3.org/2000/svg\'") }')
    assert sorted(build_site.external_loads(tmp_path)) == sorted([
        "a.html: https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-mml-chtml.js",
        "a.html: //fonts.googleapis.com/css?family=Lato",
        "a.html: http://example.org/pic.png",
        "_static/s.css: https://fonts.gstatic.com/x.woff2",
    ])
