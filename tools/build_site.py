"""Build the course website (Jupyter Book 1) into build/site/, offline, from the committed notebooks.

    python tools/build_site.py                      # install what is missing, stage, build, vendor, check
    python tools/build_site.py --hub https://hub.example.edu   # + a JupyterHub launch button
    python tools/build_site.py --install-only       # only the website's venv and npm packages

Nothing generated lands in the repository: the sources are staged into build/site-src/ (the
README as the home page, the lessons, the guides, the data sources, and a page collecting each
lesson's "Where the post(s) got it wrong" section, made from the notebooks at every build), with
a `_config.yml` made from course.toml. Notebooks are never executed (MyST-NB
`execute_notebooks: off`): the page shows the outputs committed in the notebook.

The website has its own environment, build/site-venv, from site/requirements.txt (Jupyter Book
1.0.4 pins old Sphinx and docutils, so it never goes into the course's .venv), made with uv (the
course venv's, or one on PATH) or else venv + pip. What the pages load in the browser (require.js,
the ipywidgets HTML manager, MathJax 3) comes from npm (site/package-lock.json, `npm ci`) and is
copied into build/site/_static/vendor/, so a page never asks another host for anything; the build
fails if a built page still refers to another host for a script, style sheet, image or font.

Each step prints how long it took; build/site-manifest.json records the pages, the figures and
their alt text, the launch settings and the build time (tests/test_site.py reads it).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import posixpath
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import links  # noqa: E402  (course.toml, one repository URL)
from links import lessons  # noqa: E402  (the lesson notebooks, in order)
from setup_venv import find_uv  # noqa: E402  (the course venv's uv, or one on PATH)

SITE = ROOT / "site"
BUILD = ROOT / "build"
SRC = BUILD / "site-src"              # staged sources (regenerated; Sphinx reuses its doctrees)
WORK = BUILD / "site-work"            # Jupyter Book's _build (doctrees, html)
OUT = BUILD / "site"                  # the website
VENV = BUILD / "site-venv"
MANIFEST = BUILD / "site-manifest.json"

#: repository path -> staged path, for every page that is not a lesson
PAGES = {
    "README.md": "index.md",
    "docs/instructor-guide.md": "docs/instructor-guide.md",
    "docs/grading.md": "docs/grading.md",
    "docs/sources.md": "docs/sources.md",
    "data/README.md": "data/README.md",
}
CORRECTIONS = "corrections.md"         # generated: each lesson's "Where the post(s) got it wrong"
CORRECTIONS_RE = re.compile(r"^\s*(#{1,6}\s*|\*\*)Where the posts? got it wrong", re.IGNORECASE)
HEADING_RE = re.compile(r"^#{1,6}\s")
LINK_RE = re.compile(r"(!?\[[^\]]*\]\()([^)\s]+)(\))")   # [text](target) and ![alt](target)

#: what the browser loads, from npm (site/node_modules) into _static/vendor/
VENDOR = {
    "require.js": "requirejs/require.js",
    "html-manager": "@jupyter-widgets/html-manager/dist",
    "mathjax": "mathjax/es5",
}
VENDOR_SKIP = re.compile(r"(\.map|^embed\.js|^libembed-amd\.js|LICENSE\.txt)$")


def log(msg: str) -> None:
    print(f"site: {msg}", flush=True)


def digest(*paths: Path) -> str:
    h = hashlib.sha256()
    for p in paths:
        for f in sorted(p.rglob("*")) if p.is_dir() else [p]:
            if f.is_file() and "__pycache__" not in f.parts:
                h.update(str(f.relative_to(ROOT)).encode() + b"\0" + f.read_bytes())
    return h.hexdigest()


# ----------------------------------------------------------------------------- install
def install_venv(python: str) -> float:
    """build/site-venv from site/requirements.txt (+ site/alt_text); nothing when up to date."""
    stamp = VENV / ".kf-installed"
    want = digest(SITE / "requirements.txt", SITE / "alt_text")
    if stamp.exists() and stamp.read_text() == want and (VENV / "bin" / "jupyter-book").exists():
        return 0.0
    start = time.monotonic()
    uv = find_uv(ROOT / ".venv")
    py = VENV / "bin" / "python"
    # setuptools builds in the source folder: build a copy, so nothing lands in site/
    plugin_src = BUILD / "site-plugin"
    if plugin_src.exists():
        shutil.rmtree(plugin_src)
    shutil.copytree(SITE / "alt_text", plugin_src, ignore=shutil.ignore_patterns("__pycache__"))
    plugin = ["--no-deps", "--no-build-isolation", str(plugin_src)]
    if uv:
        log(f"installing the website's environment into {VENV.relative_to(ROOT)} with uv")
        run([uv, "venv", "--quiet", "--allow-existing", "--python", python, str(VENV)])
        run([uv, "pip", "install", "--quiet", "--python", str(py), "-r", str(SITE / "requirements.txt")])
        run([uv, "pip", "install", "--quiet", "--python", str(py), "--reinstall-package",
             "kf-site-alt-text", *plugin])
    else:
        log(f"installing the website's environment into {VENV.relative_to(ROOT)} with pip (no uv found)")
        run([python, "-m", "venv", str(VENV)])
        run([str(py), "-m", "pip", "install", "--quiet", "-r", str(SITE / "requirements.txt")])
        run([str(py), "-m", "pip", "install", "--quiet", "--force-reinstall", *plugin])
    stamp.write_text(want)
    took = time.monotonic() - start
    log(f"website environment installed in {took:.1f} s")
    return took


def install_npm() -> float:
    """site/node_modules from site/package-lock.json (npm ci); nothing when up to date."""
    stamp = SITE / "node_modules" / ".kf-installed"
    want = digest(SITE / "package.json", SITE / "package-lock.json")
    if stamp.exists() and stamp.read_text() == want:
        return 0.0
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("site: npm is needed once to fetch require.js, the widget manager and MathJax "
                 "(Debian: apt-get install npm)")
    start = time.monotonic()
    log("installing the browser-side packages with npm ci (site/package-lock.json)")
    run([npm, "ci", "--prefix", str(SITE), "--no-audit", "--no-fund", "--loglevel=error"])
    stamp.write_text(want)
    took = time.monotonic() - start
    log(f"npm packages installed in {took:.1f} s")
    return took


def run(cmd: list[str], **kwargs) -> None:
    result = subprocess.run(cmd, **kwargs)
    if result.returncode:
        sys.exit(f"site: failed ({result.returncode}): {' '.join(cmd)}")


# ----------------------------------------------------------------------------- staging
class Linker:
    """Rewrites relative links of a repository file for its staged copy.

    A link to another page of the site becomes a link to its staged path; a link to any
    other file of the repository (course.toml, ARCHITECTURE.md, a helper) becomes its URL in
    the course's repository, on the configured branch, since the site does not carry it.
    """

    def __init__(self, course: links.Course, staged: dict[str, str]):
        self.course, self.staged = course, staged

    def repo_url(self, path: str) -> str:
        kind = "tree" if (ROOT / path).is_dir() else "blob"
        return f"{self.course.repository}/{kind}/{self.course.branch}/{path}"

    def target(self, source: str, link: str, dest: str | None = None) -> str:
        if re.match(r"^[a-z][a-z0-9+.-]*:", link, re.I) or link.startswith(("#", "/")):
            return link                      # external, mailto:, same-page anchor, absolute
        path, sep, anchor = link.partition("#")
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(source), path))
        if resolved.startswith("..") or not (ROOT / resolved).exists():
            return link                      # left to Sphinx, which warns (and the build fails)
        if resolved in self.staged:
            here = posixpath.dirname(dest or self.staged[source])
            return posixpath.relpath(self.staged[resolved], here or ".") + sep + anchor
        return self.repo_url(resolved) + sep + anchor

    def rewrite(self, source: str, text: str, dest: str | None = None) -> str:
        """``text`` of repository file ``source``, its links made right for the staged page
        ``dest`` (default: the staged copy of ``source``)."""
        out, fence = [], False
        for line in text.splitlines(keepends=True):
            if line.lstrip().startswith(("```", "~~~")):
                fence = not fence
            if not fence:
                line = LINK_RE.sub(lambda m: m.group(1) + self.target(source, m.group(2), dest) + m.group(3), line)
            out.append(line)
        return "".join(out)


def write_if_changed(path: Path, data: bytes | str) -> None:
    data = data.encode() if isinstance(data, str) else data
    if path.exists() and path.read_bytes() == data:
        return                                # keep the mtime: Sphinx then reuses its doctree
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def lesson_title(nb: dict, fallback: str) -> str:
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            for line in "".join(cell["source"]).splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return fallback


def corrections_of(nb: dict) -> list[str]:
    """The markdown of a notebook's "Where the post(s) got it wrong" section(s).

    A section starts at a heading or a bold line "Where the post(s) got it wrong" and runs to
    the next heading (or the end of its cell, then on through markdown cells that do not
    start with a heading). A heading line is dropped (the page gives each lesson its own);
    a bold line stays, with the context it gives.
    """
    sections: list[str] = []
    current: list[str] | None = None
    for cell in nb["cells"]:
        if cell["cell_type"] != "markdown":
            if current is not None:
                sections.append("\n".join(current).strip())
                current = None
            continue
        for line in "".join(cell["source"]).splitlines():
            if CORRECTIONS_RE.match(line):
                if current is not None:
                    sections.append("\n".join(current).strip())
                current = [] if HEADING_RE.match(line) else [line]
            elif current is not None and HEADING_RE.match(line):
                sections.append("\n".join(current).strip())
                current = None
            elif current is not None:
                current.append(line)
    if current is not None:
        sections.append("\n".join(current).strip())
    return [s for s in sections if s]


def corrections_page(linker: Linker) -> tuple[str, list[dict]]:
    intro = (SITE / "corrections-intro.md").read_text()
    parts, found, without = [intro.rstrip() + "\n"], [], []
    for path in lessons():
        nb = json.loads(path.read_text())
        source = f"notebooks/{path.name}"
        title = lesson_title(nb, path.stem)
        sections = corrections_of(nb)
        if not sections:
            without.append(title)
            continue
        page = posixpath.relpath(linker.staged[source], ".")
        parts.append(f"\n## {title}\n\nFrom [lesson {title.split(' ')[0]}]({page}), its section "
                     f"\"What we learned\":\n")
        for text in sections:
            parts.append("\n" + linker.rewrite(source, text, CORRECTIONS) + "\n")
        found.append({"lesson": path.name, "title": title, "sections": len(sections),
                      "first_words": " ".join(re.sub(r"[*`_\"]", "", sections[0]).split()[:8])})
    if without:
        parts.append("\n## Lessons without such a section\n\n"
                     + "".join(f"- {t}\n" for t in without))
    return "".join(parts), found


def config_yml(course: links.Course, hub: str | None, vendor: str) -> str:
    owner_name = course.github
    if owner_name is None:
        sys.exit(f"site: launch buttons need a GitHub repository in course.toml, got {course.repository}")
    config = {
        "title": "Kernels & Filters",
        "author": "the Kernels & Filters authors",
        "copyright": "2026",
        "only_build_toc_files": True,
        "exclude_patterns": ["_build", "**.ipynb_checkpoints"],
        "execute": {"execute_notebooks": "off"},
        "parse": {
            "myst_enable_extensions": ["colon_fence", "dollarmath", "amsmath"],
            "myst_url_schemes": ["mailto", "http", "https"],
        },
        "html": {
            "use_repository_button": True,
            "home_page_in_navbar": True,
            "baseurl": "",
        },
        "repository": {"url": course.repository, "branch": course.branch, "path_to_book": ""},
        "launch_buttons": {
            "notebook_interface": "jupyterlab",
            "binderhub_url": "https://mybinder.org",
            "colab_url": "https://colab.research.google.com",
            "jupyterhub_url": hub or "",
            "thebe": False,
        },
        "sphinx": {
            "config": {
                "mathjax_path": f"{vendor}/mathjax/tex-mml-chtml.js",
                "nb_ipywidgets_js": {
                    f"{vendor}/require.js": {},
                    f"{vendor}/html-manager/embed-amd.js": {},
                },
                "myst_heading_anchors": 4,
                "html_show_sourcelink": False,
            },
        },
    }
    return "# Written by tools/build_site.py from course.toml: edit that, not this.\n" + json.dumps(config, indent=2) + "\n"


def toc_yml(lesson_pages: list[str]) -> str:
    def entries(files):
        return "".join(f"      - file: {f}\n" for f in files)
    return ("# Written by tools/build_site.py.\n"
            "format: jb-book\n"
            "root: index\n"
            "parts:\n"
            "  - caption: Lessons\n    chapters:\n" + entries(lesson_pages) +
            "  - caption: What the posts say\n    chapters:\n" + entries(["corrections"]) +
            "  - caption: Teaching and sources\n    chapters:\n" +
            entries(["docs/instructor-guide", "docs/grading", "docs/sources", "data/README"]))


def stage(course: links.Course, hub: str | None) -> dict:
    staged = dict(PAGES)
    for path in lessons():
        staged[f"notebooks/{path.name}"] = f"notebooks/{path.name}"
    linker = Linker(course, staged)
    keep = {"_config.yml", "_toc.yml", CORRECTIONS}
    for source, target in PAGES.items():
        write_if_changed(SRC / target, linker.rewrite(source, (ROOT / source).read_text()))
        keep.add(target)
    figures = []
    for path in lessons():
        source = f"notebooks/{path.name}"
        nb = json.loads(path.read_text())
        for index, cell in enumerate(nb["cells"]):
            if cell["cell_type"] == "markdown":
                text = "".join(cell["source"])
                new = linker.rewrite(source, text)
                if new != text:
                    cell["source"] = new.splitlines(keepends=True)
            for output in cell.get("outputs", []):
                for mime in ("image/png", "image/svg+xml"):
                    if mime in output.get("data", {}):
                        alt = output.get("metadata", {}).get(mime, {}).get("alt", "")
                        figures.append({"lesson": path.name, "cell": index, "mime": mime, "alt": alt})
        write_if_changed(SRC / source, json.dumps(nb, indent=1, ensure_ascii=False) + "\n")
        keep.add(source)
    page, found = corrections_page(linker)
    write_if_changed(SRC / CORRECTIONS, page)
    write_if_changed(SRC / "_config.yml", config_yml(course, hub, "vendor"))
    write_if_changed(SRC / "_toc.yml", toc_yml([f"notebooks/{p.stem}" for p in lessons()]))
    for f in SRC.rglob("*"):                 # a lesson renamed or removed: its old copy goes
        if f.is_file() and str(f.relative_to(SRC)) not in keep:
            f.unlink()
    return {"staged": staged, "figures": figures, "corrections": found}


# ----------------------------------------------------------------------------- build
def vendor(static: Path) -> list[str]:
    copied = []
    for name, rel in VENDOR.items():
        src = SITE / "node_modules" / rel
        dst = static / "vendor" / name
        if not src.exists():
            sys.exit(f"site: {src} is missing: run npm ci --prefix site")
        if src.is_file():
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst)
        else:
            shutil.copytree(src, dst, ignore=lambda d, names: [n for n in names if VENDOR_SKIP.search(n)])
        copied.append(name)
    return copied


EXTERNAL_RE = [
    re.compile(r"<(?:script|img|iframe|source|audio|video)\b[^>]*\bsrc=[\"']((?:https?:)?//[^\"']+)", re.I),
    re.compile(r"<link\b[^>]*\bhref=[\"']((?:https?:)?//[^\"']+)", re.I),
    re.compile(r"@import\s+(?:url\()?[\"']?((?:https?:)?//[^\"')]+)", re.I),
    re.compile(r"url\(\s*[\"']?((?:https?:)?//[^\"')]+)", re.I),
]


def external_loads(site: Path) -> list[str]:
    """Every place a built page or style sheet would load something from another host."""
    found = []
    for f in list(site.rglob("*.html")) + list(site.rglob("*.css")):
        if "vendor" in f.relative_to(site).parts:
            continue
        text = f.read_text(errors="replace")
        for rx in EXTERNAL_RE:
            for m in rx.finditer(text):
                tag = text[max(0, m.start() - 1):m.start() + 80]
                if rx.pattern.startswith("<link") and re.search(r"rel=[\"'](?:canonical|alternate)", tag):
                    continue
                found.append(f"{f.relative_to(site)}: {m.group(1)}")
    return found


def source_digests() -> dict[str, str]:
    """sha256 of every file the site is made from (tests/test_site.py tells a stale site by it)."""
    files = ["course.toml", *PAGES, *(f"notebooks/{p.name}" for p in lessons())]
    return {f: hashlib.sha256((ROOT / f).read_bytes()).hexdigest() for f in files}


def build(python: str, hub: str | None) -> dict:
    course = links.load()
    times = {"venv": install_venv(python), "npm": install_npm()}
    if times["venv"] and WORK.exists():     # new Sphinx or plugin: Sphinx's cached doctrees are stale
        shutil.rmtree(WORK)
    start = time.monotonic()
    info = stage(course, hub)
    times["stage"] = time.monotonic() - start
    log(f"staged {len(info['staged']) + 1} pages into {SRC.relative_to(ROOT)} in {times['stage']:.1f} s")

    start = time.monotonic()
    jb = VENV / "bin" / "jupyter-book"
    env = dict(os.environ, PYDEVD_DISABLE_FILE_VALIDATION="1")
    env.pop("PYTHONPATH", None)
    run([str(jb), "build", str(SRC), "--path-output", str(WORK), "--builder", "html",
         "--warningiserror", "--keep-going", "--quiet"], env=env, cwd=ROOT)
    times["sphinx"] = time.monotonic() - start

    start = time.monotonic()
    html = WORK / "_build" / "html"
    if OUT.exists():
        shutil.rmtree(OUT)
    shutil.copytree(html, OUT, ignore=shutil.ignore_patterns(".buildinfo", ".doctrees"))
    vendored = vendor(OUT / "_static")
    times["vendor"] = time.monotonic() - start
    leaks = external_loads(OUT)
    if leaks:
        sys.exit("site: built pages load from another host:\n  " + "\n  ".join(leaks[:30]))
    pages = sorted(str(p.relative_to(OUT)) for p in OUT.rglob("*.html") if "vendor" not in p.parts)
    referenced = ["vendor/mathjax/tex-mml-chtml.js", "vendor/require.js", "vendor/html-manager/embed-amd.js"]
    missing = [f for f in referenced if not (OUT / "_static" / f).is_file()]
    if missing:
        sys.exit(f"site: the configuration points at files that were not vendored: {missing}")
    manifest = {
        "repository": course.repository, "branch": course.branch, "hub": hub or "",
        "sources": source_digests(),
        "static_referenced": referenced,
        "pages": pages, "figures": info["figures"], "corrections": info["corrections"],
        "vendored": vendored, "seconds": {k: round(v, 1) for k, v in times.items()},
    }
    MANIFEST.write_text(json.dumps(manifest, indent=1) + "\n")
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hub", help="a JupyterHub URL for the JupyterHub launch button (https://...)")
    parser.add_argument("--python", default=None,
                        help="the Python for build/site-venv (default: the one running this script)")
    parser.add_argument("--install-only", action="store_true", help="only the website's venv and npm packages")
    args = parser.parse_args(argv)
    if args.hub:
        links._check_url("--hub", args.hub)
        if urlsplit(args.hub).scheme != "https":
            parser.error("--hub must be an https:// URL")
    python = args.python or sys.executable
    BUILD.mkdir(exist_ok=True)
    if args.install_only:
        install_venv(python)
        install_npm()
        return 0
    start = time.monotonic()
    manifest = build(python, args.hub)
    s = manifest["seconds"]
    with_alt = sum(1 for f in manifest["figures"] if len(f["alt"].strip()) >= 20)
    log(f"built {OUT.relative_to(ROOT)}: {len(manifest['pages'])} pages, {len(manifest['figures'])} figures "
        f"({with_alt} with alt text); build {s['stage'] + s['sphinx'] + s['vendor']:.1f} s "
        f"(stage {s['stage']} s, Jupyter Book {s['sphinx']} s, vendor {s['vendor']} s), "
        f"installs {s['venv'] + s['npm']:.1f} s; total {time.monotonic() - start:.1f} s")
    log(f"view it: open {OUT.relative_to(ROOT)}/index.html, or python3 -m http.server -d {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
