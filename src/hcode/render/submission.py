"""The Housing Ombudsman's annual submission (``hcode report submission``) as Markdown, CSV and
JSON, ready to copy into the form: section 1 (the organisation and links to the key
publications) and section 2 (comply yes or no per provision; for each no, the actions and their
timescales). Each writer takes a :class:`~hcode.render.gate.Public` form only."""

from __future__ import annotations

import json
from typing import Any

from hcode.core.assessmentform import done_text, due_text
from hcode.core.model import Action
from hcode.core.submission import Form
from hcode.render.export import to_csv
from hcode.render.figuretext import md
from hcode.render.gate import Public
from hcode.render.richtext import md_cell

COLUMNS = ("section", "item", "answer", "action", "timescale")
NO_ACTION = (
    "no action recorded: the Ombudsman asks for the actions and timescales for achieving compliance, "
    "or how all reasonable endeavours were made"
)
NOT_ANSWERED = "not answered in the self-assessment"


def timescale(a: Action) -> str:
    """An action's timescale as the form wants it: its due date as written, or that it is done."""
    if a.is_done:
        return f"done {done_text(a)}"
    return due_text(a) or "no timescale recorded"


def _value(value: str | None, setting: str) -> str:
    return value if value is not None else f"not set: add {setting} to hcode.yaml"


def document(form: Form) -> dict[str, Any]:
    """The form as JSON writes it."""

    def detail(d: Any) -> dict[str, Any]:
        return {"key": d.key, "label": d.label, "value": d.value, "setting": d.setting}

    return {
        "hcode": 1,
        "year": form.year,
        "landlord": form.landlord,
        "homes": form.homes,
        "code": form.code,
        "due": form.due.isoformat() if form.due else None,
        "due_why": form.due_why,
        "assessed": form.assessed,
        "section1": {"organisation": [detail(d) for d in form.details], "links": [detail(d) for d in form.links]},
        "section2": [
            {
                "provision": r.provision,
                "section": r.section,
                "comply": r.comply,
                "written": r.written,
                "actions": [{"action": a.action, "timescale": timescale(a)} for a in r.actions],
            }
            for r in form.rows
        ],
        "summary": {
            "provisions": len(form.rows),
            "yes": sum(1 for r in form.rows if r.comply == "Yes"),
            "no": len(form.not_complying),
            "not_applicable": sum(1 for r in form.rows if r.comply == "N/A"),
            "not_answered": sum(1 for r in form.rows if r.comply is None),
        },
        "missing": form.missing,
        "source": form.source,
    }


def to_json(public: Public[Form]) -> str:
    return json.dumps(document(public.value), indent=2, ensure_ascii=False) + "\n"


def rows(form: Form) -> list[dict[str, Any]]:
    """A CSV row per line of section 1 and per provision of section 2 (a provision answered no
    with several actions: a row per action)."""
    out: list[dict[str, Any]] = [{"section": "1", "item": "Landlord", "answer": form.landlord}]
    out.append({"section": "1", "item": "Homes owned", "answer": form.homes})
    out += [{"section": "1", "item": d.label, "answer": _value(d.value, d.setting)} for d in form.details]
    out += [{"section": "1", "item": d.label, "answer": _value(d.value, d.setting)} for d in form.links]
    for r in form.rows:
        answer = r.comply or NOT_ANSWERED
        if r.comply != "No":
            out.append({"section": "2", "item": r.provision, "answer": answer})
            continue
        for a in r.actions or (None,):
            out.append(
                {
                    "section": "2",
                    "item": r.provision,
                    "answer": answer,
                    "action": a.action if a is not None else NO_ACTION,
                    "timescale": timescale(a) if a is not None else None,
                }
            )
    return out


def to_csv_text(public: Public[Form]) -> str:
    return to_csv(rows(public.value), COLUMNS)


def to_md(public: Public[Form]) -> str:
    form = public.value
    lines = [
        f"# Annual submission to the Housing Ombudsman: {md(form.landlord)}, {form.year}",
        "",
        f"What the Ombudsman's annual submission form asks, ready to copy (guidance: {md_cell(form.source)}).",
        "",
        f"Due by {form.due.isoformat()} ({md(form.due_why)})."
        if form.due
        else f"Due date not known: {md(form.due_why)}.",
        "",
        "## Section 1: the organisation",
        "",
        "| Question | Answer |",
        "|---|---|",
        f"| Landlord | {md(form.landlord)} |",
        f"| Homes owned | {'not set: add homes to hcode.yaml' if form.homes is None else f'{form.homes:,}'} |",
    ]
    lines += [f"| {md(d.label)} | {md(_value(d.value, d.setting))} |" for d in form.details]
    lines += ["", "### Links to key publications", "", "| Publication | Link |", "|---|---|"]
    lines += [
        f"| {md(d.label)} | {md_cell(d.value) if d.value is not None else md(_value(d.value, d.setting))} |"
        for d in form.links
    ]
    summary = document(form)["summary"]
    lines += [
        "",
        f"## Section 2: compliance with the Code ({form.code})",
        "",
        f"{summary['yes']} of {summary['provisions']} provisions: yes; {summary['no']}: no"
        + (f"; {summary['not_applicable']}: N/A" if summary["not_applicable"] else "")
        + (f"; {summary['not_answered']}: not answered" if summary["not_answered"] else "")
        + ".",
        "",
    ]
    if not form.assessed:
        lines += [f"There is no self-assessment for {form.year}: add assessments/{form.year}.yaml.", ""]
    lines += ["| Provision | Comply | Actions and timescales |", "|---|---|---|"]
    for r in form.rows:
        what = ""
        if r.comply == "No":
            what = "<br>".join(f"{md(a.action)} ({md(timescale(a))})" for a in r.actions) or md(NO_ACTION)
        comply = r.comply or NOT_ANSWERED
        if r.written:
            comply += f" (written: {r.written})"
        lines.append(f"| {r.provision} | {md(comply)} | {what} |")
    return "\n".join(lines) + "\n"


WRITERS = {"md": to_md, "csv": to_csv_text, "json": to_json}
