"""Run a function in a forked child process under a wall-clock limit enforced from outside.

Solvers do not always honour their own time limits (z3's nonlinear arithmetic, sympy's
`limit`), so the only reliable limit is to kill the process that runs them. A fork shares the
already imported solver libraries, so starting a child costs milliseconds, not an import.
The function's return value must be picklable; it travels back through a pipe.
"""

from __future__ import annotations

import enum
import multiprocessing
import os
import traceback
from dataclasses import dataclass
from typing import Any, Callable


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


def _child(connection, fn: Callable[..., Any], args: tuple) -> None:
    try:
        message = (Ending.RETURNED, fn(*args))
    except BaseException:  # the parent decides what a crash means
        message = (Ending.RAISED, traceback.format_exc(limit=8))
    try:
        connection.send(message)
    except Exception:  # the value did not pickle
        connection.send((Ending.RAISED, traceback.format_exc(limit=4)))
    finally:
        connection.close()
        os._exit(0)


def run_with_deadline(fn: Callable[..., Any], args: tuple, seconds: float) -> Outcome:
    """Call `fn(*args)` in a child process; kill it when `seconds` have passed."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(sender, fn, args), daemon=True)
    child.start()
    sender.close()
    try:
        if not receiver.poll(seconds):
            return Outcome(Ending.TIMED_OUT, detail=f"wall-clock limit of {seconds:g} s hit; process killed")
        try:
            ending, value = receiver.recv()
        except EOFError:
            child.join(1.0)
            return Outcome(Ending.DIED, detail=f"solver process died with exit code {child.exitcode}")
        return Outcome(ending, value)
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        child.join(1.0)
