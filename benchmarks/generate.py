"""Generate a deterministic workspace of N realistic cases, for benchmarks and load tests.

Every lifecycle shape appears (on time, late, late with its reason, apology and learning
recorded, extended, escalated, refused, withdrawn, open, service requests), with comments, free
text of realistic length and some breaches. Files are about 1.4 KB each. Usage: python benchmarks/generate.py DIR N
"""

from __future__ import annotations

import random
import sys
from datetime import date, timedelta
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


ASSESSMENT_HEAD = (
    "code: hoc-2024\nyear: 2024-25\ncompleted: 2025-06-13\napproved: {by: Board, date: 2025-06-26}\nprovisions:\n"
)


def generate(root: Path, n: int, seed: int = 2024, as_of: date = date(2025, 7, 31)) -> None:
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


if __name__ == "__main__":
    generate(Path(sys.argv[1]), int(sys.argv[2]))
