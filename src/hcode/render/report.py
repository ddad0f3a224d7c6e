"""Published reports: the self-assessment table (Appendix A layout) and the annual complaints
performance and service improvement report, in Markdown and HTML from Jinja2 templates.

Templates ship in ``templates/`` (in the wheel: ``hcode/templates``); a workspace's own ``templates/``
folder overrides any of them by file name. Every template runs in Jinja's sandbox with autoescaping for HTML, and the
``md`` filter makes any text safe in a Markdown table cell (no pipes, line breaks, links or HTML
can get through). Outputs are deterministic: the same workspace gives the same bytes.

Published reports never contain personal data: no case ids, handler references, names or case
free text other than ``learning`` (see :func:`annual_context`, which passes figures only).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from hcode.core import percent
from hcode.core.annualfigures import AnnualFigures
from hcode.core.assessmentform import AssessmentForm
from hcode.packaged import data_dir
from hcode.render import richtext
from hcode.render.figuretext import (
    ENTERED,
    bench,
    cell_text,
    ch01,
    ch02,
    figure,
    label,
    md,
    money,
    number,
    pct,
    scope_text,
)
from hcode.render.layout import Chart


def left_out_markdown(rows: list[dict[str, Any]]) -> str:
    """A closing note naming the files an output left out (``--skip-broken``)."""
    if not rows:
        return ""
    lines = [
        "",
        "---",
        "",
        f"**Incomplete: {len(rows)} file(s) could not be read and were left out of these figures.**",
        "",
    ]
    for row in rows:
        line = f" (line {row['line']})" if row.get("line") else ""
        lines.append(f"- `{md(row['file'])}`{line}: {md(row['problem'])}")
    return "\n".join(lines) + "\n"


def left_out_html(rows: list[dict[str, Any]]) -> str:
    """The same note as :func:`left_out_markdown`, as an HTML section."""
    from html import escape

    if not rows:
        return ""
    items = "".join(
        f"<li><code>{escape(str(r['file']))}</code>"
        + (f" (line {int(r['line'])})" if r.get("line") else "")
        + f": {escape(str(r['problem']))}</li>"
        for r in rows
    )
    return (
        f'<section class="left-out"><h2>Incomplete</h2><p><strong>{len(rows)} file(s) could not be read and '
        f"were left out of these figures.</strong></p><ul>{items}</ul></section>\n"
    )


def with_left_out(text: str, rows: list[dict[str, Any]], html: bool) -> str:
    """``text`` (a rendered report) with the note on files left out, whatever the template."""
    if not rows:
        return text
    if not html:
        return text + left_out_markdown(rows)
    note = left_out_html(rows)
    at = text.lower().rfind("</body>")
    return text[:at] + note + text[at:] if at >= 0 else text + note


def annual_context(
    figures: AnnualFigures,
    extras: dict[str, Any],
    assessment: AssessmentForm,
    charts: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The annual report's template context: its layout (:func:`hcode.render.reportlayout.annual_layout`,
    which the shipped templates walk), and for a workspace's own templates the figures, the
    landlord's texts and the self-assessment as before."""
    from dataclasses import replace

    from hcode.render.assessmentlayout import appendix
    from hcode.render.reportlayout import annual_layout, entered_anywhere

    layout = annual_layout(figures, extras)

    return {
        **figures.json,
        "entered_mark": ENTERED if entered_anywhere(figures) else None,
        "extras": extras,
        "assessment": assessment,
        "charts": charts or {},
        "chart_files": {},
        "layout": replace(layout, sections=(*layout.sections, *appendix(assessment))),
    }


# -- charts ------------------------------------------------------------------------------------------

_PALETTE = ("#1f4e79", "#c55a11", "#548235", "#7f6000")

#: Chart geometry in SVG user units. A chart is drawn 480 units wide and shown at most 480 CSS
#: pixels wide (30rem); on a 390-pixel phone it is about 358 pixels wide, so text of
#: :data:`CHART_FONT` units is still 11 pixels or more there.
CHART_WIDTH = 480
CHART_FONT = 15
_TITLE_FONT = 17
_FONT = 'font-family="Arial, Helvetica, sans-serif"'


def _wrap(text: str, chars: int, lines: int = 2) -> list[str]:
    """``text`` in at most ``lines`` lines of about ``chars`` characters (the last one ends in
    an ellipsis if it had to be cut)."""
    import textwrap

    out = textwrap.wrap(text, chars) or [""]
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1][: chars - 1].rstrip() + "\u2026"
    return out


def _text(
    x: float, y: float, lines: Sequence[str], *, size: int = CHART_FONT, anchor: str = "start", extra: str = ""
) -> str:
    """An SVG text of one or more lines (``tspan`` per line)."""
    from xml.sax.saxutils import escape

    head = f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" {_FONT}{extra}>'
    if len(lines) == 1:
        return head + escape(lines[0]) + "</text>"
    spans = "".join(
        f'<tspan x="{x:.1f}" dy="{0 if i == 0 else size * 1.15:.1f}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return head + spans + "</text>"


def _shown(v: float | None, unit: str) -> str:
    """A value in a chart's description and labels: "n/a" where nothing was counted."""
    if v is None:
        return "n/a (nothing to count)"
    return f"{v:.{percent.PERCENT_PLACES}f}{unit}" if unit == "%" else f"{v:g}{unit}"


def _chart_open(ident: str, title: str, desc: str, width: int, height: int) -> tuple[list[str], float]:
    """The opening of an accessible chart (role img, named by its own title and description,
    whose ids start with ``ident`` so that several charts on one page never share one) and the
    y below its visible title."""
    from xml.sax.saxutils import escape

    title_lines = _title_lines(title)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" aria-labelledby="{ident}-title {ident}-desc">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(desc)}</desc>',
        _text(8, _TITLE_FONT + 4, title_lines, size=_TITLE_FONT, extra=' font-weight="bold"'),
    ]
    return out, _chart_top(title)


def _title_lines(title: str) -> list[str]:
    return _wrap(title, 46)


def _chart_top(title: str) -> float:
    """The y below a chart's visible title (which may wrap onto several lines), with room for the
    label at the top of the axis, which is drawn centred on that y."""
    return _TITLE_FONT + 4 + (len(_title_lines(title)) - 1) * _TITLE_FONT * 1.15 + 24


def _legend(series: Sequence[tuple[str, Sequence[float | None]]], y: float) -> list[str]:
    out = []
    for si, (name, _) in enumerate(series):
        x = 8 + si * 200
        colour = _PALETTE[si % len(_PALETTE)]
        out.append(f'<rect x="{x}" y="{y - 12:.1f}" width="14" height="14" fill="{colour}"/>')
        out.append(_text(x + 20, y, [name]))
    return out


def _describe(categories: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]], unit: str) -> str:
    return "; ".join(
        f"{name}: " + ", ".join(f"{c}: {_shown(v, unit)}" for c, v in zip(categories, vals, strict=True))
        for name, vals in series
    )


def _top_value(series: Sequence[tuple[str, Sequence[float | None]]], maximum: float | None) -> float:
    """The axis' top: ``maximum``, or for counts a multiple of 4 (every tick a whole number)."""
    if maximum is not None:
        return maximum
    values = [v for _, vals in series for v in vals if v is not None]
    return float(max(4, -(-int(max([*values, 1.0])) // 4) * 4))


def bar_chart_svg(
    title: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    unit: str = "",
    maximum: float | None = None,
    ident: str = "chart",
) -> str:
    """A grouped column chart as accessible inline SVG. A value of 0 is drawn as a thin bar
    labelled "0"; a value with nothing to count (None) is labelled "n/a" with no bar, so the
    two never look alike. Labels on the axis wrap onto two lines."""
    width, height = CHART_WIDTH, 330
    out, top = _chart_open(ident, title, _describe(categories, series, unit), width, height)
    left, right, bottom = 56, 8, 84
    top_value = _top_value(series, maximum)
    plot_w = width - left - right
    plot_h = height - top - bottom
    base = top + plot_h
    group_w = plot_w / max(len(categories), 1)
    bar_w = group_w * 0.8 / max(len(series), 1)
    for tick in range(5):
        value = top_value * tick / 4
        y = base - plot_h * tick / 4
        out.append(_text(left - 6, y + 5, [f"{value:g}{unit}"], anchor="end"))
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#ddd"/>')
    out.append(f'<line x1="{left}" y1="{base:.1f}" x2="{left + plot_w}" y2="{base:.1f}" stroke="#333"/>')
    chars = max(4, int(group_w / (CHART_FONT * 0.55)))
    for ci, cat in enumerate(categories):
        gx = left + ci * group_w + group_w * 0.1
        for si, (_, vals) in enumerate(series):
            v = vals[ci]
            x = gx + si * bar_w
            mid = x + bar_w * 0.45
            if v is None:  # nothing to count: a label, no bar
                out.append(_text(mid, base - 6, ["n/a"], anchor="middle", extra=' fill="#555" font-style="italic"'))
                continue
            h = max(plot_h * (v / top_value) if top_value else 0.0, 2.0)  # 0 is a visible line
            colour = _PALETTE[si % len(_PALETTE)]
            out.append(
                f'<rect x="{x:.1f}" y="{base - h:.1f}" width="{bar_w * 0.9:.1f}" height="{h:.1f}" fill="{colour}"/>'
            )
            if v == 0:
                out.append(_text(mid, base - 8, [f"0{unit}"], anchor="middle"))
        out.append(_text(left + ci * group_w + group_w / 2, base + 20, _wrap(cat, chars), anchor="middle"))
    out += _legend(series, height - 10)
    out.append("</svg>")
    return "\n".join(out)


def hbar_chart_svg(
    title: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    ident: str = "chart",
) -> str:
    """A grouped bar chart drawn sideways (long category names on the left, wrapped onto two
    lines, each beside its own bars), as accessible inline SVG; every bar has its value."""
    width = CHART_WIDTH
    row_h = max(2 * CHART_FONT * 1.15 + 10, len(series) * 16 + 12)
    label_w, right = 178, 34
    height = int(_chart_top(title) + row_h * len(categories) + 52)
    out, top = _chart_open(ident, title, _describe(categories, series, ""), width, height)
    top_value = _top_value(series, None)
    plot_w = width - label_w - right
    chars = int(label_w / (CHART_FONT * 0.52))
    for ci, cat in enumerate(categories):
        y0 = top + ci * row_h
        lines = _wrap(cat, chars)
        first = y0 + row_h / 2 - (len(lines) - 1) * CHART_FONT * 1.15 / 2 + 5
        out.append(_text(label_w - 8, first, lines, anchor="end"))
        for si, (_, vals) in enumerate(series):
            v = vals[ci]
            y = y0 + 6 + si * 16
            if v is None:
                out.append(_text(label_w + 4, y + 12, ["n/a"], extra=' fill="#555" font-style="italic"'))
                continue
            w = max(plot_w * (v / top_value) if top_value else 0.0, 2.0)
            colour = _PALETTE[si % len(_PALETTE)]
            out.append(f'<rect x="{label_w}" y="{y:.1f}" width="{w:.1f}" height="14" fill="{colour}"/>')
            out.append(_text(label_w + w + 4, y + 12, [f"{v:g}"]))
        out.append(
            f'<line x1="{label_w}" y1="{y0 + row_h:.1f}" x2="{width - right}" y2="{y0 + row_h:.1f}" stroke="#eee"/>'
        )
    axis = top + row_h * len(categories)
    out.append(f'<line x1="{label_w}" y1="{top:.1f}" x2="{label_w}" y2="{axis:.1f}" stroke="#333"/>')
    out += _legend(series, height - 10)
    out.append("</svg>")
    return "\n".join(out)


def chart_svg(chart: Chart) -> str:
    """A chart of a report's layout drawn as SVG (its ids start ``chart-`` and its key)."""
    series = [(name, list(values)) for name, values in chart.series]
    ident = f"chart-{chart.key}"
    if chart.horizontal:
        return hbar_chart_svg(chart.title, list(chart.categories), series, ident=ident)
    return bar_chart_svg(
        chart.title, list(chart.categories), series, unit=chart.unit, maximum=chart.maximum, ident=ident
    )


def charts(figures: AnnualFigures) -> dict[str, str]:
    """The annual report's charts as SVG, keyed by file stem (the key also starts the ids inside
    each chart, so charts on one page never share an id)."""
    from hcode.render.reportlayout import annual_charts

    return {c.key: chart_svg(c) for c in annual_charts(figures)}


# -- templates ---------------------------------------------------------------------------------------


#: Bounds on a workspace template: processor time to render, characters written, the size of a
#: template file, and memory beyond what hcode holds (the last two apply to the workspace's own
#: templates, which render in a child process the operating system bounds: render/bounded.py).
#: Beyond them rendering stops with a TemplateError (exit 3).
RENDER_SECONDS = 10.0
MAX_OUTPUT_CHARS = 20_000_000
MAX_TEMPLATE_BYTES = 1024 * 1024
TEMPLATE_MEMORY_BYTES = 512 * 1024 * 1024


def _template_error(message: str) -> Exception:
    from jinja2 import TemplateError

    return TemplateError(message)


def _workspace_loader(workspace: Path) -> Any:
    """A loader for the workspace's own templates: regular files inside ``templates/``, reached
    through no symbolic link (a link could publish /proc/self/environ or /etc/passwd)."""
    import os
    import stat

    from jinja2 import BaseLoader, TemplateNotFound
    from jinja2.loaders import split_template_path

    folder = workspace / "templates"

    class WorkspaceLoader(BaseLoader):
        def get_source(self, environment: Any, template: str) -> tuple[str, str, Any]:
            pieces = split_template_path(template)
            path = folder
            try:
                st = os.lstat(folder)
            except FileNotFoundError:
                raise TemplateNotFound(template) from None
            if stat.S_ISLNK(st.st_mode):
                raise _template_error("the workspace's templates folder is a symbolic link: not used")
            for piece in pieces:
                path = path / piece
                try:
                    st = os.lstat(path)
                except FileNotFoundError:
                    raise TemplateNotFound(template) from None
                if stat.S_ISLNK(st.st_mode):
                    raise _template_error(f"templates/{template} is (or is inside) a symbolic link: not used")
            if not stat.S_ISREG(st.st_mode):
                raise _template_error(f"templates/{template} is not a regular file: not used")
            if st.st_size > MAX_TEMPLATE_BYTES:
                raise _template_error(f"templates/{template} is over {MAX_TEMPLATE_BYTES:,} bytes")
            try:
                fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
                with os.fdopen(fd, "rb") as handle:
                    source = handle.read(MAX_TEMPLATE_BYTES + 1).decode("utf-8")
            except UnicodeDecodeError as error:
                raise _template_error(
                    f"templates/{template} cannot be read: it is not UTF-8 text (byte {error.start + 1:,} is not)"
                ) from None
            except OSError as error:
                raise _template_error(f"templates/{template} cannot be read: {error.strerror or error}") from None
            mtime = st.st_mtime
            return source, str(path), lambda: os.path.getmtime(path) == mtime

    return WorkspaceLoader()


def environment(workspace: Path | None, html: bool) -> Any:
    from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    loaders: list[Any] = []
    if workspace is not None:
        loaders.append(_workspace_loader(workspace))
    loaders.append(FileSystemLoader(str(data_dir("templates"))))
    env = SandboxedEnvironment(
        loader=ChoiceLoader(loaders),
        autoescape=html,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        md=md,
        pct=pct,
        cell=cell_text,
        number=number,
        money=money,
        label=label,
    )
    env.filters.update(_rich_filters(html))
    env.filters.update(figure=figure, ch01=ch01, ch02=ch02, bench=bench, scope=scope_text)
    env.filters.update(_layout_filters(html))
    return env


def _layout_filters(html: bool) -> dict[str, Any]:
    """``layout``: a report's layout (:mod:`hcode.render.layout`) in the template's format, with
    its charts (HTML: the SVG; Markdown: the image files beside it, if any)."""
    from markupsafe import Markup

    from hcode.render import layout

    def form_part(value: Any, kind: str, note_ids: Sequence[str] = (), level: Any = 2, *args: Any) -> Any:
        """A part of the self-assessment, for the earlier macros (``_macros.*.j2``)."""
        from hcode.render.assessmentlayout import action_cell, part

        if kind == "action":
            text = layout.cell_markup(action_cell(value, note_ids), html)
        else:
            depth = len(level) if isinstance(level, str) and level.startswith("#") else int(str(level).lstrip("h"))
            columns, form, empty, prefix = (*args, False, None, "", "")[:4]
            made = part(
                kind, value, note_ids, level=depth, columns=bool(columns), form=form, empty=empty, prefix=prefix
            )
            text = layout.html(made, head=False) if html else layout.markdown(made, head=False)
        return Markup(text) if html else text

    if html:

        def page(value: layout.Layout, charts: dict[str, str] | None = None) -> Any:
            return Markup(layout.html(value, charts))

        return {"layout": page, "form_part": form_part}

    def text(value: layout.Layout, chart_files: dict[str, str] | None = None) -> str:
        return layout.markdown(value, chart_files)

    return {"layout": text, "form_part": form_part}


def _rich_filters(html: bool) -> dict[str, Any]:
    """``rich``: rich text for a table cell; ``richblock``: for a section of its own. Both take
    the ids of the self-assessment's notes, so that references to them become links."""
    from markupsafe import Markup

    if html:

        def cell(value: Any, notes: Sequence[str] = ()) -> Any:
            return Markup(richtext.html(None if value is None else str(value), notes))

        return {"rich": cell, "richblock": cell}

    def md_cell(value: Any, notes: Sequence[str] = ()) -> str:
        return richtext.md_cell(None if value is None else str(value), notes)

    def md_block(value: Any, notes: Sequence[str] = ()) -> str:
        return richtext.md_block(None if value is None else str(value), notes)

    def bullet(value: Any, listed: bool = True) -> str:
        """An item of a list of several in a table cell, with its bullet mark kept."""
        return f"• {value}" if listed else str(value)

    return {"rich": md_cell, "richblock": md_block, "bullet": bullet}


class _Deadline:
    """Stop a render that runs longer than ``seconds`` (Unix, main thread; elsewhere the output
    size bound still applies)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.armed = False
        self.previous: Any = None

    def __enter__(self) -> None:
        import signal
        import threading

        if hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread():

            def expired(signum: int, frame: Any) -> None:
                raise _template_error(f"rendering took longer than {self.seconds:g} seconds (a loop without end?)")

            self.previous = signal.signal(signal.SIGALRM, expired)
            signal.setitimer(signal.ITIMER_REAL, self.seconds)
            self.armed = True

    def __exit__(self, *exc: object) -> None:
        import signal

        if self.armed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.previous)


def render(name: str, context: dict[str, Any], workspace: Path | None) -> str:
    """Render ``name`` (e.g. ``annual.md.j2``) with the workspace's override if it has one. The
    shipped templates render here; where the workspace has its own ``templates/`` folder (any
    template may include another, which it could override), rendering runs in a child process
    the operating system bounds to :data:`RENDER_SECONDS` of processor time and
    :data:`TEMPLATE_MEMORY_BYTES` of memory, on top of the sandbox. TemplateError beyond any
    bound, or over :data:`MAX_OUTPUT_CHARS`."""
    from hcode.render import bounded

    if workspace is not None and os.path.lexists(workspace / "templates") and bounded.available():
        return bounded.run(
            lambda: _render(name, context, workspace, deadline=False),
            cpu=RENDER_SECONDS,
            memory=TEMPLATE_MEMORY_BYTES,
            on_error=_as_template_error,
        )
    return _render(name, context, workspace, deadline=True)


def _as_template_error(exc: BaseException) -> BaseException:
    """What went wrong in a template, as a TemplateError where it was the template's doing."""
    from jinja2 import TemplateError

    if isinstance(exc, TemplateError):
        return exc
    if isinstance(exc, RecursionError):
        return _template_error("the template calls itself too deeply (a macro that calls itself?)")
    if isinstance(exc, OverflowError | MemoryError):
        return _template_error(f"the template asks for too much: {str(exc) or 'more memory than there is'}")
    from hcode.render.bounded import Stopped

    if isinstance(exc, Stopped):
        return _template_error(str(exc))
    return exc


def _render(name: str, context: dict[str, Any], workspace: Path | None, *, deadline: bool) -> str:
    env = environment(workspace, html=name.endswith(".html.j2"))
    template = env.get_template(name)
    parts: list[str] = []
    size = 0
    try:
        with _Deadline(RENDER_SECONDS) if deadline else contextlib.nullcontext():
            for chunk in template.generate(**context):
                size += len(chunk)
                if size > MAX_OUTPUT_CHARS:
                    raise _template_error(f"the output is over {MAX_OUTPUT_CHARS:,} characters")
                parts.append(chunk)
    except (RecursionError, OverflowError, MemoryError) as exc:
        if not deadline:
            raise  # in the child process: its runner names the bound that was reached
        raise _as_template_error(exc) from None
    text = "".join(parts)
    return text.rstrip("\n") + "\n"
