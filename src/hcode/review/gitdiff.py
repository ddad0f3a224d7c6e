"""``hcode diff``: what a change does to the self-assessment, the cases and the Code, read
from git without touching the work tree (``git diff --name-status``, ``git show REV:path``).

The comparison itself (:func:`compare`) is pure: it takes the two versions of each changed file
as text and returns the changes, most serious first:

* self-assessment answers turned from Yes to No (or back), evidence, commentary and actions
  added, removed or changed, actions completed (under an answer or in the assessment's own
  action plan), notes added, removed or changed;
* cases added or removed, and any date of something that has already happened changed or
  removed afterwards (an audit red flag: the record of what happened was rewritten);
* in a provisions catalogue: its timescales (kind ``timescale``: a clock added or removed, its
  number of days, their unit or what it counts from changed: every due date worked out from it
  moves, so these come first of all) and changed requirement text;
* in a mapping between editions (``provisions/mappings/``): rows added, removed or leading to a
  different provision, and rows marked unconfirmed or confirmed;
* in ``hcode.yaml``: the Code edition and the calendar (kind ``calendar``: they move due dates
  too, so they come with the timescales), any other setting by name.

A workspace's own catalogue or mapping replaces the one shipped with hcode, so one added or
removed is compared with the shipped file of the same name: the changes listed are what the
switch changes. A file that cannot be read in either revision is named with the revision and the
reason (:class:`Unreadable`), never taken for a file that is not there.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

from hcode.core.changes import Change as Change
from hcode.core.changes import DiffResult as DiffResult
from hcode.core.changes import Unreadable as Unreadable
from hcode.core.identity import suffix_is
from hcode.core.model import Finding
from hcode.core.rules.records import EVENT_PATHS, event_name, event_values
from hcode.core.text import shorten
from hcode.errors import HcodeError
from hcode.packaged import data_dir
from hcode.store import yamlread
from hcode.store.convert import with_defaults
from hcode.store.workspace import YAML_SUFFIXES, decode_mapping

WATCHED = ("assessments/", "cases/", "provisions/", "hcode.yaml")


class GitError(HcodeError):
    """git could not be run, or could not show what was asked (a revision, a file)."""


# -- git plumbing --------------------------------------------------------------------------------


def _git(cwd: Path, *args: str) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False, timeout=120)
    except FileNotFoundError:
        raise GitError("git is not installed") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip()
        raise GitError(message or f"git {' '.join(args)} failed")
    return done.stdout.decode("utf-8", "surrogateescape")


def _git_bytes(cwd: Path, *args: str) -> bytes | None:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False, timeout=120)
    return done.stdout if done.returncode == 0 else None


def repo_of(root: Path) -> tuple[Path, str]:
    """The repository's top folder and the workspace's prefix inside it."""
    top = Path(_git(root, "rev-parse", "--show-toplevel").removesuffix("\n"))
    prefix = _git(root, "rev-parse", "--show-prefix").removesuffix("\n")
    return top, prefix


def default_base(top: Path) -> str:
    """The merge base with the default branch (origin's HEAD, else main or master)."""
    candidates = []
    try:
        ref = _git(top, "symbolic-ref", "--quiet", "refs/remotes/origin/HEAD").strip()
        candidates.append(ref)
    except GitError:
        pass
    candidates += ["origin/main", "origin/master", "main", "master"]
    for ref in candidates:
        try:
            _git(top, "rev-parse", "--verify", "--quiet", ref)
        except GitError:
            continue
        try:
            return _git(top, "merge-base", ref, "HEAD").strip()
        except GitError:
            continue
    return "HEAD"


def changed_files(top: Path, prefix: str, base: str, head: str | None) -> list[str]:
    """Workspace-relative paths of watched files that differ between ``base`` and ``head``
    (``None``: the work tree, with new files not yet added). Names are read NUL-separated
    (``-z``), so git never quotes them (``cases/año/``, a name with a line break)."""
    spec = [prefix + w for w in WATCHED]
    args = ["diff", "--name-only", "-z", "--no-renames", base]
    if head is not None:
        args.append(head)
    names = set(_git(top, *args, "--", *spec).split("\0"))
    if head is None:
        names |= set(_git(top, "ls-files", "-z", "--others", "--exclude-standard", "--", *spec).split("\0"))
    names.discard("")
    out = []
    for name in sorted(names):
        rel = name[len(prefix) :] if name.startswith(prefix) else name
        if suffix_is(rel, YAML_SUFFIXES):  # as every command reads them: .YAML and .yml too
            out.append(rel)
    return out


def read_at(top: Path, prefix: str, rev: str | None, rel: str) -> str | None:
    """A file's text at ``rev`` (``None``: the work tree); ``None`` where it does not exist.
    A file that exists but cannot be read raises :class:`_Unreadable` with the reason."""
    if rev is None:
        path = top / prefix / rel
        try:
            data = path.read_bytes()
        except (FileNotFoundError, NotADirectoryError):
            return None
        except OSError as exc:
            raise _Unreadable(f"cannot read the file: {exc.strerror or exc}") from None
    else:
        found = _git_bytes(top, "show", f"{rev}:{prefix}{rel}")
        if found is None:
            listed = _git_bytes(top, "--literal-pathspecs", "ls-tree", "-z", "--name-only", rev, "--", f"{prefix}{rel}")
            if not listed:
                return None  # not in that revision
            raise _Unreadable("git cannot show the file (run git fsck)")
        data = found
    return data.decode("utf-8", errors="surrogateescape")


def shipped_text(rel: str) -> str | None:
    """The file hcode ships that a workspace's ``provisions/NAME.yaml`` (a Code catalogue) or
    ``provisions/mappings/NAME.yaml`` replaces, else ``None``."""
    if not rel.startswith("provisions/") or not _read_by_hcode(rel):
        return None
    path = data_dir("provisions").joinpath(*rel.split("/")[1:])
    return path.read_text("utf-8") if path.is_file() else None


def diff(root: Path, base: str | None, head: str | None) -> DiffResult:
    top, prefix = repo_of(root)
    base_rev = base or default_base(top)
    _git(top, "rev-parse", "--verify", "--quiet", f"{base_rev}^{{commit}}")
    if head is not None:
        _git(top, "rev-parse", "--verify", "--quiet", f"{head}^{{commit}}")
    result = DiffResult(base=base_rev, head=head or "working tree")
    for rel in changed_files(top, prefix, base_rev, head):
        texts: list[str | None] = []
        for rev, label in ((base_rev, result.base), (head, result.head)):
            try:
                texts.append(read_at(top, prefix, rev, rel))
            except _Unreadable as exc:
                result.cannot_read(rel, label, str(exc))
        if len(texts) == 2:
            old, new = texts
            compare(rel, old, new, result, shipped_text(rel) if old is None or new is None else None)
    result.changes.sort(key=_rank)
    return result


# -- the comparison ------------------------------------------------------------------------------


def _load(rel: str, text: str | None) -> dict[str, Any] | None:
    """A version of a file read as the store reads every workspace file (same strict YAML, same
    size limit); ``_Unreadable`` when it cannot be read or holds no mapping of keys and values
    (a list or a single value: nothing hcode can compare)."""
    if text is None:
        return None
    found = decode_mapping(text.encode("utf-8", errors="surrogateescape"), rel, yamlread.DEFAULT_MAX_BYTES)
    if isinstance(found, Finding):
        where = f"line {found.line}: " if found.line else ""
        raise _Unreadable(where + found.message)
    return found[1]


class _Unreadable(HcodeError):
    """A file at a revision that cannot be read (reported as such in the diff)."""


def _child(node: Any, key: str) -> Any:
    return node.get(key) if isinstance(node, dict) else None


def _event_order(path: tuple[Any, ...]) -> tuple[int, tuple[str, ...]]:
    """Events in the order of EVENT_PATHS, list items in file order."""
    pattern = tuple("*" if isinstance(part, int) else part for part in path)
    return EVENT_PATHS.index(pattern), tuple(f"{part:09d}" if isinstance(part, int) else part for part in path)


def _get(doc: dict[str, Any] | None, path: tuple[str, ...]) -> Any:
    node: Any = doc
    for part in path:
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node


def _flag(value: Any) -> str:
    from hcode.store.convert import flag, not_applicable, partly

    meaning = flag(value)
    if not_applicable(value):
        return "n/a"
    if partly(value):
        return "partly"
    return "yes" if meaning is True else "no" if meaning is False else "(blank)"


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v) for v in value]
    return [str(value)]


def compare(
    rel: str, old_text: str | None, new_text: str | None, result: DiffResult, shipped: str | None = None
) -> None:
    """Add the changes between two versions of one workspace file to ``result``: ``None`` for a
    version where the file does not exist. ``shipped``: the file hcode ships that this one
    replaces (:func:`shipped_text`), compared with where the workspace's own is added or removed."""
    add = result.changes.append
    if rel == "provisions/hazards/awaab-2025.yaml":  # the workspace's own Awaab's Law clocks
        if old_text != new_text:
            said = "added" if old_text is None else "removed" if new_text is None else "changed"
            message = f"awaab-2025: the workspace's own Awaab's Law clocks {said}: hazard deadlines may change"
            add(Change("catalogue", rel, "awaab-2025", message, "alert"))
        return
    if rel.startswith("provisions/") and not _read_by_hcode(rel):
        # never parsed: hcode does not read it, so whether it is valid YAML does not matter
        if old_text != new_text:
            message = f"{rel}: not read by hcode (only provisions/NAME.yaml and provisions/mappings/NAME.yaml are)"
            add(Change("catalogue", rel, rel, message))
        return
    docs: list[dict[str, Any] | None] = []
    for revision, text in ((result.base, old_text), (result.head, new_text)):
        try:
            docs.append(_load(rel, text))
        except _Unreadable as exc:
            result.cannot_read(rel, revision, str(exc))
    if len(docs) != 2:
        return
    old, new = docs
    if rel.startswith("provisions/") and shipped is not None and (old is None) != (new is None):
        old, new = _replacing_shipped(rel, old, new, _load(rel, shipped), add)
    if rel.startswith("assessments/"):
        _assessment(rel, old, new, add)
    elif rel.startswith("cases/"):
        _case(rel, old, new, add)
    elif rel.startswith("provisions/mappings/"):
        _mapping(rel, old, new, add)
    elif rel.startswith("provisions/"):
        _provisions(rel, old, new, add)
    elif rel == "hcode.yaml":
        _settings(rel, old or {}, new or {}, add)


def _read_by_hcode(rel: str) -> bool:
    """Whether hcode reads this file in ``provisions/``: a catalogue ``provisions/NAME.yaml`` or a
    mapping ``provisions/mappings/NAME.yaml`` (hcode.store.workspace.known_editions, mappings);
    ``check`` warns about a ``.yml`` file there (``file.name``)."""
    parts = rel.split("/")
    if not rel.endswith(".yaml") or parts[-1].startswith("."):
        return False
    return len(parts) == 2 or (len(parts) == 3 and parts[1] == "mappings")


def _replacing_shipped(
    rel: str, old: dict[str, Any] | None, new: dict[str, Any] | None, shipped: dict[str, Any] | None, add: Any
) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """A workspace's own catalogue or mapping added or removed: hcode used (or uses again) the
    one it ships, so that is the other side of the comparison."""
    what = "mapping" if rel.startswith("provisions/mappings/") else "catalogue"
    name = rel.rsplit("/", 1)[-1].removesuffix(".yaml")
    if old is None:
        add(Change(what, rel, name, f"{name}: the workspace's own {what} added: it replaces the one hcode ships"))
        return shipped, new
    add(Change(what, rel, name, f"{name}: the workspace's own {what} removed: hcode uses the one it ships", "alert"))
    return old, shipped


# the calendar settings that move due dates, and how a change to each is said
_CALENDAR = {
    "division": "bank holidays of",
    "receipt": "a complaint received on a non-working day counts from",
}


def _settings(rel: str, old: dict[str, Any], new: dict[str, Any], add: Any) -> None:
    """``hcode.yaml``: the Code edition and the calendar decide every due date (alerts of kind
    ``calendar``, listed with the deadline rules); any other setting changed is listed for
    information, each key once. A setting left out is compared as its default
    (:data:`hcode.store.convert.SETTING_DEFAULTS`), so writing the default out changes nothing."""
    old, new = with_defaults(old), with_defaults(new)

    def deadline(subject: str, message: str, before: Any = None, after: Any = None) -> None:
        add(Change("calendar", rel, subject, message, "alert", before, after))

    was, now = old.get("code"), new.get("code")
    if was != now:
        deadline("code", f"Code edition that judges complaints: {_value(was)} -> {_value(now)}", was, now)
    cal_was: dict[str, Any] = old["calendar"] if isinstance(old.get("calendar"), dict) else {}
    cal_now: dict[str, Any] = new["calendar"] if isinstance(new.get("calendar"), dict) else {}
    for key, said in _CALENDAR.items():
        was, now = cal_was.get(key), cal_now.get(key)
        if was != now:
            deadline("calendar", f"{said} {_value(was)} -> {_value(now)}", was, now)
    closed_was, closed_now = _as_list(cal_was.get("closures")), _as_list(cal_now.get("closures"))
    for day in closed_now:
        if day not in closed_was:
            deadline("calendar", f"closure day added: {shorten(day)}", after=day)
    for day in closed_was:
        if day not in closed_now:
            deadline("calendar", f"closure day removed: {shorten(day)}", before=day)
    others = [("calendar.", cal_was, cal_now, (*_CALENDAR, "closures")), ("", old, new, ("code", "calendar"))]
    for prefix, a, b, done in others:
        for key in _keys(a, b, done):
            was, now = a.get(key), b.get(key)
            message = f"workspace settings: {prefix}{shorten(key)} {_what(was, now)}"
            add(Change("settings", rel, f"{prefix}{key}", message, "info", was, now))


def _what(was: Any, now: Any) -> str:
    """How a value changed: ``OLD -> NEW``, ``added: NEW``, ``removed (was OLD)`` for single values
    (cut short); ``changed``, ``added``, ``removed`` for lists and mappings."""

    def single(v: Any) -> bool:
        return isinstance(v, str | int | float) or hasattr(v, "isoformat")

    if was is None:
        return f"added: {shorten(_shown(now))}" if single(now) else "added"
    if now is None:
        return f"removed (was {shorten(_shown(was))})" if single(was) else "removed"
    return f"{shorten(_shown(was))} -> {shorten(_shown(now))}" if single(was) and single(now) else "changed"


def _value(value: Any) -> str:
    """Any value as a message shows it: as the file writes it, cut short; a value not given as
    ``(none)``, never Python's ``None``."""
    return "(none)" if value is None else shorten(_shown(value))


def _shown(value: Any) -> Any:
    """A single value as the file writes it (a date as YYYY-MM-DD, true or false)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value.isoformat() if hasattr(value, "isoformat") else value


def _assessment(rel: str, old: dict[str, Any] | None, new: dict[str, Any] | None, add: Any) -> None:
    year = str((new or old or {}).get("year", rel))
    if old is None:
        add(Change("assessment-added", rel, year, f"self-assessment {year} added"))
        return
    if new is None:
        add(Change("assessment-removed", rel, year, f"self-assessment {year} removed", "alert"))
        return
    for key in ("completed",):
        if old.get(key) != new.get(key):
            add(
                Change(
                    key,
                    rel,
                    year,
                    f"{key}: {_what(old.get(key), new.get(key))}",
                    before=old.get(key),
                    after=new.get(key),
                )
            )
    if _get(old, ("approved",)) != _get(new, ("approved",)):
        add(
            Change(
                "approved",
                rel,
                year,
                "governing body approval changed",
                before=old.get("approved"),
                after=new.get("approved"),
            )
        )
    before = old.get("provisions") or {}
    after = new.get("provisions") or {}
    for pid in sorted(set(before) | set(after), key=_provision_key):
        a, b = before.get(pid) or {}, after.get(pid) or {}
        if pid not in after:
            add(Change("answer-removed", rel, pid, f"{pid}: answer removed", "alert"))
            continue
        if pid not in before:
            add(Change("answer-added", rel, pid, f"{pid}: answered {_flag(b.get('comply'))}"))
            continue
        was, now = _flag(a.get("comply")), _flag(b.get("comply"))
        if was != now:
            severity = "alert" if now == "no" or was == "yes" else "info"
            add(Change("comply", rel, pid, f"{pid}: comply {was} -> {now}", severity, was, now))
        ev_a, ev_b = _as_list(a.get("evidence")), _as_list(b.get("evidence"))
        for item in ev_b:
            if item not in ev_a:
                add(Change("evidence", rel, pid, f"{pid}: evidence added: {item}", after=item))
        for item in ev_a:
            if item not in ev_b:
                add(Change("evidence", rel, pid, f"{pid}: evidence removed: {item}", before=item))
        if (a.get("commentary") or "") != (b.get("commentary") or ""):
            add(
                Change(
                    "commentary",
                    rel,
                    pid,
                    f"{pid}: commentary changed",
                    before=a.get("commentary"),
                    after=b.get("commentary"),
                )
            )
        _actions(rel, pid, a.get("actions"), b.get("actions"), add)
    _actions(rel, "action plan", old.get("actions"), new.get("actions"), add)
    notes_a, notes_b = old.get("notes") or {}, new.get("notes") or {}
    if isinstance(notes_a, dict) and isinstance(notes_b, dict):
        for nid in [*notes_b, *(n for n in notes_a if n not in notes_b)]:
            note_was, note_now = notes_a.get(nid), notes_b.get(nid)
            if note_was != note_now:
                what = "added" if note_was is None else "removed" if note_now is None else "changed"
                add(
                    Change(
                        "note",
                        rel,
                        f"note {nid}",
                        f"note {nid} {what}",
                        "alert" if note_now is None else "info",
                        before=note_was,
                        after=note_now,
                    )
                )


def _actions(rel: str, subject: str, old: Any, new: Any, add: Any) -> None:
    """Actions added, completed, changed or removed: under one answer (``subject`` its number)
    or in the assessment's own action plan (each named with the provisions it is for)."""

    def named(x: dict[str, Any]) -> str:
        provisions = x.get("provisions") or []
        return str(x.get("action")) + (f" (for {', '.join(map(str, provisions))})" if provisions else "")

    acts_a = {named(x): x for x in old or [] if isinstance(x, dict)}
    acts_b = {named(x): x for x in new or [] if isinstance(x, dict)}
    for name, act in acts_b.items():
        if name not in acts_a:
            add(
                Change(
                    "action",
                    rel,
                    subject,
                    f"{subject}: action added: {name} (owner {_value(act.get('owner'))}, due {_value(act.get('due'))})",
                )
            )
        else:
            prev = acts_a[name]
            if act.get("done") and not prev.get("done"):
                done = act.get("done")
                when = "" if isinstance(done, bool) else f" {_value(done)}"
                add(Change("action", rel, subject, f"{subject}: action completed{when}: {name}"))
            elif prev != act:
                add(
                    Change(
                        "action",
                        rel,
                        subject,
                        f"{subject}: action changed: {name} "
                        f"(due {_value(prev.get('due'))} -> {_value(act.get('due'))})",
                    )
                )
    for name in acts_a:
        if name not in acts_b:
            add(Change("action", rel, subject, f"{subject}: action removed: {name}", "alert"))


def _case(rel: str, old: dict[str, Any] | None, new: dict[str, Any] | None, add: Any) -> None:
    cid = str((new or old or {}).get("id", rel))
    if old is None:
        add(Change("case-added", rel, cid, f"{cid} added"))
        return
    if new is None:
        add(Change("case-removed", rel, cid, f"{cid} removed", "alert"))
        return
    was_events = dict(event_values(old, _child))
    now_events = dict(event_values(new, _child))
    for path in sorted(was_events.keys() | now_events.keys(), key=_event_order):
        was, now = was_events.get(path), now_events.get(path)
        name = event_name(path)
        if was is not None and was != now:
            what = "removed" if now is None else f"changed {_value(was)} -> {_value(now)}"
            add(
                Change(
                    "history",
                    rel,
                    cid,
                    f"{cid}: {name} {what} after it was recorded",
                    "alert",
                    was,
                    now,
                )
            )
        elif was is None and now is not None:
            add(Change("step", rel, cid, f"{cid}: {name} recorded {_value(now)}", after=now))
    for key in ("outcome",):
        for stage in ("stage1", "stage2"):
            was, now = _get(old, (stage, key)), _get(new, (stage, key))
            if was is not None and was != now:
                add(
                    Change(
                        "history",
                        rel,
                        cid,
                        f"{cid}: {stage}.{key} {_what(was, now)}",
                        "alert",
                        was,
                        now,
                    )
                )


def _dicts(value: Any) -> list[dict[str, Any]]:
    """The mappings in a list (an invalid file may hold anything else: ``hcode check`` says so)."""
    return [x for x in value if isinstance(x, dict)] if isinstance(value, list) else []


def _catalogue_provisions(doc: dict[str, Any] | None) -> list[dict[str, Any]]:
    return [p for section in _dicts((doc or {}).get("sections")) for p in _dicts(section.get("provisions"))]


def _provisions(rel: str, old: dict[str, Any] | None, new: dict[str, Any] | None, add: Any) -> None:
    """A catalogue: when it takes effect and its clocks (deadline rules), requirement text
    (alerts), then any other field of the catalogue, a section or a provision (information)."""
    name = str((new or old or {}).get("code") or rel)
    if old is not None and new is not None:
        was, now = old.get("effective"), new.get("effective")
        if was != now:  # with code: auto, which complaints this edition judges
            message = f"{shorten(name)}: in force from {_what(was, now)}"
            add(Change("timescale", rel, name, message, "alert", _shown(was), _shown(now)))
    _timescales(rel, old, new, add)
    provisions_was = {str(p.get("id")): p for p in _catalogue_provisions(old)}
    provisions_now = {str(p.get("id")): p for p in _catalogue_provisions(new)}
    for pid in sorted(provisions_was.keys() | provisions_now.keys(), key=_provision_key):
        a, b = provisions_was.get(pid), provisions_now.get(pid)
        text_was, text_now = None if a is None else str(a.get("text")), None if b is None else str(b.get("text"))
        if text_was != text_now:
            what = "added" if a is None else "removed" if b is None else "requirement text changed"
            add(Change("requirement", rel, pid, f"{pid}: {what}", "alert", text_was, text_now))
    if old is None or new is None:  # a whole catalogue: its provisions and clocks say it
        return
    for key in _keys(old, new, ("effective", "sections", "timescales")):
        was, now = old.get(key), new.get(key)
        add(Change("catalogue", rel, name, f"{shorten(name)}: {shorten(key)} {_what(was, now)}", "info", was, now))
    sections_was = {str(x.get("number")): x for x in _dicts(old.get("sections"))}
    sections_now = {str(x.get("number")): x for x in _dicts(new.get("sections"))}
    for number in sorted(sections_was.keys() & sections_now.keys(), key=_provision_key):
        a, b = sections_was[number], sections_now[number]
        for key in _keys(a, b, ("number", "provisions")):
            was, now = a.get(key), b.get(key)
            message = f"section {shorten(number)}: {shorten(key)} {_what(was, now)}"
            add(Change("catalogue", rel, f"section {number}", message, "info", was, now))
    for pid in sorted(provisions_was.keys() & provisions_now.keys(), key=_provision_key):
        a, b = provisions_was[pid], provisions_now[pid]
        for key in _keys(a, b, ("id", "text", "timescale")):
            was, now = a.get(key), b.get(key)
            add(Change("catalogue", rel, pid, f"{pid}: {shorten(key)} {_what(was, now)}", "info", was, now))


def _keys(a: dict[Any, Any], b: dict[Any, Any], left_out: tuple[str, ...]) -> list[Any]:
    """The keys whose values differ between two mappings, in the newer one's order, then the
    ones only the older has; ``left_out``: compared elsewhere."""
    return [k for k in [*b, *(k for k in a if k not in b)] if k not in left_out and a.get(k) != b.get(k)]


# -- timescales: the clocks every due date is worked out from ---------------------------------------

_EVENTS = {"acknowledge": 0, "respond": 1, "extension": 2}
# the keys that give a clock's number of days, and their unit (hcode.core.model.Timescale)
_LENGTHS = {"working_days": "working day", "days": "calendar day"}
_CAPS = {"max_working_days": "working day", "max_days": "calendar day"}
_CLOCK_KEYS = ("stage", "event", "from", *_LENGTHS, *_CAPS)

ClockKey = tuple[str, str, int]  # stage, event, which of several with the same stage and event


def _clocks(doc: dict[str, Any] | None) -> dict[ClockKey, dict[str, Any]]:
    """A catalogue's clocks as the store reads them (hcode.core.model.Code): the ``timescales:``
    list, then a ``timescale:`` written on a provision (that provision's, unless it names one).
    hcode uses the first clock of a stage and event; a later one is kept apart (``n`` > 0)."""
    found: list[dict[str, Any]] = list(_dicts((doc or {}).get("timescales")))
    for p in _catalogue_provisions(doc):
        t = p.get("timescale")
        if isinstance(t, dict):
            found.append({"provision": p.get("id"), **t})
    out: dict[ClockKey, dict[str, Any]] = {}
    for t in found:
        stage, event = str(t.get("stage")), str(t.get("event"))
        n = sum(1 for k in out if k[:2] == (stage, event))
        out[(stage, event, n)] = t
    return out


def _clock_order(key: ClockKey) -> tuple[int, str, int, str, int]:
    stage, event, n = key
    return (int(stage) if stage.isdigit() else 999, stage, _EVENTS.get(event, 9), event, n)


def _days(t: dict[str, Any], keys: dict[str, str]) -> str | None:
    """``10 working days`` (several where a file gives both kinds: ``hcode check`` reports that)."""
    parts = [f"{shorten(t[k])} {unit}{'' if t[k] == 1 else 's'}" for k, unit in keys.items() if t.get(k) is not None]
    return " and ".join(parts) or None


def _limit(t: dict[str, Any]) -> str:
    """The clock's time limit with its unit, as ``hcode provisions list`` words it."""
    if t.get("event") == "extension":
        cap = _days(t, _CAPS)
        return "no limit given" if cap is None else f"up to a further {cap}"
    return _days(t, _LENGTHS) or "no number given"


def _clock_text(t: dict[str, Any]) -> str:
    start = t.get("from")
    return _limit(t) + (f" from {shorten(start)}" if start is not None else "")


def _timescales(rel: str, old: dict[str, Any] | None, new: dict[str, Any] | None, add: Any) -> None:
    """Clocks added, removed or changed. The number of days, their unit and what a clock counts
    from give every due date: a change to them is an alert of kind ``timescale``. Its
    provision, source, quote, whether it is confirmed and any other field are listed for
    information."""
    a, b = _clocks(old), _clocks(new)
    for key in sorted(a.keys() | b.keys(), key=_clock_order):
        was, now = a.get(key), b.get(key)
        if was == now:
            continue
        stage, event, n = key
        provision = (now or was or {}).get("provision")
        name = f"stage {stage} {event}" + (f" ({shorten(provision)})" if provision is not None else "")
        if n:
            name += " (repeated: hcode uses the first)"
        if was is None or now is None:
            text = _clock_text(now if now is not None else was or {})
            message = f"{name}: timescale added: {text}" if was is None else f"{name}: timescale removed (was {text})"
            add(
                Change(
                    "timescale",
                    rel,
                    f"stage {stage} {event}",
                    message,
                    "alert",
                    None if was is None else text,
                    None if now is None else text,
                )
            )
            continue
        subject = f"stage {stage} {event}"
        if _limit(was) != _limit(now):
            message = f"{name}: {_limit(was)} -> {_limit(now)}"
            add(Change("timescale", rel, subject, message, "alert", _limit(was), _limit(now)))
        if was.get("from") != now.get("from"):
            start_was, start_now = _value(was.get("from")), _value(now.get("from"))
            message = f"{name}: counted from {start_was} -> {start_now}"
            add(Change("timescale", rel, subject, message, "alert", was.get("from"), now.get("from")))
        for key_name in sorted((was.keys() | now.keys()) - set(_CLOCK_KEYS), key=_field_order):
            before, after = was.get(key_name), now.get(key_name)
            if key_name == "confirmed":  # a clock says so only when it is not (hcode.store.convert)
                before, after = was.get(key_name, True), now.get(key_name, True)
            if before == after:
                continue
            if key_name == "provision":
                message = f"{name}: provision {_value(before)} -> {_value(after)}"
            elif key_name == "confirmed":
                message = f"{name}: confirmed from the Code's text {_flag(before)} -> {_flag(after)}"
            else:
                what = "added" if before is None else "removed" if after is None else "changed"
                message = f"{name}: {shorten(key_name)} {what}"
            add(Change("timescale-source", rel, subject, message, "info", before, after))


def _field_order(name: str) -> tuple[int, str]:
    order = ("provision", "confirmed", "quote", "source", "note")
    return (order.index(name) if name in order else len(order), name)


# -- mappings between editions ----------------------------------------------------------------------


def _rows(doc: dict[str, Any] | None) -> dict[str, dict[str | None, Any]]:
    """A mapping's rows by the earlier edition's provision: each provision of the later edition
    it leads to (``None``: no provision carries it), with its ``unconfirmed`` reason."""
    out: dict[str, dict[str | None, Any]] = {}
    for row in _dicts((doc or {}).get("rows")):
        target = row.get("to")
        out.setdefault(str(row.get("from")), {})[None if target is None else str(target)] = row.get("unconfirmed")
    return out


def _mapping(rel: str, old: dict[str, Any] | None, new: dict[str, Any] | None, add: Any) -> None:
    """Rows added or removed, a provision mapped to a different one (alerts: a self-assessment
    answer carried to the next edition goes elsewhere), reasons for unconfirmed rows."""
    doc = new or old or {}
    first, second = _value(doc.get("from")), _value(doc.get("to"))
    if old is not None and new is not None and (old.get("from"), old.get("to")) != (new.get("from"), new.get("to")):
        before = f"{_value(old.get('from'))} to {_value(old.get('to'))}"
        message = f"mapping now from {first} to {second} (was {before})"
        add(Change("mapping", rel, f"{first} to {second}", message, "alert"))

    def targets(found: dict[str | None, Any]) -> str:
        return " and ".join(f"{second} {shorten(t)}" if t is not None else f"no {second} provision" for t in found)

    a, b = _rows(old), _rows(new)
    for source in sorted(a.keys() | b.keys(), key=_provision_key):
        was, now = a.get(source), b.get(source)
        subject = f"{first} {shorten(source)}"
        if was is None or now is None:
            if was is None:
                message = f"{subject}: mapping added: leads to {targets(now or {})}"
                add(Change("mapping", rel, subject, message, after=list(now or {})))
            else:
                message = f"{subject}: mapping removed (led to {targets(was)})"
                add(Change("mapping", rel, subject, message, "alert", list(was)))
            continue
        if list(was) != list(now):
            message = f"{subject}: leads to {targets(was)} -> {targets(now)}"
            add(Change("mapping", rel, subject, message, "alert", list(was), list(now)))
        for target in [t for t in now if t in was]:
            why_was, why_now = was[target], now[target]
            if why_was != why_now:
                what = (
                    "now marked unconfirmed (hcode's reading)"
                    if why_was is None
                    else "no longer marked unconfirmed"
                    if why_now is None
                    else "reason it is unconfirmed changed"
                )
                add(
                    Change(
                        "mapping",
                        rel,
                        subject,
                        f"{subject} -> {targets({target: None})}: {what}",
                        "info",
                        why_was,
                        why_now,
                    )
                )


def _provision_key(pid: str) -> tuple[int, ...]:
    try:
        return tuple(int(x) for x in str(pid).split("."))
    except ValueError:
        return (999,)


_ORDER = {
    "timescale": -2,
    "calendar": -1,
    "comply": 0,
    "history": 1,
    "case-removed": 2,
    "answer-removed": 3,
    "requirement": 4,
}


def _rank(c: Change) -> tuple[int, int, str]:
    """Alerts first, the kinds above first among them, then by file; within a file the order in
    which it lists them (provision 6.2 before 6.10, stage 1 clocks before stage 2)."""
    return (0 if c.severity == "alert" else 1, _ORDER.get(c.kind, 9), c.file)
