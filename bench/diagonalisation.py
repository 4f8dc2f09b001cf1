"""Benchmark: checking whole model classes against the paired diagonal truth, bit-parallel vs a loop.

Every Boolean function of 4 input bits (2^16 = 65,536 models, each a 16-bit truth table) and
every DFA with 3 states over {0, 1} (5,832 models) are evaluated on the first M = 1024 inputs in
shortlex order; the paired ground truth f(s_⟨i,k⟩) = 1 − h_i(s_⟨i,k⟩) of E-03 is built from
those answers and each model's failures in the prefix are counted. numpy evaluates all models
at once (shifts and masks on truth tables; one state vector across all automata); the baseline
is a plain Python loop, timed on a subset of models, whose counts must match.

Run: python bench/diagonalisation.py
"""

from __future__ import annotations

import itertools
import time

import numpy as np

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository's own simulations/

from simulations.hallucination import cantor_inverse, shortlex

PREFIX = 1024


def paired_truth(own_answer) -> np.ndarray:
    """f at the first PREFIX inputs, from a function giving model i's answer at input n."""
    n = np.arange(PREFIX)
    i, _ = cantor_inverse(n)
    return np.array([1 - own_answer(int(a), int(b)) for a, b in zip(i, n)], dtype=np.int8)


# -- Boolean functions of 4 bits -------------------------------------------------------------------------


def codes(strings: list[str]) -> np.ndarray:
    return np.array([int((s + "0000")[:4][::-1], 2) for s in strings], dtype=np.uint32)


def boolean_parallel(input_codes: np.ndarray, truth: np.ndarray) -> np.ndarray:
    failures = np.empty(2 ** 16, dtype=np.int64)
    for start in range(0, 2 ** 16, 4096):  # 4096 models × 1024 inputs at a time
        tables = np.arange(start, start + 4096, dtype=np.uint32)[:, None]
        failures[start:start + 4096] = (((tables >> input_codes[None, :]) & 1) != truth[None, :]).sum(axis=1)
    return failures


def boolean_loop(input_codes: list[int], truth: list[int], models: range) -> list[int]:
    return [sum(((j >> c) & 1) != t for c, t in zip(input_codes, truth)) for j in models]


# -- DFAs with 3 states ---------------------------------------------------------------------------------


def automata() -> tuple[np.ndarray, np.ndarray]:
    transitions = np.array(list(itertools.product(range(3), repeat=6))).reshape(-1, 3, 2)
    accepts = np.array(list(itertools.product((0, 1), repeat=3)))
    return transitions, accepts


def automata_parallel(strings: list[str], truth: np.ndarray) -> np.ndarray:
    transitions, accepts = automata()
    rows = np.arange(transitions.shape[0])
    final = np.empty((transitions.shape[0], len(strings)), dtype=np.int64)
    for j, s in enumerate(strings):  # all 729 transition tables step together
        state = np.zeros(transitions.shape[0], dtype=np.int64)
        for ch in s:
            state = transitions[rows, state, int(ch)]
        final[:, j] = state
    answers = accepts[:, final].reshape(-1, len(strings))  # [8 × 729 models, inputs]
    return (answers != truth[None, :]).sum(axis=1)


def automata_loop(strings: list[str], truth: list[int], models: range) -> list[int]:
    transitions, accepts = automata()
    transitions, accepts = transitions.tolist(), accepts.tolist()
    out = []
    for m in models:
        accept, table = accepts[m // len(transitions)], transitions[m % len(transitions)]
        wrong = 0
        for s, t in zip(strings, truth):
            state = 0
            for ch in s:
                state = table[state][int(ch)]
            wrong += accept[state] != t
        out.append(wrong)
    return out


def report(name: str, models: int, parallel_s: float, loop_models: int, loop_s: float) -> None:
    print(f"{name:<28} {models:>8,} {'bit-parallel':<13} {parallel_s:>8.3f} {models / parallel_s:>14,.0f}")
    print(f"{name:<28} {loop_models:>8,} {'python loop':<13} {loop_s:>8.3f} {loop_models / loop_s:>14,.0f}"
          f"   speed-up ×{(models / parallel_s) / (loop_models / loop_s):,.0f}")


def main() -> None:
    strings = shortlex(PREFIX)
    print(f"each model's failures against the paired diagonal truth on the first {PREFIX} inputs")
    print(f"{'class':<28} {'models':>8} {'method':<13} {'seconds':>8} {'models/s':>14}")

    input_codes = codes(strings)
    truth = paired_truth(lambda i, n: (i >> int(input_codes[n])) & 1)
    started = time.perf_counter()
    failures = boolean_parallel(input_codes, truth)
    parallel_s = time.perf_counter() - started
    subset = range(0, 2 ** 16, 64)
    started = time.perf_counter()
    looped = boolean_loop(input_codes.tolist(), truth.tolist(), subset)
    loop_s = time.perf_counter() - started
    assert looped == failures[list(subset)].tolist(), "the two evaluations disagree"
    report("Boolean functions of 4 bits", 2 ** 16, parallel_s, len(subset), loop_s)

    transitions, accepts = automata()
    rows = transitions.shape[0]

    def own(i: int, n: int) -> int:
        if i >= rows * accepts.shape[0]:
            return 1  # past the last model: f = 0
        state = 0
        for ch in strings[n]:
            state = int(transitions[i % rows, state, int(ch)])
        return int(accepts[i // rows, state])

    truth = paired_truth(own)
    started = time.perf_counter()
    failures = automata_parallel(strings, truth)
    parallel_s = time.perf_counter() - started
    subset = range(0, rows * accepts.shape[0], 29)
    started = time.perf_counter()
    looped = automata_loop(strings, truth.tolist(), subset)
    loop_s = time.perf_counter() - started
    assert looped == failures[list(subset)].tolist(), "the two evaluations disagree"
    report("DFAs with 3 states", rows * accepts.shape[0], parallel_s, len(subset), loop_s)


if __name__ == "__main__":
    main()
