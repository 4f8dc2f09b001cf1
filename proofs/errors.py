"""The one root of every error the kernel raises on purpose, as Hypothesis does (`hypothesis/errors.py`).

    ProofsError            anything the kernel reports deliberately; the command line catches this one class
    ├── InvalidArgument    a lemma's author misused the API: the message names the value and the fix
    │   └── InvalidCheck   a check is ill-formed (never states a goal, returns the wrong thing)
    ├── SolverMissing      an engine the check needs is not installed
    ├── ConfigError        the project's [tool.proofs] section is malformed
    └── UsageError         the command line was called wrongly (no report yet, unknown id)

`author_location` finds, in a traceback, the line of the lemma's author that caused it: a check
that crashes inside numpy or inside the kernel is reported at the author's own line.
"""

from __future__ import annotations

import sysconfig
import traceback
from pathlib import Path
from types import TracebackType


class ProofsError(Exception):
    """Base class of every error the kernel raises deliberately."""


class InvalidArgument(ProofsError, ValueError):
    """A lemma's author passed a value the API does not accept."""


class InvalidCheck(InvalidArgument):
    """A check is ill-formed: it states no goal, or returns something its engine cannot read."""


class SolverMissing(ProofsError, RuntimeError):
    """A solver the check needs is not installed. The message says how to install it."""


class ConfigError(ProofsError):
    """The project's `[tool.proofs]` configuration is malformed."""


class UsageError(ProofsError):
    """A mistake in how the command line was called; the message says how to fix it."""


_KERNEL = Path(__file__).resolve().parent
_LIBRARIES = tuple(Path(p).resolve() for p in {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"],
                                               sysconfig.get_paths()["stdlib"]})


def _is_author_file(filename: str) -> bool:
    path = Path(filename).resolve()
    if filename.startswith("<") or path.is_relative_to(_KERNEL):
        return False
    return not any(path.is_relative_to(library) for library in _LIBRARIES) and "site-packages" not in path.parts


def author_location(tb: TracebackType | None) -> str | None:
    """'file.py:line' of the innermost frame that belongs to the author, not to the kernel or a library."""
    frames = [frame for frame in traceback.extract_tb(tb) if _is_author_file(frame.filename)]
    if not frames:
        return None
    frame = frames[-1]
    return f"{Path(frame.filename).name}:{frame.lineno}"


def describe(crash: BaseException) -> str:
    """One line for a check that raised: the exception, and where in the author's code it happened."""
    where = author_location(crash.__traceback__)
    if where is None:
        frames = traceback.extract_tb(crash.__traceback__)
        where = f"{Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else "unknown place"
    return f"{type(crash).__name__}: {crash} (at {where})"
