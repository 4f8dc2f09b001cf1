"""The records a project declares: lemmas, axioms and checks, and the context a check runs in.

A lemma is a frozen record. Its declaration (`proofs.registry.lemma(...)`) validates the
arguments but never raises for a bad one: it records the problems on the lemma, whose verdict
then becomes `error` with a message that names the offending value and how to fix it. One bad
lemma must not stop the rest of the suite from running.

    AM_GM = lemma("averages.am_gm_two", title=..., statement=..., expect="proved")

    @AM_GM.check("z3")
    def squared_form(q): ...

This module imports nothing of the rest of the kernel but the status vocabulary: it is what the
engines, the registry and the report all read.
"""

from __future__ import annotations

import difflib
import inspect
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping, Protocol

from proofs.layout import declared_family
from proofs.status import CheckKind, Status

ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")
CLAIM_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9]*-\d+$")  # E-19; a project may use its own prefix

KINDS = (
    "definition", "theorem", "lemma", "corollary", "proposition",
    "equation", "claim", "remark", "correction", "axiom",
)
# attested: a source states it; reconstructed: the project rebuilt it; unstated: the author did not
# say (the default: nothing attests a statement just because it was declared)
SOURCES = ("attested", "reconstructed", "unstated")

# Each engine and what its checks may conclude. Only symbolic engines can prove.
ENGINES: Mapping[str, CheckKind] = {
    "z3": CheckKind.SYMBOLIC,
    "sympy": CheckKind.SYMBOLIC,
    "interval": CheckKind.SYMBOLIC,
    "hypothesis": CheckKind.PROPERTY,
    "simulation": CheckKind.SIMULATION,
}

DEFAULT_TIMEOUT_S = 20.0


@dataclass(frozen=True, slots=True)
class CheckContext:
    """Everything a check may depend on besides its own code: all of it is in the report."""

    report_dir: Path
    seed: int
    scale: str = "default"
    hypothesis_profile: str = "dev"
    cluster: str | None = None  # a Dask scheduler address for chunked simulations, or None for local
    kernel: bool = False  # state each proved symbolic goal in Coq (`facts["coq_goal"]`), for the re-check by coqc


@dataclass(frozen=True, slots=True)
class Check:
    """One check of a lemma: which engine runs it and the function that states it."""

    lemma_id: str
    name: str
    engine: str
    fn: Callable[..., Any] = field(repr=False, compare=False)
    timeout_s: float = DEFAULT_TIMEOUT_S
    uses: tuple[str, ...] = ()  # the lemma's `uses`: the only lemmas a check may draw on (`q.use`)
    part: str | None = None  # a symbolic check that certifies only this part of the statement
    claim: Any = field(default=None, repr=False, compare=False)  # the lemma's declared claim (`q.prove_claim`)

    @property
    def kind(self) -> CheckKind:
        return ENGINES[self.engine]

    @property
    def location(self) -> str:
        """'file.py:line' of the check's definition, where an ill-formed check is reported."""
        function = original_function(self.fn)
        try:
            return f"{Path(inspect.getsourcefile(function) or '?').name}:{function.__code__.co_firstlineno}"
        except (TypeError, AttributeError):
            return repr(function)


def original_function(fn: Callable[..., Any]) -> Callable[..., Any]:
    """The function the author wrote, under Hypothesis' `@given` wrapper or any functools.wraps."""
    inner = getattr(getattr(fn, "hypothesis", None), "inner_test", None)
    return inspect.unwrap(inner if inner is not None else fn)


class CheckSink(Protocol):
    """Where `@LEMMA.check` records a check: a registry, without this module importing it."""

    def add_check(self, check: Check) -> None: ...


@dataclass(frozen=True, slots=True)
class Lemma:
    """A claim (or a correction of one, or an axiom the suite cites) and what a report needs of it."""

    id: str
    title: str
    statement: str
    kind: str = "lemma"
    paper_ref: str = ""
    claim_ref: str | None = None
    source: str = "unstated"
    formal: str = ""
    interpretation: tuple[str, ...] = ()
    uses: tuple[str, ...] = ()
    assumes: tuple[str, ...] = ()  # steps of the argument that no engine checks, stated so the audit shows them
    corrects: str | None = None
    expect: Status | None = None
    waivers: Mapping[str, str] = field(default_factory=dict)
    reference: str = ""  # an axiom's citation: authors, year, the exact statement used
    variables: Mapping[str, str] = field(default_factory=dict)  # what each counterexample variable means
    explain: Callable[[Mapping[str, Any]], str] | None = field(default=None, repr=False, compare=False)
    survivors: Mapping[str, str] = field(default_factory=dict)  # why a surviving mutant is acceptable
    claim: Any = field(default=None, compare=False)  # the formal claim, declared once (proofs.statement.Claim)
    claim_note: str = ""  # why the checks cannot share one declared claim, when there is none
    module: str = ""
    declared_at: str = ""  # 'path/to/module.py:line', to tell a second declaration from a re-import
    problems: tuple[str, ...] = ()
    sink: CheckSink | None = field(default=None, repr=False, compare=False)

    @property
    def family(self) -> str:
        return self.id.partition(".")[0]

    @property
    def is_axiom(self) -> bool:
        return self.kind == "axiom"

    def check(self, engine: str, *, name: str | None = None, timeout_s: float = DEFAULT_TIMEOUT_S,
              part: str | None = None):
        """Decorator: register `fn` as a check of this lemma run by `engine`.

        `part` says, for a symbolic check that certifies only a step of the statement, which
        step: the kernel then counts its proof as a check that found no counterexample, so the
        lemma is at most `tested`, and the card names the part ("the algebra once the exp step is
        granted"). The function is returned unchanged, with the frozen `Check` record attached as
        `fn.__proof_check__`, so a hypothesis test stays callable on its own.
        """

        def register(fn: Callable[..., Any]) -> Callable[..., Any]:
            check = Check(self.id, name or fn.__name__, engine, fn, timeout_s, self.uses, part, self.claim)
            fn.__proof_check__ = check  # type: ignore[attr-defined]
            if self.sink is not None:
                self.sink.add_check(check)
            return fn

        return register

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "kind": self.kind,
            "paper_ref": self.paper_ref,
            "claim_ref": self.claim_ref,
            "source": self.source,
            "statement": self.statement,
            "formal": self.formal,
            "interpretation": list(self.interpretation),
            "uses": list(self.uses),
            "assumes": list(self.assumes),
            "corrects": self.corrects,
            "expected": self.expect.value if self.expect is not None else None,
            "waivers": dict(self.waivers),
            "reference": self.reference,
            "variables": dict(self.variables),
            "survivors": dict(self.survivors),
            "claim": self.claim.source() if self.claim is not None else None,
            "claim_note": self.claim_note,
            "module": self.module,
            "declared_at": self.declared_at,
        }


def close_matches(value: str, candidates: list[str] | tuple[str, ...]) -> str:
    """' (did you mean 'x'?)' for a mistyped name, or '' when nothing is close."""
    matches = difflib.get_close_matches(value, list(candidates), n=1, cutoff=0.5)
    return f" (did you mean {matches[0]!r}?)" if matches else ""


def declaration_problems(lemma: Lemma, expect: Any) -> list[str]:
    """Everything wrong with a declaration on its own (the graph is checked by the registry)."""
    problems = []
    if not isinstance(lemma.id, str) or not ID_PATTERN.match(lemma.id):
        problems.append(
            f"id={lemma.id!r} is malformed: expected '<family>.<snake_case>' such as "
            f"'averages.am_gm_two', where <family> is the theorems module or package"
        )
    elif lemma.module and lemma.module != "__main__":
        families = declared_family(lemma.module, lemma.declared_at)
        if lemma.family not in families:
            family = sorted(families)[-1]
            problems.append(
                f"id={lemma.id!r} is declared in module {lemma.module!r}: its family must be "
                f"{' or '.join(map(repr, sorted(families)))} (the theorems module, or the package it is in), "
                f"e.g. '{family}.{lemma.id.partition('.')[2]}'"
            )
    for name in ("title", "statement"):
        value = getattr(lemma, name)
        if not isinstance(value, str) or not value.strip():
            problems.append(f"{name}={value!r}: every lemma needs a non-empty {name}")
    if lemma.kind not in KINDS:
        problems.append(f"kind={lemma.kind!r} is not one of {KINDS}{close_matches(str(lemma.kind), KINDS)}")
    if lemma.source not in SOURCES:
        problems.append(f"source={lemma.source!r} is not one of {SOURCES}")
    if lemma.claim_ref is not None and not CLAIM_PATTERN.match(str(lemma.claim_ref)):
        problems.append(f"claim_ref={lemma.claim_ref!r} is malformed: expected a claim id such as 'E-19'")
    if (lemma.kind == "correction") != (lemma.corrects is not None):
        problems.append(
            f"kind={lemma.kind!r} with corrects={lemma.corrects!r}: a correction names the lemma it "
            f"corrects (corrects='family.name'), and only a correction may"
        )
    if lemma.is_axiom:
        if not lemma.reference.strip():
            problems.append("kind='axiom' needs reference='authors, year, title: the exact statement used', "
                            "so that a reader can check what the suite rests on")
        if lemma.expect is Status.PROVED:
            problems.append("an axiom is cited, never proved: expect='proved' cannot hold; leave expect unset "
                            "or expect='tested' when it has sanity checks")
    if expect is not None and lemma.expect is None:
        allowed = [s.value for s in Status if s is not Status.CONFLICT]
        problems.append(f"expect={expect!r} is not a status one can stand by; allowed: {allowed}")
    if lemma.claim is not None and not (hasattr(lemma.claim, "parameters") and hasattr(lemma.claim, "z3")):
        problems.append(f"claim={lemma.claim!r}: expected proofs.Claim(holds, where=..., sorts=...), the formal "
                        f"claim as a function of named parameters")
    if lemma.claim is not None and lemma.claim_note:
        problems.append("claim_note= explains why a lemma has no declared claim; this one declares claim=: drop one")
    bad_waivers = [k for k in lemma.waivers if k not in {kind.value for kind in CheckKind}]
    if bad_waivers:
        problems.append(
            f"waivers keys {bad_waivers} are not check kinds; use 'symbolic', 'property' or 'simulation'"
        )
    return problems


def as_status(expect: Any) -> Status | None:
    if expect is None:
        return None
    try:
        status = Status(expect)
    except ValueError:
        return None
    return None if status is Status.CONFLICT else status
