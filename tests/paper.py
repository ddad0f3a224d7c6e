"""What people read, seen with the tools they use: headless Chromium (page width, chart text,
screenshots), axe-core (accessibility) and LibreOffice (an Excel workbook as printed pages).

These are test-time tools, installed by ``make test-tools`` from the package registries (Debian's
chromium, libreoffice-calc-nogui and poppler-utils; axe-core from npm into ``.tools/``). The tests
in ``test_paper.py`` skip, naming the missing tool, where one is absent. ``make screenshots``
runs :func:`main`: the example's reports (annual and self-assessment; HTML and Excel) rendered,
measured and photographed into ``screenshots/`` (git-ignored).
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / ".tools"
AXE = TOOLS / "node_modules" / "axe-core" / "axe.min.js"
#: The example's reporting year and the day its records end.
YEAR = "2024-25"
AS_OF = "2025-07-31"
#: Viewport widths: a desktop and a phone (an iPhone 12 to 15 is 390 CSS pixels wide).
DESKTOP, PHONE = 1280, 390
#: The smallest chart text a phone reader should get, in CSS pixels.
MIN_CHART_TEXT_PX = 11.0
#: The annual workbook of the example prints on at most this many pages (it was 33, then 20).
#: Every sheet starts a page of its own: the headline figures with the TSMs, statements and
#: learning; the quarterly table; the three charts; the small tables (outcomes, categories,
#: refusals, remedies, the Ombudsman); the self-assessment appendix (72 provisions, one page
#: wide: six pages); the action plan; About (with how we count).
#: The Headline sheet takes two pages since it shows the sector benchmarks, the Outcomes sheet two
#: since it shows the rates and averages.
MAX_ANNUAL_PAGES = 13


def chromium() -> str | None:
    """Headless Chromium (or Chrome): ``HCODE_CHROMIUM``, else the first on PATH."""
    named = os.environ.get("HCODE_CHROMIUM")
    if named:
        return named if Path(named).exists() else None
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def pdftoppm() -> str | None:
    return shutil.which("pdftoppm")


def pdftotext() -> str | None:
    return shutil.which("pdftotext")


def axe() -> Path | None:
    return AXE if AXE.is_file() else None


# -- rendering the example's reports -----------------------------------------------------------


def render_reports(workspace: Path, out: Path) -> dict[str, Path]:
    """The example's annual and self-assessment reports as HTML and Excel files in ``out``:
    ``{"annual.html": path, "annual.xlsx": ..., "assessment.html": ..., "assessment.xlsx": ...}``.
    Written by the command line run in this process (as the tests run it: files written with
    ``-o`` are the same as from a new process, without starting Python four times)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from conftest import run

    out.mkdir(parents=True, exist_ok=True)
    files = {}
    for report in ("annual", "assessment"):
        for fmt in ("html", "xlsx"):
            target = out / f"{report}.{fmt}"
            args = ["report", report, str(workspace), "--year", YEAR, "--as-of", AS_OF, "--format", fmt]
            result = run(*args, "-o", str(target))
            assert result.exit_code == 0, result.stdout + result.stderr
            files[f"{report}.{fmt}"] = target
    return files


# -- Chromium ----------------------------------------------------------------------------------------

#: Run in the page once it has loaded: the page's width against the viewport's, every chart
#: text's rendered size, overlapping chart texts, duplicate ids and what each chart is named by.
MEASURE_JS = r"""
var CROWDED = 4;
function hcodeMeasure() {
  var out = {innerWidth: window.innerWidth, scrollWidth: document.documentElement.scrollWidth,
             scrollHeight: document.documentElement.scrollHeight, chartText: [], overlaps: [],
             crowded: [], duplicateIds: [], charts: [], outside: []};
  var seen = {};
  document.querySelectorAll('[id]').forEach(function (e) {
    if (e.id in seen && out.duplicateIds.indexOf(e.id) < 0) out.duplicateIds.push(e.id);
    seen[e.id] = true;
  });
  document.querySelectorAll('svg').forEach(function (svg) {
    var box = svg.getBoundingClientRect();
    var scale = svg.viewBox && svg.viewBox.baseVal && svg.viewBox.baseVal.width ? box.width / svg.viewBox.baseVal.width : 1;
    var names = (svg.getAttribute('aria-labelledby') || '').split(/\s+/).filter(Boolean).map(function (id) {
      var e = document.getElementById(id);
      return {id: id, inside: !!e && svg.contains(e), text: e ? e.textContent : null};
    });
    out.charts.push({width: box.width, names: names});
    var rects = [];
    svg.querySelectorAll('text').forEach(function (t) {
      var size = parseFloat(getComputedStyle(t).fontSize) * scale;
      out.chartText.push({text: t.textContent, px: Math.round(size * 100) / 100});
      var r = t.getBoundingClientRect();
      rects.forEach(function (o) {
        if (r.left < o.r.right - 0.5 && o.r.left < r.right - 0.5 && r.top < o.r.bottom - 0.5 && o.r.top < r.bottom - 0.5)
          out.overlaps.push([o.text, t.textContent]);
        // two texts one above the other, less than CROWDED px apart (for example a chart's
        // title and the label at the top of its axis): they read as one
        else if (r.left < o.r.right && o.r.left < r.right && Math.max(r.top - o.r.bottom, o.r.top - r.bottom) < CROWDED)
          out.crowded.push([o.text, t.textContent]);
      });
      rects.push({r: r, text: t.textContent});
    });
  });
  // elements reaching past the right edge that are not inside their own scrolling container
  document.querySelectorAll('body *').forEach(function (e) {
    var r = e.getBoundingClientRect();
    if (r.right <= window.innerWidth + 0.5 || r.width === 0) return;
    for (var p = e.parentElement; p; p = p.parentElement) {
      var s = getComputedStyle(p).overflowX;
      if (s === 'auto' || s === 'scroll' || s === 'hidden') return;
    }
    if (out.outside.length < 20) out.outside.push(e.tagName.toLowerCase() + (e.className && e.className.baseVal === undefined ? '.' + e.className : ''));
  });
  return out;
}
"""


def _chrome_command(width: int, height: int, profile: str) -> list[str]:
    exe = chromium()
    assert exe is not None
    args = [exe, "--headless", "--disable-gpu", "--hide-scrollbars", "--no-first-run", "--mute-audio"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--no-sandbox")  # Chromium refuses to run as root with its sandbox
    return args + [f"--window-size={width},{height}", f"--user-data-dir={profile}", "--force-device-scale-factor=1"]


#: Headless Chromium will not make a window narrower than this, so a narrower viewport is an
#: iframe of that width in a page of its own (the report inside it lays out as on a phone).
MIN_WINDOW = 500


def _framed(source: str, width: int, height: int, top: int = 0, shown: int | None = None) -> str:
    """A page holding ``source`` in an iframe ``width`` CSS pixels wide: its viewport, ``height``
    tall, of which ``shown`` pixels from ``top`` are in view. The rest of the window is grey, so
    a screenshot shows where the phone's screen ends."""
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"></head><body style="margin:0;background:#888">'
        f'<div style="overflow:hidden;width:{width}px;height:{shown or height}px">'
        f'<iframe title="report" style="border:0;display:block;background:#fff;margin-top:-{top}px;'
        f'width:{width}px;height:{height}px" srcdoc="{html.escape(source, quote=True)}"></iframe>'
        "</div></body></html>"
    )


def _run_in_page(page: Path, width: int, script: str, budget_ms: int = 10_000) -> Any:
    """Open ``page`` in a viewport ``width`` CSS pixels wide with ``script`` added at its end;
    the script calls ``hcodeReport(value)``, and the value comes back (read from the DOM
    Chromium dumps)."""
    source = page.read_text(encoding="utf-8")
    harness = (
        "<script>function hcodeReport(v){var d=parent.document;var p=d.createElement('pre');"
        "p.id='hcode-report';p.textContent=JSON.stringify(v);d.body.appendChild(p);}</script>"
        "<script>" + script.replace("</script", "<\\/script") + "</script>"
    )
    at = source.lower().rfind("</body>")
    with tempfile.TemporaryDirectory(prefix="hcode-chromium-") as tmp:
        probe = Path(tmp) / page.name
        probe.write_text(_framed(source[:at] + harness + source[at:], width, 900), encoding="utf-8")
        result = subprocess.run(
            [*_chrome_command(max(width, MIN_WINDOW), 900, str(Path(tmp) / "profile"))]
            + [f"--virtual-time-budget={budget_ms}", "--dump-dom", probe.as_uri()],
            capture_output=True,
            text=True,
            timeout=120,
        )
    found = re.search(r'<pre id="hcode-report">(.*?)</pre>', result.stdout, re.S)
    if not found:
        raise RuntimeError(f"Chromium gave no result for {page.name}: {result.stderr[-2000:]}")
    return json.loads(html.unescape(found.group(1)))


def measure(page: Path, width: int) -> dict[str, Any]:
    """:data:`MEASURE_JS` run on ``page`` at ``width`` CSS pixels."""
    return dict(_run_in_page(page, width, MEASURE_JS + "hcodeReport(hcodeMeasure());"))


def scrolled_tables(page: Path, width: int) -> list[dict[str, Any]]:
    """Each table of ``page`` at ``width`` CSS pixels that is wider than its box (and so scrolls
    sideways in it): ``[{id, columns, wide, box, shadow}]``; ``shadow``: whether its box draws the
    shadow that shows there is more to see at the edge it scrolls towards."""
    script = (
        "var out=[];document.querySelectorAll('.table-wrap').forEach(function(w){var t=w.querySelector('table');"
        "var n=t.rows[0]?t.rows[0].cells.length:0;var s=getComputedStyle(w);if(w.scrollWidth>w.clientWidth){out.push({id:"
        "w.getAttribute('aria-labelledby'),columns:n,wide:w.scrollWidth,box:w.clientWidth,"
        "shadow:s.backgroundImage.indexOf('radial-gradient')>=0&&s.backgroundAttachment.indexOf('local')>=0});}});"
        "hcodeReport(out);"
    )
    return list(_run_in_page(page, width, script))


def axe_violations(page: Path, width: int = DESKTOP) -> list[dict[str, Any]]:
    """axe-core's violations on ``page`` (every rule axe runs by default, WCAG A and AA and best
    practice, and the duplicate-id rules axe 4.7 stopped running by default; a duplicate id axe
    leaves for review counts too):
    ``[{id, impact, help, nodes: [target, ...]}]``."""
    path = axe()
    assert path is not None
    script = (
        path.read_text(encoding="utf-8")
        + "\n;axe.run(document, {resultTypes: ['violations', 'incomplete'], rules: {'duplicate-id': {enabled: true},"
        + " 'duplicate-id-active': {enabled: true}}}).then(function (r) {"
        # axe reports a duplicate id as "needs review" (incomplete): here it counts as a violation
        + "var dup = r.incomplete.filter(function (v) { return v.id.indexOf('duplicate-id') === 0; });"
        + "hcodeReport(r.violations.concat(dup).map(function (v) { return {id: v.id, impact: v.impact, help: v.help,"
        + " nodes: v.nodes.map(function (n) { return n.target.join(' '); })}; }));"
        + "}, function (e) { hcodeReport([{id: 'axe-error', impact: 'critical', help: String(e), nodes: []}]); });"
    )
    return list(_run_in_page(page, width, script, budget_ms=30_000))


def screenshots(page: Path, width: int, prefix: Path, part: int = 2400) -> list[Path]:
    """PNGs of the whole of ``page`` in a viewport ``width`` CSS pixels wide, ``part`` pixels of
    the page each (``PREFIX-1.png``, ...; beside a viewport narrower than :data:`MIN_WINDOW`
    the window is grey)."""
    height = min(int(measure(page, width)["scrollHeight"]), 40_000)
    source = page.read_text(encoding="utf-8")
    shots = []
    with tempfile.TemporaryDirectory(prefix="hcode-chromium-") as tmp:
        for n, top in enumerate(range(0, height, part), start=1):
            shown = min(part, height - top)
            framed = Path(tmp) / f"{n}-{page.name}"
            framed.write_text(_framed(source, width, height, top, shown), encoding="utf-8")
            target = prefix.parent / f"{prefix.name}-{n}.png"
            subprocess.run(
                [*_chrome_command(max(width, MIN_WINDOW), shown, str(Path(tmp) / "profile"))]
                + [f"--screenshot={target}", framed.as_uri()],
                capture_output=True,
                check=True,
                timeout=120,
            )
            shots.append(target)
    return shots


# -- LibreOffice -------------------------------------------------------------------------------------


def to_pdf(workbook: Path, out: Path) -> Path:
    """The workbook printed to PDF by LibreOffice (headless), with its own profile folder."""
    exe = soffice()
    assert exe is not None
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="hcode-soffice-") as tmp:
        subprocess.run(
            [exe, f"-env:UserInstallation={Path(tmp).as_uri()}", "--headless", "--norestore"]
            + ["--convert-to", "pdf", "--outdir", str(out), str(workbook)],
            capture_output=True,
            check=True,
            timeout=300,
        )
    pdf = out / (workbook.stem + ".pdf")
    if not pdf.is_file():
        raise RuntimeError(f"LibreOffice wrote no PDF for {workbook.name}")
    return pdf


def pdf_pages(pdf: Path) -> int:
    """The number of pages of ``pdf``."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf.read_bytes()))


def page_texts(pdf: Path) -> list[str]:
    """The text of each page (pdftotext, layout kept)."""
    exe = pdftotext()
    assert exe is not None
    text = subprocess.run([exe, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = text.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def pdf_to_pngs(pdf: Path, prefix: Path, dpi: int = 60) -> list[Path]:
    exe = pdftoppm()
    assert exe is not None
    subprocess.run([exe, "-png", "-r", str(dpi), str(pdf), str(prefix)], check=True, capture_output=True)
    return sorted(prefix.parent.glob(prefix.name + "-*.png"))


# -- make screenshots --------------------------------------------------------------------------------


def main(argv: list[str]) -> int:
    """Render the example's reports into ``screenshots/`` (or the folder named), photograph the
    HTML at 1280 and 390 px, print the workbooks to PDF and PNG pages, run axe-core, and print
    what was measured. Exit 1 when a measure fails its target; tools absent are named."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from conftest import copy_example

    out = Path(argv[0]) if argv else ROOT / "screenshots"
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    files = render_reports(copy_example(out / "workspace"), out)
    failed = False
    missing = [
        name
        for name, found in (
            ("chromium", chromium()),
            ("axe-core", axe()),
            ("soffice", soffice()),
            ("pdftoppm", pdftoppm()),
        )
        if not found
    ]
    for name in missing:
        print(f"{name}: not installed (make test-tools installs it); its part is left out")
    for report in ("annual", "assessment"):
        page = files[f"{report}.html"]
        if chromium():
            for width in (DESKTOP, PHONE):
                shots = screenshots(page, width, out / f"{report}-{width}")
                m = measure(page, width)
                smallest = min((t["px"] for t in m["chartText"]), default=None)
                ok = m["scrollWidth"] <= m["innerWidth"] and (smallest is None or smallest >= MIN_CHART_TEXT_PX)
                ok = ok and not m["overlaps"] and not m["crowded"] and not m["duplicateIds"]
                failed |= not ok
                print(
                    f"{report}.html at {width} px ({len(shots)} PNG): page {m['scrollWidth']} px wide in a {m['innerWidth']} px viewport, "
                    f"smallest chart text {smallest} px, overlapping chart texts {len(m['overlaps'])}, crowded {len(m['crowded'])}, "
                    f"duplicate ids {len(m['duplicateIds'])}: {'ok' if ok else 'FAILS'}"
                )
                if axe():
                    violations = axe_violations(page, width)
                    failed |= bool(violations)
                    print(f"{report}.html at {width} px: axe-core {len(violations)} violation(s)")
                    for v in violations:
                        print(f"  {v['id']} ({v['impact']}): {v['help']}: {', '.join(v['nodes'][:5])}")
        if soffice():
            pdf = to_pdf(files[f"{report}.xlsx"], out)
            pages = pdf_pages(pdf)
            line = f"{pdf.name}: {pages} page(s)"
            if report == "annual":
                failed |= pages > MAX_ANNUAL_PAGES
                line += f" (at most {MAX_ANNUAL_PAGES})"
            print(line)
            if pdftoppm():
                pngs = pdf_to_pngs(pdf, out / f"{report}-xlsx")
                print(f"  {len(pngs)} PNG page(s): {pngs[0].name} ... {pngs[-1].name}" if pngs else "  no PNG")
    print(f"written to {out}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
