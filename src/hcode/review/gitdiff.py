"""``hcode diff``: what a change does to the self-assessment, the cases and the Code, read
from git without touching the work tree (``git diff --name-status``, ``git show REV:path``).

The comparison itself (:func:`compare`) is pure: it takes the two versions of each changed file
as text and returns the changes, most serious first:

* self-assessment answers turned from Yes to No (or back), evidence, commentary and actions
  added, removed or changed, actions completed (under an answer or in the assessment's own
  action plan), notes added, removed or changed;
* cases added or removed, and any date of something that has already happened changed or
  removed afterwards (an audit red flag: the record of what happened was rewritten);
* changed requirement text in a provisions catalogue.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hcode.core.model import Finding
from hcode.core.rules.records import EVENT_PATHS, event_name, event_values
from hcode.store import yamlread
from hcode.store.workspace import decode_mapping

WATCHED = ("assessments/", "cases/", "provisions/", "hcode.yaml")


class GitError(Exception):
    pass


@dataclass
class Change:
    kind: str  # e.g. comply, evidence, commentary, action, case-added, history, requirement
    file: str
    subject: str  # provision, case id or file
    message: str
    severity: str = "info"  # alert (needs a second look) or info
    before: Any = None
    after: Any = None


@dataclass
class DiffResult:
    base: str
    head: str
    changes: list[Change] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)


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
        if rel.endswith((".yaml", ".yml")):
            out.append(rel)
    return out


def read_at(top: Path, prefix: str, rev: str | None, rel: str) -> str | None:
    """A file's text at ``rev`` (``None``: the work tree); ``None`` where it does not exist."""
    if rev is None:
        path = top / prefix / rel
        try:
            data = path.read_bytes()
        except OSError:
            return None
    else:
        found = _git_bytes(top, "show", f"{rev}:{prefix}{rel}")
        if found is None:
            return None
        data = found
    return data.decode("utf-8", errors="surrogateescape")


def diff(root: Path, base: str | None, head: str | None) -> DiffResult:
    top, prefix = repo_of(root)
    base_rev = base or default_base(top)
    _git(top, "rev-parse", "--verify", "--quiet", f"{base_rev}^{{commit}}")
    if head is not None:
        _git(top, "rev-parse", "--verify", "--quiet", f"{head}^{{commit}}")
    result = DiffResult(base=base_rev, head=head or "working tree")
    for rel in changed_files(top, prefix, base_rev, head):
        old = read_at(top, prefix, base_rev, rel)
        new = read_at(top, prefix, head, rel)
        compare(rel, old, new, result)
    result.changes.sort(key=_rank)
    return result


# -- the comparison ------------------------------------------------------------------------------


def _load(rel: str, text: str | None) -> dict[str, Any] | None:
    """A version of a file read as the store reads every workspace file (same strict YAML, same
    size limit); ``_Unreadable`` when it cannot be read."""
    if text is None:
        return None
    found = decode_mapping(text.encode("utf-8", errors="surrogateescape"), rel, yamlread.DEFAULT_MAX_BYTES)
    if isinstance(found, Finding):
        if found.rule == "schema":  # a list or a single value: nothing hcode can compare
            return None
        raise _Unreadable(found.message)
    return found[1]


class _Unreadable(Exception):
    pass


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
    from hcode.store.convert import flag, not_applicable

    meaning = flag(value)
    if not_applicable(value):
        return "n/a"
    return "yes" if meaning is True else "no" if meaning is False else "(blank)"


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v) for v in value]
    return [str(value)]


def compare(rel: str, old_text: str | None, new_text: str | None, result: DiffResult) -> None:
    """Add the changes between two versions of one workspace file to ``result``."""
    try:
        old, new = _load(rel, old_text), _load(rel, new_text)
    except _Unreadable:
        result.unreadable.append(rel)
        return
    add = result.changes.append
    if rel.startswith("assessments/"):
        _assessment(rel, old, new, add)
    elif rel.startswith("cases/"):
        _case(rel, old, new, add)
    elif rel.startswith("provisions/"):
        _provisions(rel, old, new, add)
    elif rel == "hcode.yaml" and old != new:
        add(Change("settings", rel, "hcode.yaml", "workspace settings changed"))


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
                    f"{key}: {old.get(key)} -> {new.get(key)}",
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
                    f"{subject}: action added: {name} (owner {act.get('owner')}, due {act.get('due')})",
                )
            )
        else:
            prev = acts_a[name]
            if act.get("done") and not prev.get("done"):
                add(Change("action", rel, subject, f"{subject}: action completed {act.get('done')}: {name}"))
            elif prev != act:
                add(
                    Change(
                        "action",
                        rel,
                        subject,
                        f"{subject}: action changed: {name} (due {prev.get('due')} -> {act.get('due')})",
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
            what = "removed" if now is None else f"changed {was} -> {now}"
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
            add(Change("step", rel, cid, f"{cid}: {name} recorded {now}", after=now))
    for key in ("outcome",):
        for stage in ("stage1", "stage2"):
            was, now = _get(old, (stage, key)), _get(new, (stage, key))
            if was is not None and was != now:
                add(
                    Change(
                        "history",
                        rel,
                        cid,
                        f"{cid}: {stage}.{key} changed {was} -> {now}",
                        "alert",
                        was,
                        now,
                    )
                )


def _provisions(rel: str, old: dict[str, Any] | None, new: dict[str, Any] | None, add: Any) -> None:
    def texts(doc: dict[str, Any] | None) -> dict[str, str]:
        out: dict[str, str] = {}
        for section in (doc or {}).get("sections") or []:
            for p in section.get("provisions") or []:
                if isinstance(p, dict):
                    out[str(p.get("id"))] = str(p.get("text"))
        return out

    a, b = texts(old), texts(new)
    for pid in sorted(set(a) | set(b), key=_provision_key):
        if a.get(pid) != b.get(pid):
            what = "added" if pid not in a else "removed" if pid not in b else "requirement text changed"
            add(Change("requirement", rel, pid, f"{pid}: {what}", "alert", a.get(pid), b.get(pid)))


def _provision_key(pid: str) -> tuple[int, ...]:
    try:
        return tuple(int(x) for x in str(pid).split("."))
    except ValueError:
        return (999,)


_ORDER = {"comply": 0, "history": 1, "case-removed": 2, "answer-removed": 3, "requirement": 4}


def _rank(c: Change) -> tuple[int, int, str, str]:
    return (0 if c.severity == "alert" else 1, _ORDER.get(c.kind, 9), c.file, c.message)
