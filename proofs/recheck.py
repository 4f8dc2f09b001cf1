"""The Coq re-check of a run: proved goals gathered as their lemmas finish, re-checked by coqc in
the background while the suite goes on, and Coq's answers merged into the records.

The engines state each goal they proved in Coq (`facts["coq_goal"]`, in the worker process that
ran the check); the run's controller hands every lemma's goals to a background thread as its
record arrives, so the re-check overlaps with the lemmas still running, then waits for the rest
when the run ends. Each piece of evidence gets a `kernel` field (`checked`, `not checked` with the
last error, `not exportable` with the feature, `conflict`); a translation Coq refutes or cannot
type is a conflict of the lemma, decided by `proofs.kernel`, and fails the run. With
`--proof-reuse`, answers are cached by the goal's fingerprint, so a run with nothing changed
calls no coqc.
"""

from __future__ import annotations

import shutil
import threading
from pathlib import Path
from typing import Any, Iterable

from proofs import kernel
from proofs.status import Status

BATCH = 48  # goals gathered before a background coqc batch starts (each batch costs about 5 s of CPU in coqc start-ups)
NOT_INSTALLED = "not re-checked: coqc not installed"
SWITCHED_OFF = "not re-checked: --proof-coq off"


def wanted(option: str) -> bool:
    """--proof-coq auto (on when coqc is found), on, or off."""
    return option == "on" or (option == "auto" and shutil.which("coqc") is not None)


def why_not(option: str) -> str:
    return SWITCHED_OFF if option == "off" else NOT_INSTALLED


def goals_of(record: dict[str, Any]) -> list[Any]:
    """The Coq goals a lemma's record carries (from the engines), as CoqGoal records."""
    from proofs.coq import CoqGoal

    return [CoqGoal.from_json(e["facts"]["coq_goal"]) for e in record.get("evidence", ())
            if (e.get("facts") or {}).get("coq_goal")]


class Recheck:
    """One run's re-check, in a background thread: `add` a record's goals as it arrives, `finish`
    to re-check what is left and get every answer by goal label."""

    def __init__(self, directory: Path, *, reuse: bool) -> None:
        from proofs import coq

        self.directory = directory
        self.cache = coq.Cache(directory / "cache.json") if reuse else None
        self.pending: list[Any] = []
        self.results: dict[str, dict[str, Any]] = {}
        self.lock = threading.Condition()
        self.closing = False
        self.failure: str | None = None
        self.thread = threading.Thread(target=self._work, name="coq-recheck", daemon=True)
        self.thread.start()

    def add(self, record: dict[str, Any]) -> None:
        goals = goals_of(record)
        if goals:
            with self.lock:
                self.pending.extend(goals)
                self.lock.notify()

    def _work(self) -> None:
        while True:
            with self.lock:
                while not self.closing and len(self.pending) < BATCH:
                    self.lock.wait()
                batch, self.pending = self.pending, []
                closing = self.closing
            if batch:
                self._check(batch, jobs=2 if closing else 1)  # one coqc beside the suite's workers, two at the end
            if closing:
                with self.lock:
                    if not self.pending:
                        return

    def _check(self, goals: list[Any], jobs: int) -> None:
        from proofs import coq

        try:
            results = coq.recheck(goals, self.directory, jobs=jobs, cache=self.cache, seconds=300.0)
        except Exception as crash:  # noqa: BLE001 - a crashed re-check is reported, the verdicts stand
            self.failure = f"the Coq re-check crashed: {type(crash).__name__}: {crash}"
            return
        for goal, result in zip(goals, results):
            self.results[goal.label] = result.to_json()

    def finish(self) -> dict[str, dict[str, Any]]:
        with self.lock:
            self.closing = True
            self.lock.notify()
        self.thread.join()
        return self.results


def merge(records: Iterable[dict[str, Any]], results: dict[str, dict[str, Any]], reason: str | None) -> list[str]:
    """Put Coq's answer on each proved goal's evidence (`facts["kernel"]`, the goal itself dropped),
    or the reason there is none; a conflict of the translation makes the lemma a conflict. Returns
    the ids of the lemmas that became conflicts."""
    conflicts = []
    for record in records:
        changed = False
        for evidence in record.get("evidence", ()):
            facts = evidence.get("facts") or {}
            if "coq_goal" not in facts:
                continue
            goal = facts.pop("coq_goal")
            error = facts.pop("coq_error", None)
            label = goal["label"] if goal else None
            if label in results:
                facts["kernel"] = results[label]
            elif goal is None:
                facts["kernel"] = {"outcome": "not exportable", "detail": f"the translation failed: {error}"}
            else:
                facts["kernel"] = {"outcome": "not re-checked", "detail": reason or "not re-checked"}
            decision = kernel.recheck(outcome=facts["kernel"]["outcome"], detail=facts["kernel"]["detail"])
            if decision is not None:
                evidence["status"] = decision.status.value
                evidence["detail"] = f"{evidence['detail']}; {decision.reason}"
                changed = True
        if changed:
            record["status"] = Status.CONFLICT.value
            record["matches_expectation"] = False
            conflicts.append(record["id"])
    return conflicts
