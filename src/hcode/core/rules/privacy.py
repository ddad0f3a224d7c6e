"""Personal data rule: case files are for the complaint's facts, not for who the resident is.

* ``privacy.personal-data`` (warning): a text field (the category, the complaint definitions,
  handler references, learning, extension reasons, a late step's reason and learning, refusal
  notes, remedy actions, or one of the landlord's own ``x-`` fields) seems to hold an email
  address (``user@localhost`` included), a UK phone number (``(020) 7946 0958`` included) or a
  UK postcode (in capitals or not). The finding names the field and what it looks like, never
  the value itself, so it cannot leak into CI logs. Such details belong in the git-ignored
  ``private/`` folder, keyed by case id.
* ``text.control-characters`` (warning): a text field holds a control character (such as the
  escape that starts a terminal sequence) or a bidirectional override (U+202E, which makes text
  read backwards). Every output shows such characters as escapes (``\\u202e``); remove them.
* ``text.look-alike`` (warning): the case id or a handler reference holds characters that only
  look like the ones they are read as: a dash other than ``-`` (``H–014``), a Cyrillic, Greek or
  full-width letter, an invisible character. hcode compares ids and handlers as they are read
  (:func:`hcode.core.identity.fold`), so ``H–014`` is the same handler as ``H-014`` for 6.13 and
  ``c-1`` the same id as ``C-1``; retype the value so that every tool agrees.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from hcode.core.identity import as_read, fold, looks_alike
from hcode.core.milestones import Milestone
from hcode.core.model import Case, Finding, Late, Path
from hcode.core.rules.context import Context, case_finding
from hcode.core.rules.spec import Example, Rule
from hcode.core.text import has_controls

_SERVICE = """\
id: C-2024-0001
kind: service-request
received: 2024-05-01
category: repairs
resolved: 2024-05-02
learning: {learning}
"""

RULES = (
    Rule(
        name="privacy.personal-data",
        summary="a free-text field seems to hold an email address, phone number or postcode "
        "(the value is never printed)",
        severities=("warning",),
        passing=(Example(_SERVICE.format(learning="Book the roofer and the plumber for one visit.")),),
        failing=(
            Example(_SERVICE.format(learning="Call the resident back on 07700 900123 before a visit.")),
            Example(_SERVICE.format(learning="Write to user@localhost about (020) 7946 0958 at sw1a 1aa.")),
        ),
    ),
    Rule(
        name="text.control-characters",
        summary="a text field holds a control or bidirectional character",
        severities=("warning",),
        passing=(Example(_SERVICE.format(learning="Book the roofer and the plumber for one visit.")),),
        failing=(Example(_SERVICE.format(learning='"Book the roofer \\u202e for one visit."')),),
    ),
    Rule(
        name="text.look-alike",
        summary="an id or handler reference holds look-alike characters (an en dash, a Cyrillic letter)",
        severities=("warning",),
        passing=(Example(_SERVICE.format(learning="Book the roofer.")),),
        failing=(
            Example(
                "id: C-2024-0001\nkind: complaint\nreceived: 2024-05-01\ncategory: repairs\n"
                'stage1:\n  acknowledged: 2024-05-02\n  definition: Leak.\n  handler: "H\u2013014"\n',
                note="the handler is written with an en dash",
            ),
        ),
    ),
)

_PATTERNS = (
    ("an email address", re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*")),
    ("a phone number", re.compile(r"(?<![\d-])(?:\+44\s?\(?0?\)?\s?|\(?0)(?:\d[\s)-]{0,2}){9,10}(?![\d-])")),
    (
        "a postcode",
        re.compile(r"\b(?:GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2})\b", re.IGNORECASE),
    ),
)


def _late_texts(base: Path, late: Late) -> Iterator[tuple[Path, str]]:
    """The words of a ``late`` record (a stage's, or a hazard report's own)."""
    if late.reason:
        yield (*base, "late", "reason"), late.reason
    if late.learning:
        yield (*base, "late", "learning"), late.learning


def free_text(case: Case) -> Iterator[tuple[Path, str]]:
    """Every free-text value of a case with its path in the file."""
    yield ("category",), case.category
    if case.learning:
        yield ("learning",), case.learning
    if case.hazard is not None and case.hazard.late is not None:  # a hazard report's missed clocks explained
        yield from _late_texts((), case.hazard.late)
    for stage in (case.stage1, case.stage2):
        if stage is None:
            continue
        key = f"stage{stage.number}"
        if stage.definition:
            yield (key, "definition"), stage.definition
        if stage.handler:
            yield (key, "handler"), stage.handler
        if stage.extension is not None:
            if stage.extension.reason:
                yield (key, "extension", "reason"), stage.extension.reason
            if stage.extension.good_reason:
                yield (key, "extension", "good_reason"), stage.extension.good_reason
        if stage.late is not None:
            yield from _late_texts((key,), stage.late)
    if case.refused is not None and case.refused.note:
        yield ("refused", "note"), case.refused.note
    if case.remedy is not None:
        for i, action in enumerate(case.remedy.actions):
            yield ("remedy", "actions", i, "action"), action.action
    for key, value in case.extra:
        yield (key,), value


def _has_digit(text: str) -> bool:
    """Whether ``text`` holds an ASCII digit (a phone number or postcode has at least one): ten
    searches for one character each, five times quicker than ``re.search("[0-9]")`` on a
    paragraph of words."""
    return (
        "0" in text
        or "1" in text
        or "2" in text
        or "3" in text
        or "4" in text
        or "5" in text
        or "6" in text
        or "7" in text
        or "8" in text
        or "9" in text
    )


(_EMAIL_IS, _EMAIL), (_PHONE_IS, _PHONE), (_POSTCODE_IS, _POSTCODE) = _PATTERNS


def personal_data(text: str) -> str | None:
    """What personal data ``text`` seems to hold ("an email address", ...), or None: the first
    of :data:`_PATTERNS`, in their order, that matches. Every text a published output takes
    passes through here, so each pattern runs only where its characters occur (an email
    address needs an ``@``; a phone number or postcode an ASCII digit). The text is looked at
    as a person reads it (:func:`hcode.core.identity.as_read`): a postcode or phone number in
    full-width or Arabic-Indic digits, or with invisible characters inside, is found as one."""
    text = as_read(text)
    has_at = "@" in text
    if not _has_digit(text):
        return _EMAIL_IS if has_at and _EMAIL.search(text) else None
    if has_at and _EMAIL.search(text):
        return _EMAIL_IS
    if _PHONE.search(text):
        return _PHONE_IS
    if _POSTCODE.search(text):
        return _POSTCODE_IS
    return None


def identifiers(case: Case) -> Iterator[tuple[Path, str]]:
    """The case's id and handler references, with their paths."""
    yield ("id",), case.id
    for stage in (case.stage1, case.stage2):
        if stage is not None and stage.handler:
            yield (f"stage{stage.number}", "handler"), stage.handler


#: The Housing Ombudsman's own published contact details, which a published report may carry
#: ("Phone: 0300 111 3000", "Email: info@housing-ombudsman.org.uk", "Post: Housing Ombudsman Service
#: PO Box 1484, Unit D Preston, PR2 0ET", as landlords publish them, e.g.
#: https://www.manchester.gov.uk/info/200025/complaints_comments_and_questions/8579/social_housing_complaints/2
#: and https://welhat.gov.uk/policies/complaints-policy-procedure/14; the Ombudsman's own page is
#: https://www.housing-ombudsman.org.uk/contact-us/; confirmed: true by those two published copies).
OMBUDSMAN_CONTACTS: tuple[str, ...] = ("0300 111 3000", "info@housing-ombudsman.org.uk", "PR2 0ET")


def _contact_pattern(contacts: Sequence[str]) -> re.Pattern[str] | None:
    parts = ["\\s*".join(re.escape(chunk) for chunk in c.split()) for c in contacts if c.strip()]
    return re.compile("|".join(parts), re.IGNORECASE) if parts else None


def published_personal_data(text: str, declared: Sequence[str] = ()) -> str | None:
    """What personal data ``text`` seems to hold once the contact details meant to be public are
    set aside (the Ombudsman's, and those the landlord ``declared`` in ``hcode.yaml``
    ``contacts:``), or None. The one rule for every text a published output takes."""
    if personal_data(text) is None:
        return None
    text = as_read(text)  # a declared contact is set aside however its digits are written
    pattern = _contact_pattern((*OMBUDSMAN_CONTACTS, *declared))
    return personal_data(pattern.sub(" ", text) if pattern is not None else text)


# What the rule makes of a text, by the text: a category, a handler reference, a definition or a
# status recurs from case to case. Short texts only, so that free text does not fill it.
_VERDICTS: dict[str, tuple[bool, str | None]] = {}
_VERDICTS_KEPT = 20_000
_VERDICT_KEPT = 80  # characters


def _verdict(text: str) -> tuple[bool, str | None]:
    """Whether ``text`` holds a control character, and what personal data it seems to hold."""
    found = _VERDICTS.get(text)
    if found is None:
        found = (has_controls(text), personal_data(text))
        if len(text) <= _VERDICT_KEPT and len(_VERDICTS) < _VERDICTS_KEPT:
            _VERDICTS[text] = found
    return found


def check(case: Case, ms: Sequence[Milestone], ctx: Context) -> Iterator[Finding]:
    for path, text in identifiers(case):
        if looks_alike(text):
            field = ".".join(str(p) for p in path)
            yield case_finding(
                case,
                "text.look-alike",
                "warning",
                f"{field} holds characters that only look like others (read as {fold(text).upper()[:40]})",
                path=path,
                hint="retype it with plain letters, digits and '-'",
            )
    for path, text in free_text(case):
        controls, what = _verdict(text)
        if controls:
            field = ".".join(str(p) for p in path)
            yield case_finding(
                case,
                "text.control-characters",
                "warning",
                f"{field} holds a control or bidirectional character (outputs show it as an escape)",
                path=path,
                hint="retype the text without it",
            )
        if what is not None:
            field = ".".join(str(p) for p in path)
            yield case_finding(
                case,
                "privacy.personal-data",
                "warning",
                f"{field} seems to hold {what}: personal data does not belong in case files",
                path=path,
                hint=f"remove it; if you need it, keep it in private/{case.id}.yaml (git-ignored, never published)",
            )
