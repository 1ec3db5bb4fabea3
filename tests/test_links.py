"""Every launch link comes from course.toml, and every lesson's title cell shows the current ones."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import links  # noqa: E402

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    tomllib = pytest.importorskip("tomli", reason="Python 3.10 without tomli cannot read course.toml")

LESSONS = links.lessons()
CONFIG = tomllib.loads((ROOT / "course.toml").read_text())["course"]


def _config(tmp_path, repository="https://github.com/someone/their-course", branch="spring-2027",
            student_branch="student-2027", folder="course"):
    path = tmp_path / "course.toml"
    path.write_text(f'[course]\nrepository = "{repository}"\nbranch = "{branch}"\n'
                    f'student_branch = "{student_branch}"\nfolder = "{folder}"\n')
    return links.load(path, pyproject=ROOT / "pyproject.toml")


def test_there_are_seven_lessons():
    assert [p.name[:2] for p in LESSONS] == ["00", "01", "02", "03", "04", "05", "06"]


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_title_cell_shows_the_configured_links(path):
    nb = nbformat.read(path, as_version=4)
    title = nb.cells[0].source
    lines = [l for l in title.splitlines() if links.LAUNCH_MARK in l]
    assert len(lines) == 1, f"{path.name}: no launch line under the title (run `make links-write`)"
    line = lines[0]
    repo = CONFIG["repository"]
    owner, name = urlsplit(repo).path.strip("/").split("/")
    # Written out here from course.toml, not taken from tools/links.py.
    assert (f"https://mybinder.org/v2/gh/{owner}/{name}/{CONFIG['branch']}?urlpath=lab%2Ftree%2Fnotebooks%2F{path.name}"
            in line), line
    assert f"https://colab.research.google.com/github/{owner}/{name}/blob/{CONFIG['branch']}/notebooks/{path.name}" in line
    assert "token" not in line.replace(links.LAUNCH_MARK, "").lower()
    assert not links.updated(nb, links.load(), path.name), f"{path.name}: run `make links-write`"


def test_a_changed_config_makes_the_check_fail(tmp_path):
    course = _config(tmp_path)
    nb = nbformat.read(LESSONS[0], as_version=4)
    assert links.updated(nb, course, LESSONS[0].name), "another repository must change the title cell"
    assert "colab.research.google.com/github/someone/their-course/blob/spring-2027/" in nb.cells[0].source
    assert "someone/their-course/spring-2027" in nb.cells[0].source
    assert not links.updated(nb, course, LESSONS[0].name), "writing twice changes nothing"
    assert nb.cells[0].source.count(links.LAUNCH_MARK) == 1


def test_writing_puts_the_links_back_and_keeps_the_rest():
    path = LESSONS[2]
    nb = nbformat.read(path, as_version=4)
    title, setup = nb.cells[0].source, links._setup_cell(nb).source
    nb.cells[0].source = "\n".join(l for l in title.split("\n") if links.LAUNCH_MARK not in l)
    cell = links._setup_cell(nb)
    cell.source = setup.split(links.COLAB_END + "\n", 1)[1]
    assert links.COLAB_BEGIN not in cell.source and "from helpers" in cell.source
    assert links.updated(nb, links.load(), path.name)
    assert (nb.cells[0].source, links._setup_cell(nb).source) == (title, setup)


def test_hub_link_pulls_the_student_branch_into_its_folder(tmp_path):
    course = _config(tmp_path)
    url = links.hub_link(course, "https://hub.example.edu/", "02_peak_detection.ipynb")
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "hub.example.edu", "/hub/user-redirect/git-pull")
    assert parse_qs(parts.query) == {
        "repo": ["https://github.com/someone/their-course"], "branch": ["student-2027"],
        "targetpath": ["course"], "urlpath": ["lab/tree/course/notebooks/02_peak_detection.ipynb"]}


def test_other_git_hosts_get_binder_but_no_colab(tmp_path):
    course = _config(tmp_path, repository="https://gitlab.example.org/group/course.git")
    assert links.colab_link(course, "00_start_here.ipynb") is None
    assert links.binder_link(course, "00_start_here.ipynb").startswith(
        "https://mybinder.org/v2/git/https%3A%2F%2Fgitlab.example.org%2Fgroup%2Fcourse.git/spring-2027?")
    assert "[Colab]" not in links.launch_line(course, "00_start_here.ipynb")


@pytest.mark.parametrize("repository, complaint", [
    ("https://user:secret@github.com/a/b", "credentials"),
    ("https://github.com/a/b?token=abc", "token"),
    ("ssh://git@github.com/a/b", "https://"),
])
def test_config_refuses_credentials_and_odd_urls(tmp_path, repository, complaint):
    with pytest.raises(ValueError, match=complaint):
        _config(tmp_path, repository=repository)
    course = _config(tmp_path)
    with pytest.raises(ValueError, match="token"):
        links.hub_link(course, "https://hub.example.edu/?token=abc", "00_start_here.ipynb")


def test_command_prints_every_lessons_links():
    out = subprocess.run([sys.executable, str(ROOT / "tools" / "links.py"), "--hub", "https://hub.example.edu"],
                         capture_output=True, text=True, check=True).stdout
    for path in LESSONS:
        assert path.stem in out
    assert out.count("https://hub.example.edu/hub/user-redirect/git-pull?") == len(LESSONS)
    assert out.count("https://mybinder.org/v2/gh/") == len(LESSONS)
    check = subprocess.run([sys.executable, str(ROOT / "tools" / "links.py"), "--check"],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout
