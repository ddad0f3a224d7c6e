"""What is worked out about one record while it is being judged, worked out once.

Judging a case file asks some questions twice: the rules walk its dated events and count a hazard
record's clocks, and the scan asks the same to know from which date the findings stay the same.
:data:`JUDGING` keeps those answers for one record, the one the caller has named with
:meth:`Recall.judging` (the scan, which made the record and does not change it while it judges
it); a question about any other record is worked out afresh and not kept. Keys name the
question and what it was asked with (objects by identity: the caller keeps them alive while the
record is judged).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")


class Recall:
    """Answers about the one record being judged."""

    __slots__ = ("_answers", "_record")

    def __init__(self) -> None:
        self._record: object | None = None
        self._answers: dict[Hashable, Any] = {}

    def judging(self, record: object) -> _Judging:
        """``with JUDGING.judging(record):`` keeps answers about ``record`` until the block ends
        (the record must not change in it)."""
        return _Judging(self, record)

    def answer(self, record: object, key: Hashable, work_out: Callable[[], T]) -> T:
        """The answer to question ``key`` about ``record``: kept from the last time it was asked
        while ``record`` is being judged, else worked out (and kept, while it is)."""
        if record is not self._record:
            return work_out()
        answers = self._answers
        if key in answers:
            found: T = answers[key]
            return found
        made = answers[key] = work_out()
        return made


class _Judging:
    __slots__ = ("_before", "_recall", "_record")

    def __init__(self, recall: Recall, record: object) -> None:
        self._recall = recall
        self._record = record
        self._before: tuple[object | None, dict[Hashable, Any]] = (None, {})

    def __enter__(self) -> None:
        recall = self._recall
        self._before = recall._record, recall._answers
        recall._record, recall._answers = self._record, {}

    def __exit__(self, *exc: object) -> None:
        self._recall._record, self._recall._answers = self._before


JUDGING = Recall()
