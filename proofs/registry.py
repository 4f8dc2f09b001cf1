"""The registry of lemmas and checks, the dependency graph, and the states derived from it.

Authors declare facts (a lemma, what it uses, its checks); the registry derives the rest:
which declarations are broken, the graph, and from a run's statuses which lemmas are *fully
proved* (proved, and so is everything beneath them) and what each one is *conditional on*.
"""

from __future__ import annotations

import importlib
import sys
from collections import defaultdict
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Iterable, Mapping, Sequence

import networkx as nx

from proofs.lemma import ENGINES, Check, Lemma, close_matches
from proofs.status import CheckKind, Status


class Registry:
    """Every declared lemma and its checks. Holds state, so it is a class; lemmas are records."""

    def __init__(self) -> None:
        self._lemmas: dict[str, Lemma] = {}
        self._checks: dict[str, list[Check]] = defaultdict(list)

    # -- declaring -------------------------------------------------------------------------
    def add(self, lemma: Lemma) -> None:
        previous = self._lemmas.get(lemma.id)
        if previous is not None and previous.module != lemma.module:
            clash = (
                f"id={lemma.id!r} is declared twice, in {previous.module!r} and in {lemma.module!r}; "
                f"ids are permanent and unique: rename one"
            )
            lemma = replace(previous, problems=previous.problems + (clash,))
        elif previous is not None:
            self._checks.pop(lemma.id, None)  # the module was imported again: start afresh
        self._lemmas[lemma.id] = lemma

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
        """Import the family module of every lemma that is used but not yet declared.

        Running one theorems module alone must not make its cross-family dependencies look
        unknown. Modules that do not exist are left alone: `problems` then reports the id.
        """
        for lemma in list(self._lemmas.values()):
            for used in (*lemma.uses, *([lemma.corrects] if lemma.corrects else [])):
                if used in self._lemmas or "." not in used:
                    continue
                package = lemma.module.rpartition(".")[0]
                module = f"{package}.{used.partition('.')[0]}" if package else used.partition(".")[0]
                try:
                    importer(module)
                except ImportError:
                    pass

    def problems(self, lemma_id: str) -> tuple[str, ...]:
        """Everything wrong with a lemma's declaration, its checks, and its place in the graph."""
        lemma = self.get(lemma_id)
        known = list(self._lemmas)
        problems = list(lemma.problems)
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
        for kind in CheckKind:
            if kind not in kinds and kind.value not in lemma.waivers:
                problems.append(
                    f"has no {kind.value} check and no waiver: add @{{LEMMA}}.check(...) with a "
                    f"{kind.value} engine, or waivers={{'{kind.value}': 'why it cannot exist'}}"
                )
        return tuple(problems)

    def _cycle_through(self, lemma_id: str) -> list[str]:
        graph = nx.DiGraph(
            (l.id, used) for l in self._lemmas.values() for used in l.uses if used in self._lemmas
        )
        if lemma_id not in graph:
            return []
        try:
            edges = nx.find_cycle(graph, source=lemma_id)
        except nx.NetworkXNoCycle:
            return []
        nodes = [u for u, _ in edges] + [edges[-1][1]]
        return nodes if lemma_id in nodes else []


REGISTRY = Registry()
"""The registry that `lemma(...)` uses unless told otherwise; the theorems modules fill it."""


def load_theorems(directory: Path) -> list[str]:
    """Import every theorems module in `directory` as pytest would: as `<dir>.<module>` when the
    directory is a package, else as a top-level module. Returns the module names."""
    directory = directory.resolve()
    package = (directory / "__init__.py").exists()
    root = str(directory.parent if package else directory)
    if root not in sys.path:
        sys.path.insert(0, root)
    names = [f"{directory.name}.{p.stem}" if package else p.stem
             for p in sorted(directory.glob("*.py")) if not p.name.startswith("_")]
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
    audit: Mapping[str, tuple[str, ...]]  # like an axiom audit: what the lemma rests on that is not proved


UNDECIDED = (Status.UNKNOWN, Status.TIMEOUT, Status.VACUOUS, Status.ERROR, Status.CONFLICT)


def derive(statuses: Mapping[str, Status], uses: Mapping[str, Iterable[str]],
           assumes: Mapping[str, Iterable[str]] | None = None) -> dict[str, Derived]:
    """Fully proved, conditional-on and the assumption audit of every lemma, from a run's statuses.

    Only `uses` edges count: a correction does not rest on the claim it repairs. A dependency
    that was not run (absent from `statuses`) is unproved. The audit lists, for the lemma and
    everything beneath it, the steps assumed by hand, the lemmas only tested, those undecided
    (unknown, timeout, vacuous, error, conflict, not run) and those refuted.
    """
    assumes = assumes or {}
    graph = nx.DiGraph()
    graph.add_nodes_from(statuses)
    for lemma_id, used in uses.items():
        graph.add_edges_from((lemma_id, dependency) for dependency in used)
    derived = {}
    for lemma_id, status in statuses.items():
        beneath = sorted(nx.descendants(graph, lemma_id) - {lemma_id})
        unproved = tuple(d for d in beneath if statuses.get(d) is not Status.PROVED)
        audit = {
            "assumed": tuple(f"{d}: {step}" for d in [lemma_id, *beneath] for step in assumes.get(d, ())),
            "tested_only": tuple(d for d in beneath if statuses.get(d) is Status.TESTED),
            "undecided": tuple(d for d in beneath if d not in statuses or statuses[d] in UNDECIDED),
            "refuted": tuple(d for d in beneath if statuses.get(d) is Status.REFUTED),
        }
        derived[lemma_id] = Derived(status is Status.PROVED and not unproved, unproved, audit)
    return derived
