"""Helpers shared by several claims of the retrieval family: symbols, strategies and functions.
"""

from __future__ import annotations

# A boundary mutant of a comparison that carries a rounding tolerance (a ≤ b + 1e-9 → a < b + 1e-9) is the
# same assertion as far as any floating-point run can tell; named on each lemma that has one.
TOLERANCE = ("the comparison carries a rounding tolerance, so the strict and non-strict forms are the same "
             "assertion at floating-point precision: no run can tell them apart")
