"""The re-check: goals stated in Coq, closed by a portfolio of tactics, and checked by `coqc`.

Coq loads its real numbers and the Interval library in about a second, so goals are never checked
one process each. Two passes run over batches of goals, each batch in one `coqc` process, with
`jobs` processes side by side:

1. The probe. Each goal is opened with `Goal` and its portfolio is tried under `timeout`, the
   alternatives of each branch in turn; an Ltac2 wrapper prints which one closed the branch, or
   the error of each that did not, and the goal is then abandoned (`Abort`). A branch has a
   budget for all its alternatives (`BRANCH_SECONDS`), and the cheapest alternatives of every goal
   run first (`FIRST_TIER`); the dearer ones only for branches that failed quickly. The closed
   instances of the statement are probed the same way: a tactic that proves the negation of one
   is a conflict. A statement that does not type-check stops the file: the goal is recorded as a
   conflict, dropped, and the rest of the batch runs again in a new process.
2. The kernel pass. Every goal whose branches all closed is written as `Lemma … Proof. … Qed.`
   with the scripts that closed them. This is the pass that counts: `Qed` hands the proof term to
   Coq's kernel. A Lemma that fails here is recorded as not checked, dropped, and the rest runs
   again. `Print Assumptions` is asked for each lemma that cites an axiom (see `recheck`).

Time limits are in seconds of an idle machine, stretched by its load (`_stretch`), since Coq's
`timeout` counts wall-clock seconds.

What a reader finds: one file per suite lemma under the output folder (`<lemma id>.v`, a `Module`
holding a `Lemma` per goal, `Lemma … Abort.` for a statement no tactic closed, and the statement
in a comment for one that does not type-check), with `Prelude.v` beside it; each compiles alone
with `coqc -Q . Proofs`. The batches concatenate exactly these modules.

Results are cached by the goal's fingerprint (its statement and scripts, Coq's version and the
prelude): a goal seen before is not sent to Coq again.
"""

from __future__ import annotations

import concurrent.futures
import functools
import hashlib
import json
import math
import os
import re
import resource
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterable, Sequence

from proofs.coq.goals import CoqGoal, KernelResult, Outcome
from proofs.coq.prelude import PRELUDE
from proofs.coq.text import comment

LIBRARY = "Proofs"  # the logical name of the output folder: `From Proofs Require Import Prelude.`
# Time limits, in seconds of CPU on an idle machine. Coq's `timeout` counts whole seconds of wall
# clock, so they are stretched by the machine's load when the re-check starts (`_stretch`): on a
# machine busy with the rest of the suite a tactic gets the CPU time it would get alone.
TACTIC_SECONDS = 1  # each alternative of the portfolio (a closing one takes 20 ms typically, 0.7 s at most)
BRANCH_SECONDS = 1  # all the alternatives of one branch, in one tier: a goal no tactic closes costs at most this (2 s closed no more goals of the suite, at 20 % more CPU)
INSTANCE_SECONDS = 2
STRETCH_CAP = 2.5  # at most this factor; 1.0 for limits in wall-clock seconds whatever the load


def _stretch(seconds: float) -> int:
    """`seconds` of CPU as whole seconds of wall clock, at the machine's current load."""
    try:
        busy = os.getloadavg()[0] / (os.cpu_count() or 1)
    except OSError:
        busy = 1.0
    return max(1, math.ceil(seconds * min(STRETCH_CAP, max(1.0, busy))))
BATCH_SECONDS = 240.0  # one coqc process, at most; what it has not reached is tried again after
NOT_INSTALLED = "not re-checked: coqc not installed"
PORTFOLIO_VERSION = "1"  # bump when the scripts' meaning changes without their text changing


def coqc() -> str | None:
    return shutil.which("coqc")


@functools.lru_cache(maxsize=1)
def version() -> str | None:
    """Coq's version (`8.16.1`), or None when coqc is not installed."""
    program = coqc()
    if program is None:
        return None
    try:
        output = subprocess.run([program, "--version"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    found = re.search(r"version (\S+)", output)
    return found.group(1) if found else output.strip() or None


def salt() -> str:
    """What besides the goal decides Coq's answer: its version, the prelude and the portfolio."""
    return f"coq {version()}|{hashlib.sha256(PRELUDE.encode()).hexdigest()[:16]}|{PORTFOLIO_VERSION}"


# -- the cache ----------------------------------------------------------------------------------


class Cache:
    """Coq's answers by fingerprint, in one JSON file. Only answers that do not depend on the
    machine's load are kept: checked, and not checked because every tactic failed (not a timeout
    of the whole batch)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.entries: dict[str, dict] = {}
        if path is not None and path.exists():
            try:
                self.entries = json.loads(path.read_text()).get("entries", {})
            except (OSError, ValueError):
                self.entries = {}

    def get(self, fingerprint: str) -> dict | None:
        return self.entries.get(fingerprint)

    def put(self, fingerprint: str, entry: dict) -> None:
        self.entries[fingerprint] = entry

    def save(self) -> None:
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps({"salt": salt(), "entries": self.entries}, indent=1, sort_keys=True))
        temporary.replace(self.path)


# -- running coqc ---------------------------------------------------------------------------------


@dataclass
class _Run:
    """One coqc process: what it printed, the error that stopped it (line and message), and
    whether it was killed at its time limit."""

    output: str
    error_line: int | None = None
    error: str = ""
    timed_out: bool = False
    returncode: int = 0


_ERROR = re.compile(r'File "[^"]*", line (\d+), characters \d+-\d+:\n(.*)', re.S)


def _coqc(path: Path, build: Path, seconds: float) -> _Run:
    command = [coqc() or "coqc", "-q", "-Q", str(build), LIBRARY, str(path)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=seconds, cwd=build)
    except subprocess.TimeoutExpired as expired:
        output = (expired.stdout or b"").decode() if isinstance(expired.stdout, bytes) else (expired.stdout or "")
        return _Run(output, timed_out=True, returncode=-1)
    run = _Run(done.stdout, returncode=done.returncode)
    if done.returncode != 0:
        found = _ERROR.search(done.stderr) or _ERROR.search(done.stdout)
        if found:
            run.error_line = int(found.group(1))
            run.error = " ".join(found.group(2).split())
        else:
            run.error = " ".join((done.stderr or done.stdout).split())[-500:] or f"coqc exited with {done.returncode}"
    return run


def _prelude(build: Path) -> str | None:
    """Compile Prelude.v in `build` (once per prelude and Coq version); the error if it fails."""
    source = build / "Prelude.v"
    stamp = build / "Prelude.stamp"
    if source.exists() and source.read_text() == PRELUDE and (build / "Prelude.vo").exists() \
            and stamp.exists() and stamp.read_text() == salt():
        return None
    build.mkdir(parents=True, exist_ok=True)
    source.write_text(PRELUDE)
    run = _coqc(source, build, 120)
    if run.returncode != 0 or run.timed_out:
        return run.error or "the prelude did not compile in time"
    stamp.write_text(salt())
    return None


# -- the probe -------------------------------------------------------------------------------------

_PROBE_HEADER = r"""From Proofs Require Import Prelude.
From Ltac2 Require Import Ltac2.
Set Default Proof Mode "Classic".
Ltac2 attempt (label : string) (tactic : unit -> unit) :=
  match Control.case tactic with
  | Val _ => Message.print (Message.concat (Message.of_string "@@ok ") (Message.of_string label))
  | Err e => Message.print (Message.concat (Message.of_string "@@error ")
               (Message.concat (Message.of_string label) (Message.concat (Message.of_string " ") (Message.of_exn e))));
             Control.zero e
  end.
"""


def _attempts(label: str, scripts: Sequence[str], seconds: float, offset: int = 0) -> str:
    """`first [ attempt 1 | attempt 2 | … | report none; admit ]`: the first script that closes the
    goal (leaving nothing behind) wins; each failure is printed with its error. `offset` numbers
    the scripts from there (a later tier of the portfolio)."""
    if not scripts:
        return "admit"
    each, budget = _stretch(seconds), _stretch(BRANCH_SECONDS)
    alternatives = [f'ltac2:(attempt "{label} {offset + i}" (fun () => ltac1:(timeout {each} ({script}); '
                    f'fail "the script left a goal open")))' for i, script in enumerate(scripts)]
    alternatives.append(f'idtac "@@none {label}"; admit')
    portfolio = "first [ " + "\n    | ".join(alternatives) + " ]"
    return (f'first [ timeout {budget} ({portfolio})\n    | idtac "@@error {label} -1 the portfolio ran out of '
            f'its {BRANCH_SECONDS} s (stretched to {budget} s by the load)"; admit ]')



def _branches(scripts: Sequence[str]) -> str:
    if len(scripts) == 1:
        return scripts[0]
    return "[ " + "\n  | ".join(scripts) + " ]"


@dataclass
class _Probe:
    """What the probe learned of one goal."""

    closed: dict[int, int] = field(default_factory=dict)  # branch → index of the script that closed it
    errors: dict[int, str] = field(default_factory=dict)  # branch → the last error
    exhausted: set[int] = field(default_factory=set)  # branches whose alternatives ran out of the budget
    refuted_instance: str | None = None
    problem: Outcome | None = None  # CONFLICT (statement ill-typed) or NOT_CHECKED (setup failed, time)
    problem_detail: str = ""
    reached: bool = False


FIRST_TIER = 4  # the cheapest scripts of each branch, tried on every goal before any dearer one


def _tier(scripts: Sequence[str], tier: int) -> tuple[int, Sequence[str]]:
    return (0, scripts[:FIRST_TIER]) if tier == 1 else (FIRST_TIER, scripts[FIRST_TIER:])


def _probe_text(goals: Sequence[tuple[int, CoqGoal]], tier: int = 1, closed: dict[int, dict[int, int]] | None = None,
                ) -> tuple[str, dict[int, tuple[int, str]]]:
    """The probe file for some goals, and for each line where a goal's part starts: (goal, part).
    The first tier tries the cheapest scripts of each branch and the instances; the second the
    rest, on the branches the first left open (`closed` says which are not)."""
    lines = _PROBE_HEADER.splitlines()
    starts: dict[int, tuple[int, str]] = {}

    def add(text: str, index: int, part: str) -> None:
        starts[len(lines) + 1] = (index, part)
        lines.extend(text.splitlines())

    for index, goal in goals:
        add(f'Goal True. idtac "@@goal {index}". exact I. Qed.', index, "marker")
        for axiom in goal.axioms:
            add(f"Axiom {axiom.name}_{index} : {axiom.statement}.", index, "axiom")
        add(f"Goal {_rename_axioms(goal.statement, goal, index)}.", index, "statement")
        branches = []
        for b, scripts in enumerate(goal.branches):
            offset, chosen = _tier(scripts, tier)
            if closed is not None and b in closed.get(index, {}):
                chosen = ()
            branches.append(_attempts(f"{index} {b}", [_rename_axioms(s, goal, index) for s in chosen],
                                      TACTIC_SECONDS, offset))
        add(f"Proof.\n{_rename_axioms(goal.setup, goal, index)}; {_branches(branches)}.\nAbort.", index, "proof")
        for number, instance in enumerate(goal.instances if tier == 1 else ()):
            add(f"Goal ~ ({instance}).", index, "instance")
            add(f"Proof. {_attempts(f'{index} i{number}', goal.instance_tactics, INSTANCE_SECONDS)}.\nAbort.",
                index, "instance proof")
    return "\n".join(lines) + "\n", starts


def _rename_axioms(text: str, goal: CoqGoal, index: int) -> str:
    """In the probe every goal's axioms get the goal's number, so two goals never clash."""
    for axiom in goal.axioms:
        text = re.sub(rf"\b{re.escape(axiom.name)}\b", f"{axiom.name}_{index}", text)
    return text


_MARK = re.compile(r"^@@(ok|error|none|goal) (.*)$")


def _read_probe(output: str, probes: dict[int, _Probe]) -> None:
    records: list[list[str]] = []
    for line in re.sub(r"(?<!^)(?<!\n)@@", "\n@@", output).splitlines():  # a message may end without a newline
        if line.startswith("@@"):
            records.append([line])
        elif records:
            records[-1].append(line)
    for record in records:
        found = _MARK.match(record[0])
        if not found:
            continue
        word, rest = found.groups()
        if word == "goal":
            probes[int(rest)].reached = True
            continue
        parts = rest.split(" ", 3 if word != "none" else 2)
        index, branch = int(parts[0]), parts[1]
        probe = probes[index]
        if branch.startswith("i"):  # an instance: a tactic proved its negation
            if word == "ok":
                probe.refuted_instance = branch
            continue
        if word == "ok":
            probe.closed[int(branch)] = int(parts[2])
        elif word == "error":
            message = " ".join([parts[3] if len(parts) > 3 else "", *record[1:]])
            probe.errors[int(branch)] = _clean_error(message)
            if parts[2] == "-1":
                probe.exhausted.add(int(branch))


def _clean_error(message: str) -> str:
    message = " ".join(message.split())
    wrapped = re.match(r"Internal \(err:\((.*)\)\)", message)
    message = wrapped.group(1) if wrapped else message
    if "Timeout" in message or "TIMEOUT" in message:
        return f"a tactic timed out after {TACTIC_SECONDS} s (stretched by the load)"
    return message.strip()


def _probe(goals: list[tuple[int, CoqGoal]], build: Path, probes: dict[int, _Probe], deadline: float,
           tier: int = 1) -> None:
    """Run the probe over `goals` in one process; after a stop, run again on the goals after the
    one that stopped it."""
    remaining = list(goals)
    closed = {index: dict(probes[index].closed) for index, _ in goals} if tier > 1 else None
    round_number = 0
    while remaining:
        round_number += 1
        if time.monotonic() > deadline:
            for index, _ in remaining:
                probes[index].problem, probes[index].problem_detail = Outcome.NOT_CHECKED, "the re-check ran out of time"
            return
        text, starts = _probe_text(remaining, tier, closed)
        path = build / f"probe{tier}_{remaining[0][0]}_{round_number}.v"
        path.write_text(text)
        run = _coqc(path, build, max(5.0, min(BATCH_SECONDS, deadline - time.monotonic())))
        _read_probe(run.output, probes)
        if run.returncode == 0 and not run.timed_out:
            return
        if run.timed_out:
            stopped = next((i for i, (index, _) in enumerate(remaining) if not probes[index].reached), len(remaining))
            stuck = max(0, stopped - 1)  # the last goal reached is the one the time ran out in
            index = remaining[stuck][0]
            probes[index].problem, probes[index].problem_detail = Outcome.NOT_CHECKED, \
                f"the probe did not finish within {BATCH_SECONDS:.0f} s"
            remaining = remaining[stuck + 1:]
            continue
        line = run.error_line or 0
        where = max((start for start in starts if start <= line), default=None)
        if where is None:
            for index, _ in remaining:
                probes[index].problem, probes[index].problem_detail = Outcome.NOT_CHECKED, f"coqc failed: {run.error}"
            return
        index, part = starts[where]
        if part in ("statement", "axiom", "instance"):
            probes[index].problem = Outcome.CONFLICT
            what = {"statement": "the statement", "axiom": "a cited axiom",
                    "instance": "an instance of the statement"}[part]
            probes[index].problem_detail = f"{what} does not type-check: {run.error}"
        else:
            probes[index].problem = Outcome.NOT_CHECKED
            probes[index].problem_detail = f"the proof's opening failed: {run.error}"
        position = next(i for i, (goal_index, _) in enumerate(remaining) if goal_index == index)
        remaining = remaining[position + 1:]


# -- the kernel pass and the files -------------------------------------------------------------------


@dataclass
class _Entry:
    """A goal on its way through: its probe, and its result once known."""

    index: int
    goal: CoqGoal
    fingerprint: str
    script: str | None = None
    result: KernelResult | None = None
    assumptions: tuple[str, ...] = ()
    assumptions_exact: bool = False  # True once Print Assumptions listed exactly this lemma's


def _script(goal: CoqGoal, closed: dict[int, int]) -> str:
    chosen = [goal.branches[b][closed[b]] for b in range(len(goal.branches))]
    return f"{goal.setup}; {_branches(chosen)}" if len(chosen) > 1 else f"{goal.setup}; {chosen[0]}"


def _lemma_text(entry: _Entry, declared: set[str]) -> str:
    """The goal in its lemma's file: a checked Lemma, a statement no tactic closed, or a comment.
    Its cited axioms are declared before it, unless `declared` (the module's) has them already."""
    goal, result = entry.goal, entry.result
    head = f"{goal.label} ({goal.engine}, {goal.kind})"
    notes = "".join(f"\n{comment(note)}" for note in goal.notes)
    axioms = ""
    if result is not None and result.outcome in (Outcome.CHECKED, Outcome.NOT_CHECKED):
        for a in goal.axioms:
            if a.name not in declared:
                declared.add(a.name)
                axioms += (f"\n{comment(a.source + ': ' + a.reference if a.source else a.reference)}\n"
                           f"Axiom {a.name} :\n{_indent(a.statement)}.")
    if result is None or result.outcome in (Outcome.NOT_EXPORTABLE, Outcome.CONFLICT, Outcome.NOT_RECHECKED):
        outcome = result.outcome.value if result else "not re-checked"
        detail = result.detail if result else ""
        statement = f"\n{comment('Lemma ' + goal.name + ' : ' + goal.statement)}" if goal.statement else ""
        return f"{comment(f'{head}: {outcome}: {detail}')}{notes}{statement}\n"
    if result.outcome is Outcome.CHECKED:
        script = entry.script or result.script or ""
        return (f"{comment(f'{head}: checked')}{notes}{axioms}\nLemma {goal.name} :\n{_indent(goal.statement)}.\n"
                f"Proof.\n  {script}.\nQed.\n")
    return (f"{comment(f'{head}: not checked: {result.detail}')}{notes}{axioms}\nLemma {goal.name} :\n"
            f"{_indent(goal.statement)}.\nProof.\nAbort.\n")


def _indent(statement: str) -> str:
    return "\n".join(line if line.startswith("  ") else f"  {line}" for line in statement.splitlines())


def _module(name: str, entries: Sequence[_Entry]) -> str:
    declared: set[str] = set()
    return f"Module {name}.\n\n" + "\n".join(_lemma_text(e, declared) for e in entries) + f"\nEnd {name}.\n"


def file_name(module: str) -> str:
    return f"{module}.v"


def _assumption_queries(spans: Sequence[tuple[int, int, _Entry]], union: bool) -> str:
    """`Print Assumptions` walks every proof term and the library of the reals beneath it: half a
    second of CPU for one lemma, six for forty. It is always asked for each lemma that cites an
    axiom (exactly its own list), and with `union` once for all the others of the batch together (a
    definition that mentions every one of them: the union of their lists)."""
    plain = [e for _, _, e in spans if not e.goal.axioms]
    lines = []
    if plain and union:
        mentions = " ".join(f"let _ := {e.goal.module}.{e.goal.name} in" for e in plain)
        lines.append(f"Definition checked_batch : unit := {mentions} tt.")
        lines.append('Goal True. idtac "@@assumptions batch". exact I. Qed.')
        lines.append("Print Assumptions checked_batch.")
    for _, _, entry in spans:
        if entry.goal.axioms:
            lines.append(f'Goal True. idtac "@@assumptions {entry.index}". exact I. Qed.')
            lines.append(f"Print Assumptions {entry.goal.module}.{entry.goal.name}.")
    lines.append('Goal True. idtac "@@end". exact I. Qed.')
    return "\n".join(lines) + "\n"


_ASSUMPTIONS = re.compile(r"^@@assumptions (\d+|batch)$")


def parse_assumptions(text: str) -> tuple[str, ...]:
    """The names `Print Assumptions` lists as axioms (or () for "Closed under the global context")."""
    names, in_axioms = [], False
    for line in text.splitlines():
        if line.startswith("Axioms:"):
            in_axioms = True
            continue
        if re.match(r"^[A-Z][a-z ]+:$", line):  # another section: Opaque constants, Section Variables
            in_axioms = False
            continue
        if in_axioms and line and not line[0].isspace():
            names.append(line.split(" : ")[0].split(":")[0].strip())
    return tuple(names)


def _read_assumptions(output: str, entries: dict[int, _Entry]) -> None:
    current, collected = None, []
    for line in [*output.splitlines(), "@@end"]:
        found = _ASSUMPTIONS.match(line)
        if found or line.startswith("@@end"):
            if current == "batch":
                union = parse_assumptions("\n".join(collected))
                for entry in entries.values():
                    if not entry.goal.axioms:
                        entry.assumptions, entry.assumptions_exact = union, False
            elif current is not None:
                entries[int(current)].assumptions = parse_assumptions("\n".join(collected))
                entries[int(current)].assumptions_exact = True
            current, collected = (found.group(1) if found else None), []
        elif current is not None:
            collected.append(line)


def _kernel_pass(entries: list[_Entry], build: Path, deadline: float, union: bool = False) -> None:
    """Check every goal the probe closed with Qed, in one process; a Lemma that fails is recorded
    as not checked and the rest run again."""
    remaining = [e for e in entries if e.result is not None and e.result.outcome is Outcome.CHECKED]
    round_number = 0
    while remaining:
        round_number += 1
        lines = ["From Proofs Require Import Prelude."]
        spans: list[tuple[int, int, _Entry]] = []
        for module, group in _grouped(remaining):
            lines += [f"Module {module}.", ""]
            declared: set[str] = set()
            for entry in group:
                text = _lemma_text(entry, declared)
                start = len(lines) + 1
                lines += text.splitlines()
                spans.append((start, len(lines), entry))
                lines.append(f'Goal True. idtac "@@qed {entry.index}". exact I. Qed.')
            lines += [f"End {module}.", ""]
        lines += _assumption_queries(spans, union).splitlines()
        path = build / f"kernel_{remaining[0].index}_{round_number}.v"
        path.write_text("\n".join(lines) + "\n")
        seconds = max(5.0, min(BATCH_SECONDS, deadline - time.monotonic()))
        run = _coqc(path, build, seconds)
        _read_assumptions(run.output, {e.index: e for e in remaining})
        done = {int(line.split()[1]) for line in run.output.splitlines() if line.startswith("@@qed ")}
        if run.returncode == 0 and not run.timed_out:
            return
        failed = None
        if run.error_line is not None and not run.timed_out:
            failed = next((e for start, end, e in spans if start <= run.error_line <= end), None)
        if failed is None:  # killed, or an error outside every lemma: what is left is not checked
            reason = "the kernel pass ran out of time" if run.timed_out else f"coqc failed: {run.error}"
            for entry in remaining:
                if entry.index not in done:
                    entry.result = replace(entry.result, outcome=Outcome.NOT_CHECKED, detail=reason)
            return
        failed.result = replace(failed.result, outcome=Outcome.NOT_CHECKED,
                                detail=f"the probe closed it but Qed failed: {run.error}")
        position = remaining.index(failed)
        remaining = remaining[position + 1:]


def _grouped(entries: Iterable[_Entry]) -> list[tuple[str, list[_Entry]]]:
    groups: dict[str, list[_Entry]] = {}
    for entry in entries:
        groups.setdefault(entry.goal.module, []).append(entry)
    return list(groups.items())


# -- the whole re-check -------------------------------------------------------------------------------


def _chunks(items: list[tuple[int, CoqGoal]], jobs: int) -> list[list[tuple[int, CoqGoal]]]:
    """Split into `jobs` batches of about equal work (by the size of the statement and portfolio),
    keeping each suite lemma's goals together."""
    by_module: dict[str, list[tuple[int, CoqGoal]]] = {}
    for item in items:
        by_module.setdefault(item[1].module, []).append(item)
    batches: list[list[tuple[int, CoqGoal]]] = [[] for _ in range(max(1, jobs))]
    loads = [0] * len(batches)
    for group in sorted(by_module.values(), key=lambda g: -sum(_weight(goal) for _, goal in g)):
        lightest = loads.index(min(loads))
        batches[lightest].extend(group)
        loads[lightest] += sum(_weight(goal) for _, goal in group)
    return [sorted(b) for b in batches if b]


def _weight(goal: CoqGoal) -> int:
    return len(goal.statement) + 200 * sum(len(b) for b in goal.branches) + 100 * len(goal.instances)


def recheck(goals: Sequence[CoqGoal], directory: Path, *, jobs: int = 2, cache: Cache | None = None,
            seconds: float = 600.0, build: Path | None = None, retry_limited: bool = False,
            print_assumptions: bool = False, stats: dict | None = None) -> list[KernelResult]:
    """Re-check `goals` with coqc and write one `.v` per suite lemma under `directory`.

    Returns one result per goal, in order. Without coqc every goal that translates is `not
    re-checked` (and the files still show the statements). `cache` holds earlier answers by
    fingerprint; `seconds` bounds the whole re-check (what is left when it is hit is `not
    checked`, never checked); `build` is where the compiled prelude and the batches go (a
    `.build` folder in `directory` when not given). A cached `not checked` that a time limit
    decided (a tactic's or a branch's) is reused unless `retry_limited`.

    `Print Assumptions` is asked for every lemma that cites an axiom; with `print_assumptions` also once
    per batch for the others (the union of their lists, marked `assumptions_exact=False`; it costs
    about six seconds of CPU per forty lemmas). Without it their list is empty and not exact: a
    lemma's own list is available on demand from `assumptions()`. `stats`, when given, receives the
    wall and CPU time of each phase."""
    started = time.monotonic()
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    goals = _unique_names(goals)
    fingerprint_salt = salt()
    entries = [_Entry(i, goal, goal.fingerprint(fingerprint_salt)) for i, goal in enumerate(goals)]
    pending: list[_Entry] = []
    for entry in entries:
        goal = entry.goal
        base = dict(label=goal.label, statement=goal.statement, lemma=f"{goal.module}.{goal.name}",
                    file=file_name(goal.module), notes=goal.notes, fingerprint=entry.fingerprint)
        if not goal.exportable:
            entry.result = KernelResult(outcome=Outcome.NOT_EXPORTABLE, detail="; ".join(goal.missing), **base)
        elif coqc() is None:
            entry.result = KernelResult(outcome=Outcome.NOT_RECHECKED, detail=NOT_INSTALLED, **base)
        elif cache is not None and (hit := cache.get(entry.fingerprint)) is not None and not (
                retry_limited and hit["outcome"] == Outcome.NOT_CHECKED.value and _limited(hit["detail"])):
            entry.result = KernelResult(outcome=Outcome(hit["outcome"]), detail=hit["detail"], script=hit.get("script"),
                                        assumptions=tuple(hit.get("assumptions", ())),
                                        assumptions_exact=hit.get("assumptions_exact", False), cached=True, **base)
            entry.script, entry.assumptions = hit.get("script"), tuple(hit.get("assumptions", ()))
        else:
            entry.result = KernelResult(outcome=Outcome.NOT_CHECKED, detail="not reached", **base)
            pending.append(entry)
    if pending:
        build = Path(build) if build is not None else directory / ".build"
        clock = _Clock(stats)
        problem = _prelude(build)
        clock.phase("prelude", 0)
        if problem is not None:
            for entry in pending:
                entry.result = replace(entry.result, detail=f"the prelude did not compile: {problem}")
        else:
            _check(pending, build, jobs, started + seconds, print_assumptions, stats)
    for entry in pending:
        entry.result = replace(entry.result, assumptions=entry.assumptions, script=entry.script,
                               assumptions_exact=entry.assumptions_exact, elapsed_s=time.monotonic() - started)
        if cache is not None and _cacheable(entry.result):
            cache.put(entry.fingerprint, {"outcome": entry.result.outcome.value, "detail": entry.result.detail,
                                          "script": entry.script, "assumptions": list(entry.assumptions),
                                          "assumptions_exact": entry.assumptions_exact})
    if cache is not None:
        cache.save()
    _write_files(entries, directory)
    return [entry.result for entry in entries]


_LIMITED = ("timed out", "ran out of", "did not finish", "not reached")


def _limited(detail: str) -> bool:
    """Whether an answer came from a time limit (and might differ on a quieter machine)."""
    return any(word in detail for word in _LIMITED)


def _unique_names(goals: Sequence[CoqGoal]) -> list[CoqGoal]:
    """Two goals of one suite lemma whose names came out the same (after Coq's renaming) get a suffix."""
    seen: set[tuple[str, str]] = set()
    unique = []
    for goal in goals:
        name, suffix = goal.name, 1
        while (goal.module, name) in seen:
            suffix += 1
            name = f"{goal.name}_{suffix}"
        seen.add((goal.module, name))
        unique.append(goal if name == goal.name else replace(goal, name=name))
    return unique


def _cacheable(result: KernelResult) -> bool:
    """Checked, conflict and not checked are kept; an answer cut short by the whole re-check's
    budget, or a Qed that timed out in the kernel pass (under load), is asked again next time."""
    if result.outcome in (Outcome.CHECKED, Outcome.CONFLICT):
        return True
    if result.outcome is Outcome.NOT_CHECKED:
        if "Qed failed" in result.detail:
            return "imeout" not in result.detail and "TIMEOUT" not in result.detail
        return not any(word in result.detail for word in ("re-check ran out of time", "not reached", "coqc failed",
                                                          "kernel pass ran out", "did not finish"))
    return False


class _Clock:
    """Wall and CPU time (of the coqc processes) of each phase, for `stats`."""

    def __init__(self, stats: dict | None) -> None:
        self.stats = stats
        self.mark()

    def mark(self) -> None:
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.wall, self.cpu = time.monotonic(), usage.ru_utime + usage.ru_stime

    def phase(self, name: str, goals: int) -> None:
        if self.stats is not None:
            usage = resource.getrusage(resource.RUSAGE_CHILDREN)
            self.stats[name] = {"goals": goals, "wall_s": round(time.monotonic() - self.wall, 2),
                                "coqc_cpu_s": round(usage.ru_utime + usage.ru_stime - self.cpu, 2)}
        self.mark()


def _check(pending: list[_Entry], build: Path, jobs: int, deadline: float, union: bool,
           stats: dict | None = None) -> None:
    items = [(entry.index, entry.goal) for entry in pending]
    probes = {entry.index: _Probe() for entry in pending}
    clock = _Clock(stats)
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        list(pool.map(lambda batch: _probe(batch, build, probes, deadline), _chunks(items, jobs)))
        clock.phase("probe, first tier", len(items))
        # the dearer tier, for the goals whose cheap scripts all failed quickly: where they used up the
        # branch's budget, the dearer ones would too
        later = [(index, goal) for index, goal in items if probes[index].problem is None
                 and probes[index].refuted_instance is None and len(probes[index].closed) < len(goal.branches)
                 and not probes[index].exhausted and any(len(scripts) > FIRST_TIER for scripts in goal.branches)]
        if later:
            list(pool.map(lambda batch: _probe(batch, build, probes, deadline, tier=2), _chunks(later, jobs)))
        clock.phase("probe, second tier", len(later))
    for entry in pending:
        probe = probes[entry.index]
        goal = entry.goal
        if probe.problem is Outcome.CONFLICT:
            entry.result = replace(entry.result, outcome=Outcome.CONFLICT, detail=probe.problem_detail)
        elif probe.refuted_instance is not None:
            number = int(probe.refuted_instance[1:])
            entry.result = replace(entry.result, outcome=Outcome.CONFLICT,
                                   detail=f"Coq refutes an instance of the statement where the suite's exact "
                                          f"evaluation says it holds, so the translation is wrong: "
                                          f"{goal.instances[number]}")
        elif probe.problem is not None:
            entry.result = replace(entry.result, outcome=probe.problem, detail=probe.problem_detail)
        elif len(probe.closed) == len(goal.branches) and goal.branches:
            entry.script = _script(goal, probe.closed)
            entry.result = replace(entry.result, outcome=Outcome.CHECKED, detail=f"closed by: {entry.script}")
        else:
            open_branches = [b for b in range(len(goal.branches)) if b not in probe.closed]
            names = _branch_names(goal)
            errors = "; ".join(f"{names[b]}: {probe.errors.get(b, 'no tactic closed it')}" for b in open_branches)
            entry.result = replace(entry.result, outcome=Outcome.NOT_CHECKED,
                                   detail=f"no tactic of the portfolio closed it ({errors})")
    checked = [e for e in pending if e.result.outcome is Outcome.CHECKED]
    batches = [[e for e in checked if e.index in {i for i, _ in batch}] for batch in _chunks(
        [(e.index, e.goal) for e in checked], jobs)]
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        list(pool.map(lambda batch: _kernel_pass(batch, build, deadline, union), batches))
    clock.phase("kernel pass (Qed)", len(checked))
    for entry in checked:
        if entry.result.outcome is Outcome.NOT_CHECKED:
            entry.script = None


def _branch_names(goal: CoqGoal) -> list[str]:
    if goal.kind == "induction":
        return ["base case", "inductive step"]
    return ["the goal"] * len(goal.branches)


def _write_files(entries: list[_Entry], directory: Path) -> None:
    (directory / "Prelude.v").write_text(PRELUDE)
    for module, group in _grouped(entries):
        header = (f"{comment(f'{module}: the goals the suite proved, stated in Coq and re-checked by coqc {version()}. Compile with: coqc -Q . {LIBRARY} Prelude.v && coqc -Q . {LIBRARY} {file_name(module)}')}\n"
                  f"From {LIBRARY} Require Import Prelude.\n\n")
        (directory / file_name(module)).write_text(header + _module(module, group))


def assumptions(directory: Path, module: str, lemma: str, *, build: Path | None = None) -> tuple[str, ...]:
    """What `Print Assumptions` lists for `module.lemma` of a file written by `recheck`: the file
    is compiled (with the prelude) in `build` and asked. Raises RuntimeError if it does not compile."""
    if coqc() is None:
        raise RuntimeError(NOT_INSTALLED)
    directory = Path(directory)
    build = Path(build) if build is not None else Path(tempfile.mkdtemp(prefix="coq-assumptions-"))
    problem = _prelude(build)
    if problem is not None:
        raise RuntimeError(f"the prelude does not compile: {problem}")
    source = (directory / file_name(module)).read_text()
    path = build / file_name(module)
    path.write_text(source + f'Goal True. idtac "@@assumptions 0". exact I. Qed.\nPrint Assumptions {module}.{lemma}.\n')
    run = _coqc(path, build, 300)
    if run.returncode != 0:
        raise RuntimeError(f"{file_name(module)} does not compile: {run.error}")
    entries = {0: _Entry(0, CoqGoal(label=module, engine="", name=lemma), "")}
    _read_assumptions(run.output, entries)
    return entries[0].assumptions

