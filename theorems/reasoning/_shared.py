"""Helpers shared by several claims of the reasoning family: symbols, strategies and functions.
"""

from __future__ import annotations

# A boundary mutant of a strict test comparison (a < b → a ≤ b, a > b → a ≥ b) weakens the assertion:
# it passes whenever the original passes, so no run can kill it. Named on each lemma that has one.
WEAKER = ("a weakening, not a stronger claim: the strict comparison made non-strict passes whenever the "
          "original passes, so no run can kill it")
