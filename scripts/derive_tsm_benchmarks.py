"""Derive hcode's compact table of sector TSM figures from the Regulator's workbooks.

    .venv/bin/python scripts/derive_tsm_benchmarks.py

reads every ``data/rsh-tsm/TSM_*_Full_Data_v*.xlsx`` (see data/rsh-tsm/SOURCE.md) with the same
reader as ``hcode benchmarks update`` (``hcode.store.tsmdata``, which refuses a workbook whose
layout has changed) and writes ``src/hcode/data/tsm-benchmarks.json``: for each reporting year,
every landlord's published CH01 and CH02 per stock type (LCRA, LCHO, Combined, only where it
reported that stock type), with the dataset's file and version, its source address and the
licence's attribution. ``tests/api/test_benchmarks.py`` checks the table against the workbooks.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from hcode.store.tsmdata import table_of  # noqa: E402

#: Where each workbook was published (data/rsh-tsm/SOURCE.md).
SOURCES = {
    "TSM_2024_Full_Data_v1.1.xlsx": "https://assets.publishing.service.gov.uk/media/6744943be26d6f8ca3cb35c0/2024_TSM_Full_Data_v1.1_FINAL.xlsx",
    "TSM_2025_Full_Data_v1.0.xlsx": "https://assets.publishing.service.gov.uk/media/6939474f7a605b2d61cd901a/TSM_2025_Full_Data.zip",
}


def main() -> int:
    books = sorted((ROOT / "data" / "rsh-tsm").glob("TSM_*_Full_Data_v*.xlsx"))
    table = table_of([(path, SOURCES[path.name]) for path in books])
    out = ROOT / "src" / "hcode" / "data" / "tsm-benchmarks.json"
    out.write_text(json.dumps(table, indent=1, ensure_ascii=False, sort_keys=True) + "\n", "utf-8")
    print(f"Written: {out.relative_to(ROOT)} ({', '.join(d['year'] for d in table['datasets'])})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
