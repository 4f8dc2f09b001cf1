"""Declaring lemmas and axioms, the registry that holds them, the dependency graph, and the states
derived from it.

Authors declare facts (a lemma, what it uses, its checks; an axiom and its reference); the
registry derives the rest: which declarations are broken, the graph, and from a run's statuses
which lemmas are *fully proved* (proved, and so is everything beneath them, modulo cited axioms)
and what each one is *conditional on*.
"""

from __future__ import annotations

import importlib
import sys
from collections import defaultdict
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence

import networkx as nx

from proofs.layout import family_names, module_names  # noqa: F401 - module_names is re-exported
from proofs.records import ENGINES, Check, Lemma, as_status, close_matches, declaration_problems
from proofs.status import CheckKind, Status


class Registry:
    """Every declared lemma and its checks. Holds state, so it is a class; lemmas are records."""

    def __init__(self) -> None:
        self._lemmas: dict[str, Lemma] = {}
        self._checks: dict[str, list[Check]] = defaultdict(list)
        self._duplicates: dict[str, list[str]] = defaultdict(list)
        self._cycles: tuple[int, dict[str, list[str]]] | None = None  # (version, lemma → a cycle through it)
        self._version = 0

    # -- declaring -------------------------------------------------------------------------
    def add(self, lemma: Lemma) -> Lemma:
        """Register a declaration. The same declaration seen again (its module was imported a
        second time) replaces the first; a second declaration of the same id elsewhere is an
        error that names both places."""
        previous = self._lemmas.get(lemma.id)
        if previous is not None and previous.declared_at != lemma.declared_at:
            self._duplicates[lemma.id].append(lemma.declared_at)
            return lemma  # its checks still attach to the id, and the id's verdict is `error`
        if previous is not None:
            self._checks.pop(lemma.id, None)  # the module was imported again: start afresh
            self._duplicates.pop(lemma.id, None)
        self._lemmas[lemma.id] = lemma
        self._version += 1
        return lemma

    def add_check(self, check: Check) -> None:
        self._checks[check.lemma_id].append(check)

    # -- reading ---------------------------------------------------------------------------
    def __contains__(self, lemma_id: object) -> bool:
        return lemma_id in self._lemmas

    def __len__(self) -> int:
        return len(self._lemmas)

    def get(self, lemma_id: str) -> Lemma:
        try:
            return self._lemmas[lemma_id]
        except KeyError:
            raise KeyError(f"no lemma {lemma_id!r}{close_matches(lemma_id, list(self._lemmas))}") from None

    def lemmas(self, module: str | None = None) -> list[Lemma]:
        return [l for l in self._lemmas.values() if module is None or l.module == module]

    def checks(self, lemma_id: str) -> list[Check]:
        return list(self._checks.get(lemma_id, ()))

    # -- the graph -------------------------------------------------------------------------
    def resolve_missing(self, importer: Callable[[str], object] = importlib.import_module) -> None:
        """Import the family of every lemma that is used but not yet declared: its module, or each
        module of its package.

        Running one theorems module alone must not make its cross-family dependencies look
        unknown. Modules that do not exist or fail to import are left alone: `problems` then
        reports the id."""
        for lemma in list(self._lemmas.values()):
            for used in (*lemma.uses, *([lemma.corrects] if lemma.corrects else [])):
                if used in self._lemmas or "." not in used:
                    continue
                for module in self._family_modules(lemma, used.partition(".")[0]):
                    try:
                        importer(module)
                    except Exception:  # noqa: BLE001 - a broken module is reported where it is collected
                        pass
                    if used in self._lemmas:
                        break

    @staticmethod
    def _family_modules(lemma: Lemma, family: str) -> list[str]:
        """The importable names of a family's modules, found next to the module of `lemma`."""
        module = sys.modules.get(lemma.module)
        file = getattr(module, "__file__", None)
        if not file:
            return []
        folder = Path(file).resolve().parent
        if lemma.family == folder.name and (folder / "__init__.py").is_file() and folder.name != lemma.module:
            folder = folder.parent  # the module is in a family package: the theorems folder is above it
        package = lemma.module.rpartition(".")[0]
        return family_names(folder, family) or [f"{package}.{family}" if package else family]

    def problems(self, lemma_id: str) -> tuple[str, ...]:
        """Everything wrong with a lemma's declaration, its checks, and its place in the graph."""
        lemma = self.get(lemma_id)
        known = list(self._lemmas)
        problems = list(lemma.problems)
        for place in self._duplicates.get(lemma_id, ()):
            problems.append(f"id={lemma_id!r} is declared twice, at {lemma.declared_at} and at {place}; "
                            f"ids are permanent and unique: rename one")
        for used in lemma.uses:
            if used not in self._lemmas:
                problems.append(f"uses {used!r}, which no module declares{close_matches(used, known)}")
        if lemma.corrects and lemma.corrects not in self._lemmas:
            problems.append(f"corrects={lemma.corrects!r}, which no module declares"
                            f"{close_matches(lemma.corrects, known)}")
        cycle = self._cycle_through(lemma_id)
        if cycle:
            problems.append("dependency cycle: " + " -> ".join(cycle) + "; a lemma cannot rest on itself")
        checks = self.checks(lemma_id)
        for check in checks:
            if check.engine not in ENGINES:
                problems.append(f"check {check.name!r}: engine={check.engine!r} is not one of "
                                f"{sorted(ENGINES)}{close_matches(str(check.engine), list(ENGINES))}")
        names = [c.name for c in checks]
        for name in sorted({n for n in names if names.count(n) > 1}):
            problems.append(f"check name {name!r} is used twice on {lemma_id!r}; names must differ")
        kinds = {ENGINES[c.engine] for c in checks if c.engine in ENGINES}
        if lemma.is_axiom:
            if CheckKind.SYMBOLIC in kinds:
                problems.append(f"{lemma_id!r} is an axiom, cited and never proved, but has a symbolic check: "
                                f"declare it with kind='lemma' if the suite proves it")
            return tuple(problems)
        for kind in CheckKind:
            if kind not in kinds and kind.value not in lemma.waivers:
                handle = self._handle(lemma)
                problems.append(
                    f"has no {kind.value} check and no waiver: add @{handle}.check(...) with a "
                    f"{kind.value} engine, or waivers={{'{kind.value}': 'why it cannot exist'}}"
                )
        return tuple(problems)

    @staticmethod
    def _handle(lemma: Lemma) -> str:
        """The name the author gave the lemma in its module (AM_GM), for messages."""
        module = sys.modules.get(lemma.module)
        for name, value in (vars(module).items() if module is not None else ()):
            if value is lemma:
                return name
        return "LEMMA"

    def _cycle_through(self, lemma_id: str) -> list[str]:
        """A dependency cycle through the lemma, or []. The cycles of the whole graph are found
        once per state of the registry (strongly connected components), not once per lemma."""
        if self._cycles is None or self._cycles[0] != self._version:
            graph = nx.DiGraph(
                (l.id, used) for l in self._lemmas.values() for used in l.uses if used in self._lemmas
            )
            cycles: dict[str, list[str]] = {}
            for component in nx.strongly_connected_components(graph):
                start = next(iter(component))
                if len(component) == 1 and not graph.has_edge(start, start):
                    continue
                for member in component:
                    edges = nx.find_cycle(graph.subgraph(component), source=member)
                    cycles[member] = [u for u, _ in edges] + [edges[-1][1]]
            self._cycles = (self._version, cycles)
        return self._cycles[1].get(lemma_id, [])


REGISTRY = Registry()
"""The registry that `lemma(...)` uses unless told otherwise; the theorems modules fill it."""


def _caller(depth: int = 2) -> tuple[str, str]:
    frame = sys._getframe(depth)
    return frame.f_globals.get("__name__", ""), f"{frame.f_code.co_filename}:{frame.f_lineno}"


def lemma(
    id: str,
    *,
    title: str,
    statement: str,
    kind: str = "lemma",
    paper_ref: str = "",
    claim_ref: str | None = None,
    source: str = "unstated",
    formal: str = "",
    interpretation: tuple[str, ...] | list[str] = (),
    uses: tuple[str, ...] | list[str] = (),
    assumes: tuple[str, ...] | list[str] = (),
    corrects: str | None = None,
    expect: str | Status | None = None,
    waivers: Mapping[str, str] | None = None,
    reference: str = "",
    variables: Mapping[str, str] | None = None,
    explain: Callable[[Mapping[str, object]], str] | None = None,
    survivors: Mapping[str, str] | None = None,
    claim: Any = None,
    claim_note: str = "",
    registry: Registry | None = None,
) -> Lemma:
    """Declare a lemma and register it. Problems are recorded on the lemma, never raised.

    `claim` is the formal claim, declared once (`proofs.Claim`): a z3 check proves it with
    `q.prove_claim()`, a sympy or interval check with `LEMMA.claim.goal(...)`, and the property
    test and simulation evaluate it with `LEMMA.claim(**values)`; a lemma that declares one is
    proved only when a symbolic goal built from it is. `claim_note` says why a lemma's checks
    cannot share one claim, where it declares none; the card shows it.

    `source` says where the statement comes from: "attested" (a source states it), "reconstructed"
    (the project rebuilt it) or, when not given, "unstated". `waivers` maps a kind of check the
    lemma does without to the reason it cannot exist: its keys are "symbolic" (no z3, sympy or
    interval check), "property" (no hypothesis test) and "simulation" (no simulation), e.g.
    `waivers={"simulation": "a one-line algebraic fact"}`; a lemma needs a check or a waiver of
    each kind, and a waiver shows on its card.

    `variables` says what each variable of a counterexample means and `explain` turns a
    counterexample into a sentence, for the reader of the report; `survivors` explains mutants of
    its checks that are expected to survive (keyed by the mutant's identity, as
    `python -m proofs mutate` prints it)."""
    registry = REGISTRY if registry is None else registry
    module, declared_at = _caller()
    record = Lemma(
        id=id, title=title, statement=statement, kind=kind, paper_ref=paper_ref, claim_ref=claim_ref,
        source=source, formal=formal, interpretation=tuple(interpretation), uses=tuple(uses),
        assumes=tuple(assumes), corrects=corrects, expect=as_status(expect), waivers=dict(waivers or {}),
        reference=reference, variables=dict(variables or {}), explain=explain, survivors=dict(survivors or {}),
        claim=_bound_claim(claim, id), claim_note=claim_note, module=module, declared_at=declared_at, sink=registry,
    )
    problems = tuple(declaration_problems(record, expect))
    if problems:
        record = replace(record, problems=problems)
    return registry.add(record)


def _bound_claim(claim: Any, lemma_id: str) -> Any:
    """The declared claim, told which lemma it belongs to (its evaluations are recorded under it)."""
    return claim.bound_to(lemma_id) if hasattr(claim, "bound_to") else claim


def axiom(id: str, *, title: str, statement: str, reference: str, formal: str = "", paper_ref: str = "",
          claim_ref: str | None = None, uses: tuple[str, ...] | list[str] = (), claim: Any = None,
          expect: str | Status | None = None, registry: Registry | None = None) -> Lemma:
    """Declare a published theorem the suite relies on but does not prove.

    `reference` names it (authors, year, the exact statement used); `formal` is the form in which
    the suite applies it. An axiom is never proved; lemmas use it through `uses=`, and it is
    listed by `python -m proofs axioms`. It may carry property tests or simulations that check
    instances of it (a sanity check that can refute a mis-stated axiom, never prove it). With
    `claim` (a `proofs.Claim`), a z3 check draws on an instance of it with `q.use(AXIOM, …)`,
    the bindings checked, instead of typing the instance as a premise.
    """
    registry = REGISTRY if registry is None else registry
    module, declared_at = _caller()
    record = Lemma(id=id, title=title, statement=statement, kind="axiom", paper_ref=paper_ref, claim_ref=claim_ref,
                   source="attested", formal=formal, uses=tuple(uses), expect=as_status(expect),
                   reference=reference, claim=_bound_claim(claim, id), module=module, declared_at=declared_at,
                   sink=registry)
    problems = tuple(declaration_problems(record, expect))
    if problems:
        record = replace(record, problems=problems)
    return registry.add(record)


def load_theorems(directory: Path) -> list[str]:
    """Import every theorems module in `directory` as pytest would: as `<dir>.<module>` when the
    directory is a package, else as a top-level module. Returns the module names. The project
    root (the directory's parent) goes on `sys.path`, so the project's own helper packages
    (this repository's `simulations/`) import as they do under pytest."""
    names = module_names(directory)
    for name in names:
        importlib.import_module(name)
    return names


def dependency_graph(
    uses: Mapping[str, Sequence[str]], corrects: Mapping[str, str] | None = None
) -> nx.DiGraph:
    """Edges point from a lemma to what it rests on (`uses`) or to what it repairs (`corrects`)."""
    graph = nx.DiGraph()
    graph.add_nodes_from(uses)
    for lemma_id, used in uses.items():
        for dependency in used:
            graph.add_edge(lemma_id, dependency, relation="uses")
    for lemma_id, corrected in (corrects or {}).items():
        graph.add_edge(lemma_id, corrected, relation="corrects")
    return graph


@dataclass(frozen=True, slots=True)
class Derived:
    fully_proved: bool
    conditional_on: tuple[str, ...]  # the unproved lemmas somewhere beneath, sorted by id
    audit: Mapping[str, tuple[str, ...]]  # like Lean's #print axioms: what the lemma rests on that is not proved


UNDECIDED = (Status.UNKNOWN, Status.TIMEOUT, Status.VACUOUS, Status.ERROR, Status.CONFLICT)
SOUND_AXIOM = (Status.TESTED, Status.UNKNOWN)  # an axiom's sanity checks passed, or it has none


def derive(statuses: Mapping[str, Status], uses: Mapping[str, Iterable[str]],
           assumes: Mapping[str, Iterable[str]] | None = None, axioms: Iterable[str] = (),
           undecided_goals: Mapping[str, Iterable[str]] | None = None) -> dict[str, Derived]:
    """Fully proved, conditional-on and the audit of every lemma, from a run's statuses.

    Only `uses` edges count: a correction does not rest on the claim it repairs. A dependency
    that was not run (absent from `statuses`) is unproved. A cited axiom beneath a lemma does
    not block it (it is listed under "axioms"), unless its own sanity checks refuted it; a step
    assumed by hand (`assumes=`) does block it: fully proved means proved modulo cited axioms only.
    The audit lists, for the lemma and everything beneath it, the axioms, the steps assumed by
    hand, the symbolic goals left undecided, the lemmas only tested, those undecided (unknown,
    timeout, vacuous, error, conflict, not run) and those refuted.

    Each lemma's findings are its own plus those of what it uses, computed once per lemma in
    dependency order, so a long chain of proved lemmas costs linear time, not quadratic.
    """
    assumes, undecided_goals, axioms = assumes or {}, undecided_goals or {}, set(axioms)
    graph = nx.DiGraph()
    graph.add_nodes_from(statuses)
    for lemma_id, used in uses.items():
        graph.add_edges_from((lemma_id, dependency) for dependency in used)

    def own(node: str, as_dependency: bool) -> dict[str, set[str]]:
        """What `node` contributes to the audit of a lemma above it (or, when not as_dependency, its own)."""
        status = statuses.get(node)
        found: dict[str, set[str]] = {key: set() for key in AUDIT_KEYS}
        if not as_dependency or node not in axioms:
            found["assumed"] = {f"{node}: {step}" for step in assumes.get(node, ())}
            found["undecided_goals"] = {f"{node}: {goal}" for goal in undecided_goals.get(node, ())}
        if as_dependency:
            if node in axioms:
                found["axioms"].add(node)
                if status not in SOUND_AXIOM:
                    found["unproved"].add(node)
            else:
                if status is not Status.PROVED:
                    found["unproved"].add(node)
                if status is Status.TESTED:
                    found["tested_only"].add(node)
                if node not in statuses or status in UNDECIDED:
                    found["undecided"].add(node)
            if status is Status.REFUTED:
                found["refuted"].add(node)
        return found

    beneath: dict[str, dict[str, set[str]]] = {}
    order = list(reversed(list(nx.topological_sort(graph)))) if nx.is_directed_acyclic_graph(graph) else None
    if order is not None:
        for node in order:  # what it uses comes first
            merged: dict[str, set[str]] = {key: set() for key in AUDIT_KEYS}
            for dependency in graph.successors(node):
                for key, items in own(dependency, True).items():
                    merged[key] |= items
                for key, items in beneath[dependency].items():
                    merged[key] |= items
            beneath[node] = merged
    else:  # a cycle (reported as a problem elsewhere): the plain transitive closure
        for node in graph.nodes:
            merged = {key: set() for key in AUDIT_KEYS}
            for dependency in nx.descendants(graph, node) - {node}:
                for key, items in own(dependency, True).items():
                    merged[key] |= items
            beneath[node] = merged
    derived = {}
    for lemma_id, status in statuses.items():
        below = beneath.get(lemma_id, {key: set() for key in AUDIT_KEYS})
        mine = own(lemma_id, False)
        audit = {
            "axioms": tuple(sorted(below["axioms"])),
            "assumed": tuple(sorted(mine["assumed"])) + tuple(sorted(below["assumed"])),
            "undecided_goals": tuple(sorted(mine["undecided_goals"])) + tuple(sorted(below["undecided_goals"])),
            "tested_only": tuple(sorted(below["tested_only"])),
            "undecided": tuple(sorted(below["undecided"])),
            "refuted": tuple(sorted(below["refuted"])),
        }
        unproved = tuple(sorted(below["unproved"]))
        fully = status is Status.PROVED and lemma_id not in axioms and not unproved and not audit["assumed"]
        derived[lemma_id] = Derived(fully, unproved, audit)
    return derived


AUDIT_KEYS = ("axioms", "assumed", "undecided_goals", "tested_only", "undecided", "refuted", "unproved")
