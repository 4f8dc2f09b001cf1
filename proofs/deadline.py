"""Run a function in a long-lived solver process under a wall-clock limit enforced from outside.

Solvers do not always honour their own time limits (z3's nonlinear arithmetic, sympy's
`limit`), so the only reliable limit is to kill the process that runs them. Starting a process
per query costs a fork (unsafe in a multi-threaded parent: Python 3.13 warns, macOS forbids it)
or an import of the solvers; so one worker process per parent is started with `subprocess`
(no fork of the parent, no re-import of the parent's `__main__`), it imports the solvers once,
and it answers calls until one overruns its limit, when it is killed and a fresh one is started
for the next call.

The function and its arguments travel pickled through the worker's stdin and the answer back
through its stdout, so the function must be importable by name (a module-level function) and
its arguments and return value picklable.
"""

from __future__ import annotations

import atexit
import enum
import os
import pickle
import selectors
import struct
import subprocess
import sys
import traceback
from dataclasses import dataclass
from typing import Any, BinaryIO, Callable

_HEADER = struct.Struct("!Q")


class Ending(enum.Enum):
    RETURNED = "returned"
    RAISED = "raised"
    TIMED_OUT = "timed out"
    DIED = "died"


@dataclass(frozen=True, slots=True)
class Outcome:
    ending: Ending
    value: Any = None  # the return value, or the formatted traceback when RAISED
    detail: str = ""


def _write_frame(stream: BinaryIO, payload: bytes) -> None:
    stream.write(_HEADER.pack(len(payload)) + payload)
    stream.flush()


def _read_exactly(stream: BinaryIO, size: int) -> bytes:
    chunks, remaining = [], size
    while remaining:
        chunk = stream.read(remaining)
        if not chunk:
            raise EOFError("the solver process closed its pipe")
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def _read_frame(stream: BinaryIO) -> bytes:
    (size,) = _HEADER.unpack(_read_exactly(stream, _HEADER.size))
    return _read_exactly(stream, size)


class SolverWorker:
    """One child process that runs calls in turn. Holds a process, so it is a class."""

    def __init__(self) -> None:
        self._process: subprocess.Popen[bytes] | None = None
        self.started = 0  # processes started, for tests and benchmarks

    def _start(self) -> subprocess.Popen[bytes]:
        environment = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
        self._process = subprocess.Popen([sys.executable, "-m", "proofs.deadline"], stdin=subprocess.PIPE,
                                         stdout=subprocess.PIPE, env=environment)
        self.started += 1
        return self._process

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.kill()
            process.wait()
        if process is not None:
            for stream in (process.stdin, process.stdout):
                if stream is not None:
                    stream.close()

    def call(self, fn: Callable[..., Any], args: tuple, seconds: float, limit_label: float | None = None) -> Outcome:
        """`fn(*args)` in the worker; killed when `seconds` have passed (reported as `limit_label`
        seconds, the limit the author stated, when given)."""
        process = self._process if self._process is not None and self._process.poll() is None else self._start()
        assert process.stdin is not None and process.stdout is not None
        try:
            _write_frame(process.stdin, pickle.dumps((fn, args)))
        except BrokenPipeError:
            self.stop()
            return Outcome(Ending.DIED, detail="the solver process died before the call")
        with selectors.DefaultSelector() as selector:
            selector.register(process.stdout, selectors.EVENT_READ)
            ready = selector.select(timeout=max(0.0, seconds))
        if not ready:
            self.stop()
            shown = limit_label if limit_label is not None else seconds
            return Outcome(Ending.TIMED_OUT, detail=f"wall-clock limit of {shown:g} s hit; process killed")
        try:
            ending, value = pickle.loads(_read_frame(process.stdout))
        except (EOFError, pickle.UnpicklingError, struct.error):
            code = process.wait()
            self.stop()
            return Outcome(Ending.DIED, detail=f"solver process died with exit code {code}")
        return Outcome(Ending(ending), value)


_WORKER = SolverWorker()
atexit.register(_WORKER.stop)


def run_with_deadline(fn: Callable[..., Any], args: tuple, seconds: float,
                      limit_label: float | None = None) -> Outcome:
    """Call `fn(*args)` in this process's solver worker; kill it when `seconds` have passed."""
    return _WORKER.call(fn, args, seconds, limit_label)


def goal_result(outcome: Outcome, location: str) -> tuple[Any, str, dict | None, dict]:
    """(status, detail, counterexample, facts) of a goal decided in the worker: its own answer when
    it returned, `timeout` when it was killed, `error` when it crashed (an ill-formed goal placed at
    the check's `location`)."""
    from proofs.status import Status

    if outcome.ending is Ending.RETURNED:
        return outcome.value
    if outcome.ending is Ending.TIMED_OUT:
        return Status.TIMEOUT, outcome.detail, None, {}
    detail = outcome.detail or str(outcome.value).strip().splitlines()[-1]
    if "InvalidCheck" in str(outcome.value):
        detail = f"ill-formed goal: {detail} (check defined at {location})"
    return Status.ERROR, detail, None, {}


def _serve(requests: BinaryIO, answers: BinaryIO) -> None:
    """The worker's loop: read a call, run it, send back (ending, value)."""
    while True:
        try:
            fn, args = pickle.loads(_read_frame(requests))
        except EOFError:
            return
        try:
            message = (Ending.RETURNED.value, fn(*args))
        except BaseException:  # the parent decides what a crash means
            message = (Ending.RAISED.value, traceback.format_exc(limit=8))
        try:
            payload = pickle.dumps(message)
        except Exception:  # the value did not pickle
            payload = pickle.dumps((Ending.RAISED.value, traceback.format_exc(limit=4)))
        _write_frame(answers, payload)


if __name__ == "__main__":
    # stdout carries the answers; anything a solver prints goes to stderr instead
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    _serve(sys.stdin.buffer, answers)
