"""Launch links for every lesson, all made from course.toml (one repository URL, one branch).

    python tools/links.py                                 # Binder and Colab links per lesson
    python tools/links.py --hub https://hub.example.edu   # + the JupyterHub (nbgitpuller) links
    python tools/links.py --write                         # write them into the notebooks
    python tools/links.py --check                         # exit 1 if a notebook disagrees

``--write`` changes two things per lesson and nothing else (outputs stay as they are):
the launch line under the title (Binder and Colab links) and the Colab block at the top of
the setup cell (in Colab, and only there, it installs the course from the repository with
pip; it never asks for Google Drive). Re-run it after editing course.toml or the notebooks.

No link carries a token or a password: a hub asks each student to log in.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "course.toml"
NOTEBOOKS = ROOT / "notebooks"
LAUNCH_MARK = "<!-- launch links: written by tools/links.py from course.toml -->"
COLAB_BEGIN = "# --- Colab only (written by tools/links.py from course.toml): install the course ---"
COLAB_END = "# --- end of the Colab block ---"
# The Colab front end is not JupyterLab: the lessons need only these of the course's dependencies.
NOT_FOR_COLAB = {"jupyterlab"}


def _toml(text: str) -> dict:
    try:
        import tomllib
    except ImportError:  # Python 3.10
        try:
            import tomli as tomllib
        except ImportError:
            sys.exit("tools/links.py needs Python >= 3.11 or the tomli package (pip install tomli)")
    return tomllib.loads(text)


@dataclass(frozen=True)
class Course:
    repository: str        # https URL of the git repository, e.g. https://github.com/OWNER/NAME
    branch: str            # Binder and Colab open this branch
    student_branch: str    # JupyterHub (nbgitpuller) links pull this branch
    folder: str            # the folder nbgitpuller creates in a student's home
    package: str           # the pip name of the course (pyproject's project.name)
    requirements: tuple    # what the lessons need besides the course (pyproject, minus NOT_FOR_COLAB)

    @property
    def github(self) -> tuple[str, str] | None:
        """(owner, name) when the repository is on GitHub, else None."""
        parts = urlsplit(self.repository)
        path = parts.path.strip("/").removesuffix(".git").split("/")
        if parts.netloc.lower() == "github.com" and len(path) == 2:
            return path[0], path[1]
        return None


def _check_url(name: str, url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http", "file"):
        raise ValueError(f"{name} must be an https:// (or file://) URL, got {url!r}")
    if parts.username or parts.password or "token" in url.lower():
        raise ValueError(f"{name} must not carry credentials or a token: {url!r}")


def load(config: Path = CONFIG, pyproject: Path | None = None) -> Course:
    """Read course.toml (and the package name and runtime dependencies from pyproject.toml)."""
    section = _toml(Path(config).read_text())["course"]
    project = _toml(Path(pyproject or Path(config).parent / "pyproject.toml").read_text())["project"]
    needs = tuple(d for d in project["dependencies"]
                  if re.match(r"[A-Za-z0-9_.\-]+", d).group(0).lower() not in NOT_FOR_COLAB)
    course = Course(repository=section["repository"].rstrip("/"), branch=section["branch"],
                    student_branch=section.get("student_branch", section["branch"]),
                    folder=section["folder"], package=project["name"], requirements=needs)
    _check_url("course.toml's repository", course.repository)
    for key in ("branch", "student_branch", "folder"):
        if not re.fullmatch(r"[A-Za-z0-9._/\-]+", getattr(course, key)):
            raise ValueError(f"course.toml's {key} must be a plain git name, got {getattr(course, key)!r}")
    return course


def binder_link(course: Course, notebook: str) -> str:
    """mybinder.org builds the repository's environment.yml and opens the notebook in JupyterLab."""
    where = (f"gh/{course.github[0]}/{course.github[1]}" if course.github
             else "git/" + quote(course.repository, safe=""))
    return f"https://mybinder.org/v2/{where}/{course.branch}?" + urlencode({"urlpath": f"lab/tree/notebooks/{notebook}"})


def colab_link(course: Course, notebook: str) -> str | None:
    """Colab opens notebooks straight from GitHub only; None for another host."""
    if not course.github:
        return None
    owner, name = course.github
    return f"https://colab.research.google.com/github/{owner}/{name}/blob/{course.branch}/notebooks/{notebook}"


def hub_link(course: Course, hub: str, notebook: str) -> str:
    """An nbgitpuller link: log in to the hub, pull the student edition, open the notebook."""
    _check_url("the hub URL", hub)
    query = urlencode({"repo": course.repository, "branch": course.student_branch,
                       "targetpath": course.folder,
                       "urlpath": f"lab/tree/{course.folder}/notebooks/{notebook}"})
    return f"{hub.rstrip('/')}/hub/user-redirect/git-pull?{query}"


def launch_line(course: Course, notebook: str) -> str:
    """The markdown line under each lesson's title."""
    links = [f"[Binder]({binder_link(course, notebook)})"]
    colab = colab_link(course, notebook)
    if colab:
        links.append(f"[Colab]({colab})")
    return ("*Open it online:* " + " · ".join(links)
            + " · on your class's JupyterHub, the link your instructor gives you. " + LAUNCH_MARK)


def colab_block(course: Course) -> str:
    """Code for the top of each setup cell: in Colab only, pip-install the course once."""
    target = json.dumps(f"/content/{course.package}")
    source = json.dumps(f"git+{course.repository}@{course.branch}#egg={course.package}")
    needs = ", ".join(json.dumps(r) for r in course.requirements)
    return "\n".join([
        COLAB_BEGIN,
        "import sys",
        f'if "google.colab" in sys.modules and {target} not in sys.path:',
        "    import os, subprocess",
        f"    if not os.path.isdir({target}):",
        f'        print("Colab: installing the course from {course.repository} ({course.branch})")',
        '        pip = [sys.executable, "-m", "pip", "install", "--quiet"]',
        f'        subprocess.run(pip + ["--no-deps", "--src", "/content", "-e", {source}], check=True)',
        f"        subprocess.run(pip + [{needs}], check=True)",
        f"    sys.path.insert(0, {target})",
        COLAB_END,
    ])


# --- the notebooks -------------------------------------------------------------------------

def _title_cell(nb):
    cell = nb.cells[0] if nb.cells else None
    if cell is None or cell.cell_type != "markdown" or not cell.source.startswith("# "):
        raise ValueError("the first cell must be a markdown title cell starting with '# '")
    return cell


def _setup_cell(nb):
    for cell in nb.cells:
        if cell.cell_type == "code" and re.search(r"^\s*from helpers\b", cell.source, re.M):
            return cell
    raise ValueError("no setup cell (a code cell importing from helpers)")


def with_launch_line(source: str, line: str) -> str:
    """The title cell with ``line`` (and no older launch line) right under its heading."""
    lines = [l for l in source.split("\n") if LAUNCH_MARK not in l]
    body = lines[1:]
    while body and not body[0].strip():
        body.pop(0)
    return "\n".join([lines[0], "", line] + ([""] + body if body else []))


def with_colab_block(source: str, block: str) -> str:
    pattern = re.compile(re.escape(COLAB_BEGIN) + r".*?" + re.escape(COLAB_END) + r"\n?", re.S)
    return block + "\n" + pattern.sub("", source)


def updated(nb, course: Course, name: str) -> bool:
    """Write the launch line and the Colab block into one notebook object; True if it changed."""
    title, setup = _title_cell(nb), _setup_cell(nb)
    new_title = with_launch_line(title.source, launch_line(course, name))
    new_setup = with_colab_block(setup.source, colab_block(course))
    changed = (new_title, new_setup) != (title.source, setup.source)
    title.source, setup.source = new_title, new_setup
    return changed


def lessons(folder: Path = NOTEBOOKS) -> list[Path]:
    return sorted(Path(folder).glob("[0-9][0-9]_*.ipynb"))


def main(argv=None) -> int:
    import nbformat

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--hub", help="your JupyterHub's URL, e.g. https://hub.example.edu")
    parser.add_argument("--config", type=Path, default=CONFIG)
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--write", action="store_true", help="write the links into the notebooks")
    group.add_argument("--check", action="store_true", help="exit 1 if a notebook's links disagree")
    args = parser.parse_args(argv)
    course = load(args.config)

    if args.write or args.check:
        stale = []
        for path in lessons():
            nb = nbformat.read(path, as_version=4)
            if updated(nb, course, path.name):
                stale.append(path.name)
                if args.write:
                    nbformat.write(nb, path)
        verb = "updated" if args.write else "out of date (run `make links-write`)"
        print(f"{verb}: {', '.join(stale)}" if stale else "every lesson's links match course.toml")
        return 1 if (args.check and stale) else 0

    print(f"Course: {course.repository} (branch {course.branch}; JupyterHub pulls {course.student_branch})")
    for path in lessons():
        print(f"\n{path.stem}")
        print(f"  Binder: {binder_link(course, path.name)}")
        colab = colab_link(course, path.name)
        print(f"  Colab:  {colab or '(Colab opens notebooks from GitHub only)'}")
        if args.hub:
            print(f"  Hub:    {hub_link(course, args.hub, path.name)}")
    if not args.hub:
        print("\nJupyterHub links: make links HUB=https://your-hub.example.edu")
    return 0


if __name__ == "__main__":
    sys.exit(main())
