"""Generate a deterministic workspace of N realistic cases, for benchmarks and load tests.

Every lifecycle shape appears (on time, late, late with its reason, apology and learning
recorded, extended, escalated, refused, withdrawn, open, service requests), with comments, free
text of realistic length and some breaches. Files are about 1.4 KB each. With HAZARDS, that many hazard reports (Awaab's Law) beside them: emergencies
with times, significant damp and mould with investigations, summaries, safety work and further
works, some late, some open, some stopped, some in shared ownership. Usage: python
benchmarks/generate.py DIR N [HAZARDS] (HAZARDS defaults to N / 5).
"""

from __future__ import annotations

import random
import sys
from datetime import date, datetime, time, timedelta
from pathlib import Path

CATEGORIES = [
    "repairs",
    "damp-and-mould",
    "anti-social-behaviour",
    "staff-conduct",
    "communication",
    "rent-and-charges",
    "estate-services",
    "allocations",
]
CHANNELS = ["phone", "email", "letter", "web", "in-person", "social-media"]
WORDS = (
    "leak roof window boiler heating mould damp repair visit contractor appointment "
    "missed call back update neighbour noise service charge cleaning communal door lock "
    "kitchen bathroom survey inspection delay apology compensation replacement"
).split()

CONFIG = """\
# Generated benchmark workspace (synthetic data).
hcode: 1
landlord: Benchmark Homes
homes: 60000
code: auto
calendar:
  division: england-and-wales
  closures: [2024-12-27, 2024-12-30, 2024-12-31]
"""


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def weekdays(rng: random.Random, start: date, n: int) -> date:
    day = start
    added = 0
    while added < n:
        day += timedelta(days=1)
        if day.weekday() < 5:
            added += 1
    return day


def case_text(rng: random.Random, i: int, received: date, as_of: date) -> tuple[str, str]:
    year = received.year
    cid = f"C-{year}-{i:06d}"
    shape = rng.random()
    lines = [
        f"# Logged by the customer services team ({sentence(rng, 4).lower()[:-1]}).",
        f"id: {cid}",
        "kind: complaint",
        f"received: {received.isoformat()}",
        f"category: {rng.choice(CATEGORIES)}",
        f"channel: {rng.choice(CHANNELS)}",
    ]
    if shape < 0.08:  # service request
        lines[2] = "kind: service-request"
        if received + timedelta(days=20) < as_of:
            lines.append(f"resolved: {weekdays(rng, received, rng.randint(1, 15)).isoformat()}")
        lines.append(f"x-crm-ref: {rng.randint(10000, 99999)}")
        return cid, "\n".join(lines) + "\n"
    if shape < 0.11:  # refused
        lines.append(f"issue_date: {(received - timedelta(days=rng.randint(100, 700))).isoformat()}")
        lines += [
            "refused:",
            "  stage: 1",
            f"  date: {weekdays(rng, received, 3).isoformat()}",
            f"  reason: {rng.choice(['over-12-months', 'legal-proceedings', 'previously-considered'])}",
            "  explained: true",
            "  ombudsman_rights: true",
        ]
        return cid, "\n".join(lines) + "\n"
    ack = weekdays(rng, received, rng.choice([1, 2, 3, 3, 4, 5, 5, 6]))
    lines += [
        "stage1:",
        "  # acknowledged by letter and email",
        f"  acknowledged: {ack.isoformat()}",
        f"  definition: {sentence(rng, 34)}",
        f"  handler: H-{rng.randint(1, 40):03d}",
    ]
    respond = weekdays(rng, ack, rng.choice([4, 6, 7, 8, 9, 9, 10, 10, 11, 13]))
    if shape < 0.25:
        due = weekdays(rng, ack, 10)
        new = weekdays(rng, due, rng.choice([5, 8, 10, 11]))
        lines += [
            "  extension:",
            f"    notified: {weekdays(rng, ack, 8).isoformat()}",
            f"    due: {new.isoformat()}",
            f"    reason: {sentence(rng, 8)}",
            "    ombudsman_details: true",
        ]
        respond = weekdays(rng, due, rng.randint(2, 10))
    if respond > as_of:
        return cid, "\n".join(lines) + "\n"
    outcome = rng.choice(["upheld", "partly-upheld", "not-upheld"])
    lines += [f"  responded: {respond.isoformat()}", f"  outcome: {outcome}"]
    if shape >= 0.25 and respond > weekdays(rng, ack, 12) and rng.random() < 0.6:  # a late response, explained
        lines += [
            "  late:",
            f"    reason: {sentence(rng, 10)}",
            f"    apology: {weekdays(rng, respond, 0).isoformat()}",
            f"    learning: {sentence(rng, 16)}",
        ]
    if shape > 0.85:
        req = weekdays(rng, respond, rng.randint(2, 20))
        ack2 = weekdays(rng, req, rng.choice([2, 3, 5, 6]))
        resp2 = weekdays(rng, ack2, rng.choice([10, 15, 19, 20, 22]))
        if resp2 <= as_of:
            lines += [
                "stage2:",
                f"  requested: {req.isoformat()}",
                f"  acknowledged: {ack2.isoformat()}",
                f"  definition: {sentence(rng, 14)}",
                f"  handler: H-{rng.randint(41, 50):03d}",
                f"  responded: {resp2.isoformat()}",
                f"  outcome: {rng.choice(['upheld', 'not-upheld'])}",
            ]
    if outcome != "not-upheld":
        lines += ["remedy:", f"  compensation: {rng.choice([25, 50, 100, 250])}.00"]
    lines.append(f"learning: {sentence(rng, 50)}")
    return cid, "\n".join(lines) + "\n"


HAZARDS = ["damp-and-mould", "damp-and-mould", "damp-and-mould", "excess-cold", "fire", "electrical-hazards"]


def hazard_text(rng: random.Random, i: int, aware: date, as_of: date, complaint: str | None) -> tuple[str, str]:
    """One hazard report: its id and text."""
    hid = f"HZ-{aware.year}-{i:06d}"
    emergency = rng.random() < 0.25
    reported = datetime.combine(aware, time(rng.randint(8, 16), rng.choice([0, 10, 20, 30, 40, 50])))
    lines = [
        f"# Reported to the repairs line ({sentence(rng, 3).lower()[:-1]}).",
        f"id: {hid}",
        "kind: hazard",
        f"aware: {reported:%Y-%m-%dT%H:%M}" if emergency or rng.random() < 0.6 else f"aware: {aware.isoformat()}",
        f"hazard: {rng.choice(HAZARDS) if emergency else 'damp-and-mould'}",
        f"risk: {'emergency' if emergency else 'significant'}",
        f"tenure: {'lcho' if rng.random() < 0.04 else 'lcra'}",
    ]
    if complaint is not None:
        lines.append(f"complaint: {complaint}")
    if emergency:  # investigated and made safe some hours later (now and then after the 24 hours)
        seen = reported + timedelta(minutes=rng.randint(30, 20 * 60))
        safe = seen + timedelta(minutes=rng.randint(0, 8 * 60))
        if safe.date() <= as_of:
            lines += [
                "investigation:",
                f"  concluded: {seen:%Y-%m-%dT%H:%M}",
                "  found: emergency",
                f"made_safe: {safe:%Y-%m-%dT%H:%M}",
            ]
        lines.append(f"x-repairs-ref: JOB-{rng.randint(100000, 999999)}")
        return hid, "\n".join(lines) + "\n"
    concluded = weekdays(rng, aware, rng.choice([3, 5, 7, 8, 9, 10, 10, 12]))
    if concluded > as_of:
        return hid, "\n".join(lines) + "\n"
    found = rng.choice(["significant", "significant", "significant", "none"])
    lines += ["investigation:", f"  concluded: {concluded.isoformat()}", f"  found: {found}"]
    summary = weekdays(rng, concluded, rng.choice([1, 2, 3, 3, 4]))
    if summary <= as_of:
        lines.append(f"summary_sent: {summary.isoformat()}")
    if found == "significant":
        safe_day = weekdays(rng, concluded, rng.choice([2, 4, 5, 5, 6]))
        if safe_day <= as_of:
            lines.append(f"made_safe: {safe_day.isoformat()}")
        if rng.random() < 0.5:
            begun = weekdays(rng, concluded, rng.choice([3, 5, 6]))
            started = begun + timedelta(days=rng.choice([20, 40, 70, 85]))
            lines.append("works:")
            lines.append(f"  begun: {begun.isoformat() if begun <= as_of else concluded.isoformat()}")
            if started <= as_of:
                lines.append(f"  started: {started.isoformat()}")
        if rng.random() < 0.03:
            lines.append(f"stopped: {{on: {weekdays(rng, concluded, 1).isoformat()}, why: decanted}}")
    lines.append(f"learning: {sentence(rng, 20)}")
    return hid, "\n".join(lines) + "\n"


def hazard_catalogue(start: date) -> str:
    """The shipped Awaab's Law catalogue with phase 1 starting on ``start``, so that synthetic
    hazards dated before the Regulations are judged as the real ones will be (benchmark only)."""
    from hcode.packaged import data_dir

    text = (data_dir("provisions") / "hazards" / "awaab-2025.yaml").read_text("utf-8")
    head = "# Benchmark only: phase 1 starts earlier, so that every synthetic hazard report is judged.\n"
    return head + text.replace(
        "  - phase: 1\n    start: 2025-10-27", f"  - phase: 1\n    start: {start.isoformat()}", 1
    )


ASSESSMENT_HEAD = (
    "code: hoc-2024\nyear: 2024-25\ncompleted: 2025-06-13\napproved: {by: Board, date: 2025-06-26}\nprovisions:\n"
)


def generate(root: Path, n: int, seed: int = 2024, as_of: date = date(2025, 7, 31), hazards: int = 0) -> None:
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    (root / "hcode.yaml").write_text(CONFIG)
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    from hcode.store.workspace import load_code

    code = load_code(None, "hoc-2024")
    body = "".join(f"  {p.id}:\n    comply: yes\n    evidence: [Policy section {p.id}]\n" for p in code.assessed)
    (root / "assessments").mkdir(exist_ok=True)
    (root / "assessments" / "2024-25.yaml").write_text(ASSESSMENT_HEAD + body)
    start = date(2019, 8, 1)
    span = (as_of - start).days - 30
    for i in range(1, n + 1):
        received = start + timedelta(days=int(span * i / n))
        cid, text = case_text(rng, i, received, as_of)
        folder = root / "cases" / str(received.year)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{cid}.yaml").write_text(text)
    if not hazards:
        return
    (root / "provisions" / "hazards").mkdir(parents=True, exist_ok=True)
    (root / "provisions" / "hazards" / "awaab-2025.yaml").write_text(hazard_catalogue(start))
    hrng = random.Random(seed + 1)  # the complaints above are the same with or without hazards
    for i in range(1, hazards + 1):
        aware = start + timedelta(days=int(span * i / hazards))
        # about one in three belongs to a damp-and-mould complaint received about then
        linked = f"C-{aware.year}-{int(n * i / hazards):06d}" if hrng.random() < 0.3 else None
        hid, text = hazard_text(hrng, i, aware, as_of, linked)
        folder = root / "cases" / str(aware.year)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{hid}.yaml").write_text(text)


if __name__ == "__main__":
    count = int(sys.argv[2])
    generate(Path(sys.argv[1]), count, hazards=int(sys.argv[3]) if len(sys.argv) > 3 else count // 5)
