"""Fuzz hcode by hand for longer than the test suite does (not part of `make test`).

    python benchmarks/fuzz.py [--minutes 10] [--seed 1]

Takes the example workspace's files, mutates them (drop, duplicate, swap and re-indent lines;
retype and corrupt values; truncate; inject bytes), and runs `hcode check`, `hcode fmt --check`
and `hcode case show` on each mutant in-process. Any exit code 4, traceback or hang is a bug:
the mutant is saved to benchmarks/out/fuzz-failures/ and the run goes on. Prints how many
mutants it tried.
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


def run_one(ws: Path, case_id: str) -> list[str]:
    problems = []
    runner = CliRunner()
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
    return problems


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    example = ROOT
    sources = sorted((example / "cases").rglob("*.yaml")) + sorted((example / "assessments").glob("*.yaml"))
    failures = HERE / "out" / "fuzz-failures"
    deadline = time.monotonic() + args.minutes * 60
    tried = failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "ws"
        base.mkdir()
        shutil.copy2(example / "hcode.yaml", base / "hcode.yaml")
        for part in ("assessments", "cases"):
            shutil.copytree(example / part, base / part)
        while time.monotonic() < deadline:
            source = rng.choice(sources)
            rel = source.relative_to(example)
            target = base / rel
            original = target.read_bytes()
            mutant = mutate(original, rng)
            target.write_bytes(mutant)
            problems = run_one(base, source.stem)
            tried += 1
            if problems:
                failed += 1
                failures.mkdir(parents=True, exist_ok=True)
                (failures / f"{tried}-{source.name}").write_bytes(mutant)
                print(f"FAIL {rel}: {problems}", flush=True)
            target.write_bytes(original)
            if tried % 200 == 0:
                print(f"{tried} mutants tried, {failed} failures", flush=True)
    print(f"done: {tried} mutants tried (4 commands each), {failed} failures, seed {args.seed}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
