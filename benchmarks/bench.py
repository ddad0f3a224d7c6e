"""Benchmark hcode on generated workspaces and print the figures (not part of the test suite).

    python benchmarks/bench.py [--sizes 1000,10000,100000] [--cjs-files 10000] [--out DIR]

For each size it generates a deterministic workspace (once; kept under --out), then measures:
reading every file's bytes, ``hcode check`` cold (no cache), warm (nothing changed) and warm
after one file changed, peak memory, and check-jsonschema validating the same files against
hcode's own case schema (on at most --cjs-files files, scaled linearly beyond that and marked
"est."). It ends with ``hcode --version`` and ``hcode check`` on the bundled example.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

BIN = Path(sys.executable).parent
HCODE = [str(BIN / "hcode")] if (BIN / "hcode").exists() else [sys.executable, "-m", "hcode"]
AS_OF = "2025-07-31"


def timed(cmd: list[str], cwd: Path | None = None) -> tuple[float, int, int]:
    """Wall time in seconds, peak memory in MB (the process and its children), exit code."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    peak = usage.ru_maxrss // 1024  # kilobytes on Linux
    return elapsed, peak, os.waitstatus_to_exitcode(status)


def best(cmd: list[str], runs: int = 3) -> tuple[float, int]:
    results = [timed(cmd) for _ in range(runs)]
    return min(r[0] for r in results), max(r[1] for r in results)


def read_all(root: Path) -> float:
    start = time.perf_counter()
    for folder, _, names in os.walk(root / "cases"):
        for name in names:
            with open(os.path.join(folder, name), "rb") as handle:
                handle.read()
    return time.perf_counter() - start


def check_jsonschema(root: Path, limit: int) -> tuple[float, int, bool] | None:
    exe = shutil.which("check-jsonschema", path=str(BIN)) or shutil.which("check-jsonschema")
    if exe is None:
        return None
    schema = root / ".bench-case.schema.json"
    schema.write_text(subprocess.run(HCODE + ["schema", "case"], capture_output=True, text=True).stdout)
    files = sorted(str(p) for p in (root / "cases").rglob("*.yaml"))
    sample = files[:limit]
    elapsed, _, _ = timed([exe, "--schemafile", str(schema), *sample])
    return elapsed * len(files) / len(sample), len(sample), len(sample) < len(files)


def touch_one(root: Path) -> None:
    first = sorted((root / "cases").rglob("*.yaml"))[len(list((root / "cases").rglob("*.yaml"))) // 2]
    text = first.read_text()
    first.write_text(
        text.replace("learning: ", "learning: Updated. ", 1) if "learning: " in text else text + "# touched\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--cjs-files", type=int, default=10000)
    parser.add_argument("--out", type=Path, default=HERE / "out")
    args = parser.parse_args()
    print(f"hcode benchmark on {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    print(
        f"{'cases':>8} {'read':>7} {'cold':>7} {'warm':>7} {'1 change':>9} {'peak MB':>8} "
        f"{'c-jsonschema':>13} {'ratio':>7} {'cold/read':>9}"
    )
    for size in (int(s) for s in args.sizes.split(",")):
        root = args.out / f"ws-{size}"
        if not (root / "hcode.yaml").exists():
            shutil.rmtree(root, ignore_errors=True)
            generate(root, size)
        shutil.rmtree(root / ".hcode-cache", ignore_errors=True)
        read_all(root)  # warm the page cache, as a second run in CI would
        read = min(read_all(root) for _ in range(2))
        base = HCODE + ["check", str(root), "--as-of", AS_OF, "--format", "json"]
        cold, cold_peak = best(base + ["--no-cache"], runs=2 if size >= 100000 else 3)
        timed(base)  # fill the cache
        warm, warm_peak = best(base)
        touch_one(root)
        changed, _, _ = timed(base)
        cjs = check_jsonschema(root, args.cjs_files)
        if cjs is None:
            cjs_text, ratio = "not installed", "-"
        else:
            cjs_text = f"{cjs[0]:.1f}s" + (" est." if cjs[2] else "")
            ratio = f"{cjs[0] / cold:.0f}x"
        print(
            f"{size:>8} {read:>6.2f}s {cold:>6.2f}s {warm:>6.2f}s {changed:>8.2f}s "
            f"{max(cold_peak, warm_peak):>8} {cjs_text:>13} {ratio:>7} {cold / read:>8.0f}x"
        )
    version, _ = best(HCODE + ["--version"], runs=5)
    example, _ = best(
        HCODE + ["check", str(ROOT), "--as-of", AS_OF, "--no-cache"],
        runs=5,
    )
    print(f"hcode --version: {version:.3f}s; hcode check on the example workspace (51 cases): {example:.3f}s")


if __name__ == "__main__":
    main()
