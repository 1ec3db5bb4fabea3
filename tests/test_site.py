"""The course website (build/site/, made by `make site`) works offline in a real browser.

build/site/ is served on 127.0.0.1 by Python's http.server; Chromium opens every page with a
route that lets through only requests to that server and aborts (and records) every other.
For every page: no request to another host, no failed request or HTTP error, no script error,
every <img> loaded (naturalWidth > 0) with alt text; every lesson page shows each figure its
notebook holds (the static default-state figure of each slider panel among them) and the
launch buttons made from course.toml's repository and branch; math typeset by MathJax with no
raw TeX left; every link inside the site answers 200 and its #anchor exists. The search page
finds "kernel".

Skipped when the site has not been built (make site); REQUIRE_SITE=1 (CI) makes a missing
site, browser or Playwright a failure.
"""
from __future__ import annotations

import hashlib
import html as html_lib
import http.server
import json
import os
import re
import sys
import threading
import urllib.error
import urllib.request
from functools import partial
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlencode

import pytest

from labserver import CHROMIUM_ARGS, chromium_path

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "build" / "site"
MANIFEST = ROOT / "build" / "site-manifest.json"
sys.path.insert(0, str(ROOT / "tools"))
import links  # noqa: E402  (course.toml)

try:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright
except ImportError:          # pragma: no cover - depends on the machine
    sync_playwright = None

CHROMIUM = chromium_path()
_missing = None
if not (SITE / "index.html").exists() or not MANIFEST.exists():
    _missing = "the website is not built (make site)"
elif sync_playwright is None:
    _missing = "Python package playwright is not installed"
elif CHROMIUM is None:
    _missing = "Chromium not found (Debian: apt-get install chromium)"
else:                        # built from other notebooks, pages or course.toml than these: stale
    _built_from = json.loads(MANIFEST.read_text()).get("sources", {})
    _now = {f: hashlib.sha256((ROOT / f).read_bytes()).hexdigest() for f in _built_from if (ROOT / f).exists()}
    _lessons_now = {f"notebooks/{p.name}" for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")}
    _changed = sorted(f for f in set(_built_from) | _lessons_now if _built_from.get(f) != _now.get(f))
    if not _built_from or _changed:
        _missing = f"build/site was built from other sources ({', '.join(_changed[:3])}): run make site"
if _missing and os.environ.get("REQUIRE_SITE") == "1":
    pytest.fail(f"REQUIRE_SITE=1 but {_missing}", pytrace=False)

pytestmark = [pytest.mark.browser, pytest.mark.skipif(_missing is not None, reason=_missing or "")]

LESSONS = sorted(p.stem for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
PAGES = sorted(str(p.relative_to(SITE)) for p in SITE.rglob("*.html")
               if "_static" not in p.relative_to(SITE).parts) if SITE.exists() else []


def course() -> links.Course:
    """course.toml's repository and branch (read when a test needs them: Python 3.10 without
    tomli cannot, and collecting this module must not fail there)."""
    return links.load()


# ----------------------------------------------------------------------------- server, browser
class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(SITE)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=10)


class Traffic:
    """What the pages asked for: requests to other hosts (aborted), failed requests, HTTP errors."""

    #: sphinx-thebe 0.3.1 registers its inline settings script (`const THEBE_JS_URL = ...`) after
    #: the HTML builder started; Sphinx 7.4 then adds such scripts twice (once from
    #: app.add_js_file, again in the builder's prepare_writing), so the second copy throws this
    #: on every page. Harmless: the site has no live-code button (launch_buttons.thebe is false),
    #: so thebe is never loaded. Only this exact message is tolerated.
    KNOWN_SCRIPT_ERRORS = {"Identifier 'THEBE_JS_URL' has already been declared"}

    def __init__(self, origin: str):
        self.origin = origin
        self.other_hosts, self.failed, self.http_errors, self.script_errors = [], [], [], []

    def route(self, route):
        url = route.request.url
        if url.startswith(self.origin + "/"):
            route.continue_()
        else:
            self.other_hosts.append(url)
            route.abort("blockedbyclient")

    def request_failed(self, request):
        if request.url.startswith(self.origin + "/"):
            self.failed.append(f"{request.url} ({request.failure})")

    def response(self, response):
        if response.status >= 400:
            self.http_errors.append(f"{response.url} -> HTTP {response.status}")

    def clear(self):
        for items in (self.other_hosts, self.failed, self.http_errors, self.script_errors):
            items.clear()


@pytest.fixture(scope="module")
def browser(server, tmp_path_factory):
    profile = tmp_path_factory.mktemp("chromium-site-profile")
    traffic = Traffic(server)
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 900}, service_workers="block")
        context.set_default_timeout(30_000)
        context.route("**/*", traffic.route)
        context.on("requestfailed", traffic.request_failed)
        context.on("response", traffic.response)
        yield context, traffic
        context.close()


IMAGES_JS = """() => Array.from(document.images).map(img => ({
  src: img.getAttribute('src'), complete: img.complete, width: img.naturalWidth,
  alt: (img.getAttribute('alt') || '').trim(), output: !!img.closest('.cell_output')}))"""

RAW_TEX_JS = """() => {
  const body = document.body.cloneNode(true);
  body.querySelectorAll('pre, code, script, style, mjx-container, mjx-assistive-mml').forEach(e => e.remove());
  const text = body.textContent;
  return ['$$', '\\\\(', '\\\\[', '\\\\frac', '\\\\sum'].filter(s => text.includes(s));
}"""

LAUNCH_JS = """() => Array.from(document.querySelectorAll('.dropdown-launch-buttons a.dropdown-item'), a => [
  a.querySelector('.btn__text-container').textContent.trim(), a.getAttribute('href')])"""


def _visit(context, traffic, url: str) -> dict:
    """Open ``url`` once and record everything the tests below look at."""
    traffic.clear()
    page = context.new_page()
    page.on("pageerror", lambda exc: str(exc) in Traffic.KNOWN_SCRIPT_ERRORS
            or traffic.script_errors.append(str(exc)))
    try:
        page.goto(url, wait_until="load")
        n_math = page.locator(".math").count()
        waits = [f"() => document.querySelectorAll('mjx-container').length >= {n_math}"] if n_math else []
        waits.append("() => Array.from(document.images).every(i => i.complete)")
        timed_out = []
        for js in waits:                     # a page that never gets there is recorded, not fatal
            try:
                page.wait_for_function(js, timeout=20_000)
            except PlaywrightTimeout:
                timed_out.append(js)
        try:
            page.wait_for_load_state("networkidle", timeout=20_000)
        except PlaywrightTimeout:
            timed_out.append("network idle")
        seen = {
            "timed_out": timed_out,
            "images": page.evaluate(IMAGES_JS),
            "hrefs": page.evaluate("() => Array.from(document.querySelectorAll('a[href]'), a => a.href)"),
            "launch": dict(page.evaluate(LAUNCH_JS)),
            "repo_button": [a.get_attribute("href") for a in page.locator("a.btn-source-repository-button").all()],
            "math": n_math,
            # in document order: "note" for a slider note, "img" for a figure of a cell output
            "outputs": page.evaluate("""() => Array.from(
                document.querySelectorAll('.cell_output img, .kf-widget-note'),
                e => e.matches('.kf-widget-note') ? 'note' : 'img')"""),
            "typeset": page.locator("mjx-container").count(),
            "raw_tex": page.evaluate(RAW_TEX_JS),
        }
    finally:
        page.close()
    seen.update(other_hosts=list(traffic.other_hosts), failed=list(traffic.failed),
                http_errors=list(traffic.http_errors), script_errors=list(traffic.script_errors))
    return seen


@pytest.fixture(scope="module")
def visits(browser, server):
    """Every page of the site, opened once each: page path -> what was seen."""
    context, traffic = browser
    return {path: _visit(context, traffic, f"{server}/{path}") for path in PAGES}


# ----------------------------------------------------------------------------- every page
def test_the_site_has_every_page():
    expected = {"index.html", "corrections.html", "search.html", "genindex.html",
                "docs/instructor-guide.html", "docs/grading.html", "docs/sources.html", "data/README.html"}
    expected |= {f"notebooks/{stem}.html" for stem in LESSONS}
    assert expected <= set(PAGES), f"missing pages: {sorted(expected - set(PAGES))}"
    assert len(LESSONS) == 7


@pytest.mark.parametrize("page_path", PAGES)
def test_page_loads_only_from_the_site(visits, page_path):
    seen = visits[page_path]
    assert not seen["other_hosts"], f"{page_path} asked other hosts for: {seen['other_hosts']}"
    assert not seen["failed"], f"{page_path}: failed requests: {seen['failed']}"
    assert not seen["http_errors"], f"{page_path}: {seen['http_errors']}"
    assert not seen["script_errors"], f"{page_path}: script errors: {seen['script_errors']}"
    assert not seen["timed_out"], f"{page_path}: never reached {seen['timed_out']}"
    broken = [i["src"] for i in seen["images"] if i["width"] == 0]
    no_alt = [i["src"] for i in seen["images"] if not i["alt"]]
    assert not broken, f"{page_path}: images that did not load: {broken}"
    assert not no_alt, f"{page_path}: images without alt text: {no_alt}"


def _figures(stem: str) -> list[str]:
    nb = json.loads((ROOT / "notebooks" / f"{stem}.ipynb").read_text())
    return [" ".join(o["metadata"]["image/png"]["alt"].split()) for c in nb["cells"]
            for o in c.get("outputs", []) if "image/png" in o.get("data", {})]


@pytest.mark.parametrize("stem", LESSONS)
def test_lesson_page_shows_every_figure_with_its_alt_text(visits, stem):
    """Every figure the notebook holds, in order, with the notebook's own alt text: among them the
    static default-state figure each slider panel leaves (the widget needs a kernel)."""
    seen = visits[f"notebooks/{stem}.html"]
    shown = [" ".join(i["alt"].split()) for i in seen["images"] if i["output"]]
    assert shown == _figures(stem)
    assert all(i["width"] > 0 for i in seen["images"] if i["output"])


@pytest.mark.parametrize("stem", LESSONS)
def test_every_slider_panel_has_a_note_and_its_static_figure(visits, stem):
    nb = json.loads((ROOT / "notebooks" / f"{stem}.ipynb").read_text())
    n_views = sum("application/vnd.jupyter.widget-view+json" in o.get("data", {})
                  for c in nb["cells"] for o in c.get("outputs", []))
    order = visits[f"notebooks/{stem}.html"]["outputs"]
    assert order.count("note") == n_views >= 1
    for i, kind in enumerate(order):
        if kind == "note":
            assert order[i + 1:i + 2] == ["img"], f"{stem}: slider note {order[:i + 1].count('note')} is not followed by a figure"


def test_vendored_files_are_in_the_site():
    """The files _config.yml points MathJax and the widget manager at were copied into the site."""
    manifest = json.loads(MANIFEST.read_text())
    assert manifest["static_referenced"] == ["vendor/mathjax/tex-mml-chtml.js", "vendor/require.js",
                                             "vendor/html-manager/embed-amd.js"]
    for rel in manifest["static_referenced"]:
        assert (SITE / "_static" / rel).stat().st_size > 10_000, rel
    config = (ROOT / "build" / "site-src" / "_config.yml").read_text()
    assert '"mathjax_path": "vendor/mathjax/tex-mml-chtml.js"' in config
    assert '"vendor/html-manager/embed-amd.js": {}' in config and '"vendor/require.js": {}' in config


def test_site_figure_count_matches_the_notebooks():
    manifest = json.loads(MANIFEST.read_text())
    assert len(manifest["figures"]) == sum(len(_figures(stem)) for stem in LESSONS) == 37
    assert all(len(f["alt"]) >= 20 for f in manifest["figures"])


# ----------------------------------------------------------------------------- math
MATH_PAGES = ["notebooks/03_index_math.html", "notebooks/04_initialization.html"]


def test_math_is_typeset(visits):
    with_math = sorted(p for p, seen in visits.items() if seen["math"])
    assert with_math == MATH_PAGES
    for page_path in with_math:
        seen = visits[page_path]
        assert seen["typeset"] >= seen["math"], f"{page_path}: {seen['math']} formulas, {seen['typeset']} typeset"
    for page_path, seen in visits.items():
        assert seen["raw_tex"] == [], f"{page_path}: raw TeX left on the page: {seen['raw_tex']}"


# ----------------------------------------------------------------------------- search
def test_search_finds_kernel(browser, server):
    context, traffic = browser
    traffic.clear()
    page = context.new_page()
    try:
        page.goto(f"{server}/search.html?q=kernel")
        results = page.locator("#search-results ul.search li")
        results.first.wait_for(timeout=30_000)
        page.wait_for_function("() => !document.querySelector('#search-progress') "
                               "|| !document.querySelector('#search-progress').textContent.includes('Preparing')")
        hrefs = [a.get_attribute("href") for a in results.locator("a").all()]
        assert any("notebooks/01_kernel_vs_filter.html" in h for h in hrefs), hrefs
        assert len(results.all()) >= 5
        assert not traffic.other_hosts, traffic.other_hosts
    finally:
        page.close()


# ----------------------------------------------------------------------------- links
class _Anchors(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids = set()

    def handle_starttag(self, tag, attrs):
        for key, value in attrs:
            if key == "id" or (tag == "a" and key == "name"):
                self.ids.add(value)


def _fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as resp:
            body = resp.read()
            return resp.status, body.decode("utf-8", "replace") if url.endswith(".html") else ""
    except urllib.error.HTTPError as exc:
        return exc.code, ""


def test_every_internal_link_resolves(visits, server):
    targets: dict[str, tuple[int, set]] = {}
    broken, checked = [], 0
    for page_path, seen in visits.items():
        for href in seen["hrefs"]:
            if not href.startswith(server + "/"):
                continue
            url, anchor = urldefrag(href)
            if url not in targets:
                status, body = _fetch(url)
                parser = _Anchors()
                parser.feed(body)
                targets[url] = (status, parser.ids)
            status, ids = targets[url]
            checked += 1
            if status != 200:
                broken.append(f"{page_path}: {href} -> HTTP {status}")
            elif anchor and url.endswith(".html") and unquote(anchor) not in ids:
                broken.append(f"{page_path}: {href} -> no #{unquote(anchor)} on that page")
    assert not broken, "broken links:\n" + "\n".join(broken)
    assert checked > 500, f"only {checked} internal links checked"


def test_readme_links_to_files_point_at_the_repository():
    COURSE = course()
    html = (SITE / "index.html").read_text()
    assert f'href="{COURSE.repository}/blob/{COURSE.branch}/course.toml"' in html
    assert 'href="notebooks/01_kernel_vs_filter.html"' in html
    assert 'href="docs/instructor-guide.html"' in html


# ----------------------------------------------------------------------------- launch buttons
@pytest.mark.parametrize("stem", LESSONS)
def test_launch_buttons_use_course_toml(visits, stem):
    COURSE = course()
    owner, name = COURSE.github
    path = f"notebooks/{stem}.ipynb"
    expected = {
        "Binder": f"https://mybinder.org/v2/gh/{owner}/{name}/{COURSE.branch}?urlpath=lab/tree/{path}",
        "Colab": f"https://colab.research.google.com/github/{owner}/{name}/blob/{COURSE.branch}/{path}",
    }
    hub = json.loads(MANIFEST.read_text())["hub"]
    if hub:
        query = urlencode({"repo": COURSE.repository, "urlpath": f"lab/tree/{name}/{path}",
                           "branch": COURSE.branch}, safe="/")
        expected["JupyterHub"] = f"{hub.rstrip('/')}/hub/user-redirect/git-pull?{query}"
    seen = visits[f"notebooks/{stem}.html"]
    assert seen["launch"] == expected
    for href in seen["launch"].values():
        plain = unquote(href)
        assert f"{owner}/{name}" in plain and COURSE.branch in plain
    assert seen["repo_button"] and set(seen["repo_button"]) == {COURSE.repository}


# ----------------------------------------------------------------------------- corrections page
def test_corrections_page_quotes_each_lesson():
    manifest = json.loads(MANIFEST.read_text())
    lessons = {c["lesson"] for c in manifest["corrections"]}
    assert lessons == {"01_kernel_vs_filter.ipynb", "02_peak_detection.ipynb", "03_index_math.ipynb",
                       "06_capstone_tiny_cnn.ipynb"}
    html = (SITE / "corrections.html").read_text()
    text = re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]+>", "", html)))
    for c in manifest["corrections"]:
        assert f'href="notebooks/{c["lesson"].removesuffix(".ipynb")}.html"' in html
        assert c["first_words"] in text, c["first_words"]
    # a claim quoted from lesson 02's section, word for word as the notebook has it
    assert "the pooled output is y(4) = y[3] = 0.5152" in text
    assert 'href="docs/sources.html"' in html
