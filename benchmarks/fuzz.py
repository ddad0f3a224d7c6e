"""Fuzz hcode by hand for longer than the test suite does (not part of `make test`).

    python benchmarks/fuzz.py [--minutes 10] [--seed 1]

Takes the example workspace's files, mutates them (drop, duplicate, swap and re-indent lines;
retype and corrupt values; truncate; inject bytes), and runs `hcode check`, `hcode fmt --check`,
`hcode case show` and `hcode due` on each mutant in-process. Any exit code 4, traceback or hang
is a bug: the mutant is saved to benchmarks/out/fuzz-failures/ and the run goes on.

Four more kinds of mutant attack what the file mutations cannot reach:

* ``cache``: the `.hcode-cache/` files are truncated, corrupted, emptied of findings or swapped
  for another run's; `check` must then print exactly what `check --no-cache` prints;
* ``symlink``: a case file or folder becomes a link outside the workspace, a loop or a dangling
  link (`check`, `due` and `case show` must not exit 4, and nothing outside may change);
* ``control``: control and bidirectional characters and `::error` lines in text values (no
  output may hold them raw or start a line with `::`);
* ``extreme``: dates such as 9999-12-31 and 0001-01-01, and integers of thousands of digits.

One fuzz target per importer feeds `hcode import` documents built from a valid one and then
broken (``docx``, ``xlsx``, ``csv``): the zip's bytes flipped or cut, one of its XML parts mutated
(hostile numbers in ``gridSpan``, ``<dimension>``, ``<row r>``, ``<mergeCell>``, shared-text
indexes, ``w:sym`` codes, NaN), or the CSV's lines mutated. Each import must exit 0 to 3 (never
4 or a traceback) within :data:`IMPORT_SECONDS`; the memory of the run is bounded by the limits
of ``hcode.store.office`` and its peak is printed at the end.

Prints how many mutants of each kind it tried and how many failed.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))

from typer.testing import CliRunner  # noqa: E402

from hcode.cli import app  # noqa: E402

NOISE = [
    b"\x00",
    b"\xff",
    b"\t",
    b"&a ",
    b"*a",
    b"!!python/object:os.system ",
    b"{",
    b"[",
    b"]",
    b": ",
    b"- ",
    b"'",
    b'"',
    b"---\n",
    b"\xef\xbb\xbf",
    b"<<<<<<< HEAD\n",
    b"~",
    b"2024-02-30",
    b"no",
    b"6.10:",
]


def mutate(data: bytes, rng: random.Random) -> bytes:
    lines = data.split(b"\n")
    for _ in range(rng.randint(1, 3)):
        choice = rng.randrange(9)
        i = rng.randrange(len(lines)) if lines else 0
        if choice == 0 and lines:
            del lines[i]
        elif choice == 1 and lines:
            lines.insert(i, lines[i])
        elif choice == 2 and len(lines) > 1:
            j = rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        elif choice == 3 and lines:
            lines[i] = b" " * rng.randint(0, 6) + lines[i].lstrip()
        elif choice == 4 and lines and b":" in lines[i]:
            key, _, _ = lines[i].partition(b":")
            lines[i] = (
                key
                + b": "
                + rng.choice(
                    [
                        b"[]",
                        b"{}",
                        b"12",
                        b"-1.5",
                        b"yes",
                        b"null",
                        b"2024-13-45",
                        b"2024-05-03T10:00",
                        b"|",
                        b"'unterminated",
                        b"x" * 300,
                    ]
                )
            )
        elif choice == 5 and lines:
            pos = rng.randint(0, len(lines[i]))
            lines[i] = lines[i][:pos] + rng.choice(NOISE) + lines[i][pos:]
        elif choice == 6:
            joined = b"\n".join(lines)
            return joined[: rng.randint(0, len(joined))]
        elif choice == 7 and lines:
            lines[i] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 20)))
        elif choice == 8 and lines and b":" in lines[i]:
            key, _, value = lines[i].partition(b":")
            lines[i] = key + b"x:" + value  # an unknown key
    return b"\n".join(lines)


CONTROL = ["\\e[2J", "\\u202e", "\\u2066", "\\x07", "\\r", "\\n::error file=x::pwned", "\\x9b31m"]
EXTREME = [b"9999-12-31", b"0001-01-01", b"2199-12-31", b"1900-01-01", b"9" * 5000, b"-" + b"9" * 4400, b"1e400"]


def mutate_control(data: bytes, rng: random.Random) -> bytes:
    """A text value holding control characters, bidi overrides or a workflow command."""
    lines = data.split(b"\n")
    keyed = [i for i, line in enumerate(lines) if b": " in line and not line.lstrip().startswith(b"- ")]
    if not keyed:
        return data
    i = rng.choice(keyed)
    key = lines[i].split(b":", 1)[0]
    value = "".join(rng.choice(CONTROL) for _ in range(rng.randint(1, 3)))
    lines[i] = key + b': "text ' + value.encode() + b' text"'
    return b"\n".join(lines)


def mutate_extreme(data: bytes, rng: random.Random) -> bytes:
    lines = data.split(b"\n")
    keyed = [i for i, line in enumerate(lines) if b": " in line]
    for i in rng.sample(keyed, min(len(keyed), rng.randint(1, 3))):
        key = lines[i].split(b":", 1)[0]
        lines[i] = key + b": " + rng.choice(EXTREME)
    return b"\n".join(lines)


def mutate_symlink(ws: Path, target: Path, outside: Path, rng: random.Random) -> None:
    """Replace ``target`` (a case file) or its folder with a hostile link."""
    choice = rng.randrange(4)
    if choice == 0:
        (outside / target.name).write_bytes(target.read_bytes())
        target.unlink()
        target.symlink_to(outside / target.name)  # a file outside the workspace
    elif choice == 1:
        target.unlink()
        target.symlink_to(target)  # a loop
    elif choice == 2:
        target.unlink()
        target.symlink_to(outside / "missing.yaml")  # dangling
    else:
        (target.parent / "loop").symlink_to(target.parent / "loop2")
        (target.parent / "loop2").symlink_to(target.parent / "loop")


def tamper_cache(ws: Path, rng: random.Random, donor: Path) -> None:
    """Damage or replace the cache files a previous run left."""
    cache = ws / ".hcode-cache"
    files = sorted(p for p in cache.glob("*") if p.is_file() and p.name != ".gitignore") if cache.is_dir() else []
    if not files:
        return
    path = rng.choice(files)
    data = path.read_bytes()
    choice = rng.randrange(5)
    if choice == 0:
        path.write_bytes(data[: rng.randint(0, len(data))])
    elif choice == 1 and data:
        pos = rng.randrange(len(data))
        path.write_bytes(data[:pos] + bytes([data[pos] ^ 0x20]) + data[pos + 1 :])
    elif choice == 2:
        path.write_bytes(data.replace(b'"error"', b'"info"').replace(b"[[", b"[").replace(b"]]", b"]"))
    elif choice == 3 and (donor / path.name).is_file():
        shutil.copy2(donor / path.name, path)  # another workspace's cache
    else:
        path.write_bytes(b'{"key": "x", "files": {}}')


def run_one(ws: Path, case_id: str, kind: str = "file") -> list[str]:
    problems = []
    runner = CliRunner()
    if kind == "cache":
        fresh = runner.invoke(app, ["check", str(ws), "--as-of", "2025-07-31", "--no-cache", "--format", "json"])
        cached = runner.invoke(app, ["check", str(ws), "--as-of", "2025-07-31", "--format", "json"])
        if fresh.stdout != cached.stdout or fresh.exit_code != cached.exit_code:
            problems.append("check with a tampered cache differs from check --no-cache")
    for args in (
        ["check", str(ws), "--as-of", "2025-07-31", "--no-cache"],
        ["fmt", "--check", "--workspace", str(ws)],
        ["case", "show", case_id, "--workspace", str(ws)],
        ["due", str(ws), "--as-of", "2025-07-31"],
    ):
        result = runner.invoke(app, args)
        if result.exit_code not in (0, 1, 2, 3) or (result.exception and not isinstance(result.exception, SystemExit)):
            problems.append(f"{' '.join(args[:2])}: exit {result.exit_code}: {result.exception!r}")
        if "Traceback" in (result.stdout or ""):
            problems.append(f"{' '.join(args[:2])}: traceback printed")
        if kind == "control":
            text = result.stdout or ""
            if any(c in text for c in ("\x1b", "\u202e", "\u2066", "\x07", "\x9b")):
                problems.append(f"{' '.join(args[:2])}: a control character reached the output")
            if any(line.lstrip().startswith("::") for line in text.splitlines()):
                problems.append(f"{' '.join(args[:2])}: a line of output starts with ::")
    return problems


IMPORTERS = ("docx", "xlsx", "csv")
KINDS = ("file", "cache", "symlink", "control", "extreme", *IMPORTERS)
#: One import of a mutant document may take at most this long (a hang is a failure).
IMPORT_SECONDS = 20.0
HOSTILE = [
    b"200000000",
    b"abc",
    b"FFFFFFFF",
    b"NaN",
    b"-1",
    b"99999999999",
    b"A1:XFD1048576",
    b"1e400",
    b"",
    b"&amp;",
    b"\x00",
]


def seed_documents(folder: Path) -> dict[str, bytes]:
    """A valid document for each importer: a self-assessment table in Word, case rows in Excel
    and in CSV (hcode's own import layouts)."""
    import docx
    import openpyxl

    document = docx.Document()
    table = document.add_table(rows=3, cols=3)
    for r, row in enumerate((["Provision", "Compliant?", "Evidence"], ["1.2", "Yes", "Policy"], ["6.3", "No", "Plan"])):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    table.cell(1, 0).merge(table.cell(1, 1))
    document.add_paragraph("Self-assessment 2024-25")
    document.save(str(folder / "seed.docx"))
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    rows = [["Ref", "Received", "Category"], *([f"C-{n}", f"0{n % 9 + 1}/04/2025", "repairs"] for n in range(1, 30))]
    for row in rows:
        sheet.append(row)
    sheet.merge_cells("D1:E2")
    book.save(folder / "seed.xlsx")
    csv_text = "\n".join(",".join(r) for r in rows) + "\n"
    return {
        "docx": (folder / "seed.docx").read_bytes(),
        "xlsx": (folder / "seed.xlsx").read_bytes(),
        "csv": csv_text.encode(),
    }


def mutate_office(data: bytes, rng: random.Random) -> bytes:
    """A broken Office file: its bytes flipped or cut, or one XML part mutated and rezipped."""
    import io
    import re
    import zipfile

    if rng.random() < 0.25:
        raw = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            raw[rng.randrange(len(raw))] = rng.randrange(256)
        return bytes(raw[: rng.randint(len(raw) // 2, len(raw))]) if rng.random() < 0.3 else bytes(raw)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        parts = {i.filename: zf.read(i) for i in zf.infolist()}
    xml = [n for n in parts if n.endswith(".xml")]
    name = rng.choice(xml)
    text = parts[name]
    for _ in range(rng.randint(1, 4)):
        choice = rng.randrange(4)
        if choice == 0:  # a hostile value in an attribute
            attrs = list(re.finditer(rb'="([^"]*)"', text))
            if attrs:
                m = rng.choice(attrs)
                text = text[: m.start(1)] + rng.choice(HOSTILE) + text[m.end(1) :]
        elif choice == 1:  # a hostile value in a text node
            nodes = list(re.finditer(rb">([^<]+)<", text))
            if nodes:
                m = rng.choice(nodes)
                text = text[: m.start(1)] + rng.choice(HOSTILE) + text[m.end(1) :]
        elif choice == 2:  # an element repeated many times
            elems = list(re.finditer(rb"<(\w+:)?(p|row|c|si|tr|tc|mergeCell)\b[^>]*/>", text))
            if elems:
                m = rng.choice(elems)
                text = text[: m.end()] + m.group() * rng.choice([10, 1000, 100000]) + text[m.end() :]
        else:
            text = mutate(text, rng)
    parts[name] = text
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for part, body in parts.items():
            zf.writestr(part, body)
    return out.getvalue()


def run_import(ws: Path, kind: str, mutant: bytes, folder: Path) -> list[str]:
    """Import ``mutant`` as a self-assessment and (xlsx, csv) as case rows, dry runs."""
    problems = []
    path = folder / f"mutant.{kind}"
    path.write_bytes(mutant)
    runner = CliRunner()
    commands = [["import", "assessment", str(path), "-w", str(ws), "--year", "2024-25", "--dry-run"]]
    if kind != "docx":
        commands.append(["import", "cases", str(path), "-w", str(ws), "--dry-run"])
    for args in commands:
        start = time.monotonic()
        result = runner.invoke(app, args)
        took = time.monotonic() - start
        if result.exit_code not in (0, 1, 2, 3) or (result.exception and not isinstance(result.exception, SystemExit)):
            problems.append(f"{' '.join(args[:2])}: exit {result.exit_code}: {result.exception!r}")
        if "Traceback" in (result.stdout or ""):
            problems.append(f"{' '.join(args[:2])}: traceback printed")
        if took > IMPORT_SECONDS:
            problems.append(f"{' '.join(args[:2])}: took {took:.0f} s")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--kinds", nargs="*", choices=KINDS, help="only these kinds of mutant (default: all)")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    example = ROOT
    sources = sorted((example / "cases").rglob("*.yaml")) + sorted((example / "assessments").glob("*.yaml"))
    failures = HERE / "out" / "fuzz-failures"
    deadline = time.monotonic() + args.minutes * 60
    tried = dict.fromkeys(KINDS, 0)
    failed = dict.fromkeys(KINDS, 0)
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "ws"
        donor = Path(tmp) / "donor"
        outside = Path(tmp) / "outside"
        for ws in (base, donor):
            ws.mkdir()
            shutil.copy2(example / "hcode.yaml", ws / "hcode.yaml")
            for part in ("assessments", "cases"):
                shutil.copytree(example / part, ws / part)
        outside.mkdir()
        (donor / "hcode.yaml").write_text((donor / "hcode.yaml").read_text().replace("landlord:", "landlord: Donor #"))
        CliRunner().invoke(app, ["check", str(donor), "--as-of", "2025-07-31"])
        (base / "import-map.yaml").write_text("columns:\n  id: Ref\n  received: Received\n  category: Category\n")
        seeds = seed_documents(Path(tmp))
        while time.monotonic() < deadline:
            kind = rng.choice(args.kinds or KINDS)
            if kind in IMPORTERS:
                mutant = mutate_office(seeds[kind], rng) if kind != "csv" else mutate(seeds[kind], rng)
                problems = run_import(base, kind, mutant, Path(tmp))
                tried[kind] += 1
                if problems:
                    failed[kind] += 1
                    failures.mkdir(parents=True, exist_ok=True)
                    (failures / f"{sum(tried.values())}-{kind}.{kind}").write_bytes(mutant)
                    print(f"FAIL {kind}: {problems}", flush=True)
                continue
            source = rng.choice(sources)
            rel = source.relative_to(example)
            target = base / rel
            original = target.read_bytes()
            mutant = original
            if kind == "file":
                mutant = mutate(original, rng)
            elif kind == "control":
                mutant = mutate_control(original, rng)
            elif kind == "extreme":
                mutant = mutate_extreme(original, rng)
            target.write_bytes(mutant)
            outside_before = sorted(p.name for p in outside.iterdir())
            if kind == "cache":
                CliRunner().invoke(app, ["check", str(base), "--as-of", "2025-07-31"])
                tamper_cache(base, rng, donor / ".hcode-cache")
            elif kind == "symlink":
                mutate_symlink(base, target, outside, rng)
                outside_before = sorted(p.name for p in outside.iterdir())
            problems = run_one(base, source.stem, kind)
            if kind == "symlink" and sorted(p.name for p in outside.iterdir()) != outside_before:
                problems.append("a file outside the workspace was created or removed")
            tried[kind] += 1
            if problems:
                failed[kind] += 1
                failures.mkdir(parents=True, exist_ok=True)
                (failures / f"{sum(tried.values())}-{kind}-{source.name}").write_bytes(mutant)
                print(f"FAIL {kind} {rel}: {problems}", flush=True)
            for extra in (target.parent / "loop", target.parent / "loop2"):
                if extra.is_symlink():
                    extra.unlink()
            if target.is_symlink():
                target.unlink()
            target.write_bytes(original)
            for leftover in outside.iterdir():
                leftover.unlink()
            if sum(tried.values()) % 200 == 0:
                print(f"{sum(tried.values())} mutants tried, {sum(failed.values())} failures", flush=True)
    import resource

    counts = ", ".join(f"{k} {tried[k]} ({failed[k]} failed)" for k in KINDS)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"done: {sum(tried.values())} mutants tried: {counts}; seed {args.seed}; peak memory {peak} MB")
    sys.exit(1 if any(failed.values()) else 0)


if __name__ == "__main__":
    main()
