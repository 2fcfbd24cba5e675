"""The HTML reports as a person sees them: rendered by a real browser, headless Chromium.

Each report page (plan, check, many inputs, diagnosis, restore) is opened at
1280 pixels and at 400, with a script added to a copy of it (the report itself
has none) that writes what the page measures into the page; the browser
prints the page's DOM, and the test reads the measures back. The page is also
printed to PDF, and the words of every column are looked for in it.

Chromium is Debian's package (``.ci/run`` installs it, with poppler-utils for
``pdftotext``). Where it is missing the tests are skipped, saying why; under
CI (``CI`` set) they fail instead, so a missing browser cannot pass unseen.
"""

from __future__ import annotations

import contextlib
import html
import io
import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import hyperv_backup as hb
from hyperv_backup.cli import main
from hyperv_backup.decide.results import Consistency
from hyperv_backup.examples import example_text
from hyperv_backup.render._palette import TONES, look

BROWSER = shutil.which("chromium") or shutil.which("chromium-browser")
PDFTOTEXT = shutil.which("pdftotext")


def _needed() -> None:
    missing = [name for name, path in (("chromium", BROWSER), ("pdftotext", PDFTOTEXT)) if not path]
    if not missing:
        return
    why = f"{' and '.join(missing)} not installed (apt-get install chromium poppler-utils)"
    if os.environ.get("CI"):
        pytest.fail(f"the browser tests must run in CI: {why}")
    pytest.skip(why)


def _flags(profile: str) -> list[str]:
    return [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
    ]


def _chromium(*args: str) -> str:
    assert BROWSER is not None
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run(  # noqa: S603 - the browser found on PATH, with fixed flags
            [BROWSER, *_flags(profile), *args],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    return done.stdout


#: What the page measures: its width against the window's, where the summary
#: ends, and the colours of each outcome's first cell or card.
_MEASURE = """
<pre id="hvb-measured"></pre>
<script>
const lead = document.querySelector(".lead");
const colours = {};
for (const el of document.querySelectorAll("[class*='out-']")) {
  const name = [...el.classList].find((c) => c.startsWith("out-"));
  if (!(name in colours)) {
    const style = getComputedStyle(el);
    colours[name] = [style.color, style.backgroundColor];
  }
}
const cells = [...document.querySelectorAll("td")].map((td) => getComputedStyle(td).textAlign);
document.getElementById("hvb-measured").textContent = JSON.stringify({
  scrollWidth: document.documentElement.scrollWidth,
  clientWidth: document.documentElement.clientWidth,
  innerHeight: innerHeight,
  leadBottom: lead ? lead.getBoundingClientRect().bottom : null,
  colours: colours,
  aligned: [...new Set(cells)],
});
</script>
"""


def measure(page: str, width: int, height: int = 800, before: str = "") -> dict[str, Any]:
    """Open ``page`` at ``width`` by ``height`` and return what it measures."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "page.html"
        body = page.replace("<body>\n", f"<body>\n{before}", 1)
        path.write_text(body.replace("</body>", _MEASURE + "</body>"), encoding="utf-8")
        dom = _chromium(f"--window-size={width},{height}", "--dump-dom", path.as_uri())
    found = re.search(r'<pre id="hvb-measured">(.*?)</pre>', dom, re.DOTALL)
    assert found, dom[-2000:]
    measured: dict[str, Any] = json.loads(html.unescape(found.group(1)))
    return measured


def printed_words(page: str) -> str:
    """Print ``page`` to PDF and return the text it holds, every word run together."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "page.html"
        path.write_text(page, encoding="utf-8")
        pdf = Path(folder) / "page.pdf"
        _chromium(f"--print-to-pdf={pdf}", "--no-pdf-header-footer", path.as_uri())
        assert PDFTOTEXT is not None
        text = subprocess.run(  # noqa: S603 - pdftotext found on PATH
            [PDFTOTEXT, str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
    # A word a narrow column broke after a hyphen is printed on two lines, and
    # pdftotext joins it without the hyphen: spaces and hyphens are left out.
    return _bare(text)


def _bare(text: str) -> str:
    return re.sub(r"[\s-]+", "", text)


def _cli(*args: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        main([*args, "--format", "html"])
    return out.getvalue()


@pytest.fixture(scope="module")
def fleet() -> Iterator[Path]:
    """Save copies of the examples in two folders, beside an input that is no inventory."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for site, name, file in (
            ("site-a", "cluster", "cluster-2008r2.json"),
            ("site-a", "host", "host-2012r2.json"),
            ("site-b", "cluster-2022", "cluster-2022.json"),
        ):
            (root / site).mkdir(exist_ok=True)
            (root / site / file).write_text(example_text(name), encoding="utf-8")
        (root / "site-b" / "broken.json").write_text('{"bad":', encoding="utf-8")
        yield root


def _events(folder: Path) -> Path:
    log = folder / "vmms.xml"
    log.write_text(
        '<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><System>'
        '<Provider Name="Microsoft-Windows-Hyper-V-VMMS"/><EventID>18012</EventID><Level>2</Level>'
        '<TimeCreated SystemTime="2026-12-06T02:00:01.0000000Z"/>'
        "<Channel>Microsoft-Windows-Hyper-V-VMMS-Admin</Channel><Computer>HV22-NODE1</Computer>"
        '</System><UserData><VmlEventLog xmlns="http://www.microsoft.com/Windows/Virtualization/Events">'
        "<VmName>APP01</VmName></VmlEventLog></UserData></Event>",
        encoding="utf-8",
    )
    return log


@pytest.fixture(scope="module")
def pages(fleet: Path) -> dict[str, str]:
    """Each HTML report a person is sent: plan, check, many inputs, diagnosis, restore."""
    return {
        "plan": _cli("plan", "--example", "cluster-2022"),
        "check": _cli("check", "--example", "cluster-2022"),
        "fleet": _cli("plan", str(fleet / "site-a"), str(fleet / "site-b"), "--jobs", "1"),
        "diagnose": _cli("diagnose", str(_events(fleet)), "--example", "cluster-2022"),
        "restore": _cli("restore", "--example", "cluster-2022", "APP01"),
    }


REPORTS = ["plan", "check", "fleet", "diagnose", "restore"]


@pytest.mark.parametrize("name", REPORTS)
def test_no_horizontal_scroll_at_1280_pixels(pages: dict[str, str], name: str) -> None:
    _needed()
    measured = measure(pages[name], 1280)
    assert measured["scrollWidth"] <= measured["clientWidth"], measured


@pytest.mark.parametrize("name", REPORTS)
def test_no_horizontal_scroll_at_400_pixels(pages: dict[str, str], name: str) -> None:
    """On a phone's width a table's rows become cards, each value under its column's name."""
    _needed()
    measured = measure(pages[name], 400, 900)
    assert measured["scrollWidth"] <= measured["clientWidth"], measured


@pytest.mark.parametrize("name", ["plan", "fleet"])
def test_the_summary_is_above_the_fold(pages: dict[str, str], name: str) -> None:
    """The backups by outcome and what is at risk show without scrolling, at 1280 by 800."""
    _needed()
    measured = measure(pages[name], 1280, 800)
    assert measured["leadBottom"] is not None
    assert measured["leadBottom"] <= measured["innerHeight"], measured


def _rgb(colour: str) -> str:
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({red}, {green}, {blue})"


@pytest.mark.parametrize("name", ["plan", "fleet"])
def test_each_outcome_shows_in_its_tone(pages: dict[str, str], name: str) -> None:
    """Fails and not backed up red, crash-consistent and saved amber, consistent green."""
    _needed()
    colours = measure(pages[name], 1280)["colours"]
    assert colours
    for consistency in Consistency:
        shown = look(consistency)
        if shown.css in colours:
            text, background = TONES[shown.tone][2]
            assert colours[shown.css] == [_rgb(text), _rgb(background)], consistency
    assert colours["out-fails"][1] == _rgb("#ffebe9")
    assert colours["out-crash"][1] == _rgb("#fff8c5")


@pytest.mark.parametrize("name", REPORTS)
def test_every_column_is_printed(pages: dict[str, str], name: str) -> None:
    """Printed to PDF, every column's heading and every source's words are on the page, whole."""
    _needed()
    printed = printed_words(pages[name])
    for heading in set(re.findall(r'<th scope="col">([^<]*)</th>', pages[name])):
        assert _bare(html.unescape(heading)) in printed, heading
    # The words of the last column, where a table too wide for the page is cut.
    sources = re.findall(r'<a href="https://[^"]*">([^<]*)</a>', pages[name])
    for text in sources:
        for word in html.unescape(text).split():
            assert _bare(word) in printed, (word, text)


def test_notebook_tables_are_aligned_left_under_a_notebooks_style() -> None:
    """Under JupyterLab's and the classic notebook's rules, which align cells right, ours are left."""
    _needed()
    fragment = hb.load_example("host")._repr_html_()
    notebook = (
        "<style>.jp-RenderedHTMLCommon td,.jp-RenderedHTMLCommon th,"
        ".rendered_html td,.rendered_html th{text-align:right}</style>"
    )
    page = (
        "<!DOCTYPE html><html><head></head><body>\n"
        f'<div class="jp-RenderedHTMLCommon rendered_html">{fragment}</div>'
        "</body></html>"
    )
    measured = measure(page, 1280, before=notebook)
    assert measured["aligned"] == ["left"]
