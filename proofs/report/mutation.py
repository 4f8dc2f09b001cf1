"""Mutation results as status.json keeps them: the outcome words, and the score across lemmas.

`python -m proofs mutate` writes a `mutants` record on each lemma it mutated; the report reads
those records as data (it never imports the mutation engine), so a later run of the suite keeps
the score of every lemma whose fingerprint is unchanged.
"""

from __future__ import annotations

from typing import Any, Sequence


class Outcome:
    KILLED = "killed"
    SURVIVED = "survived"
    EQUIVALENT = "equivalent"
    UNDECIDED = "undecided"


def score(records: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Across the lemmas: killed / (killed + survived + undecided), the non-equivalent mutants."""
    totals = {key: sum((r.get("mutants") or {}).get(key, 0) for r in records)
              for key in (Outcome.KILLED, Outcome.SURVIVED, Outcome.EQUIVALENT, Outcome.UNDECIDED)}
    non_equivalent = totals[Outcome.KILLED] + totals[Outcome.SURVIVED] + totals[Outcome.UNDECIDED]
    by_operator: dict[str, dict[str, int]] = {}
    for record in records:
        for mutant in (record.get("mutants") or {}).get("mutants", []):
            by_operator.setdefault(mutant["operator"], {}).setdefault(mutant["outcome"], 0)
            by_operator[mutant["operator"]][mutant["outcome"]] += 1
    return {**totals, "non_equivalent": non_equivalent, "lemmas": sum(1 for r in records if r.get("mutants")),
            "score": round(totals[Outcome.KILLED] / non_equivalent, 4) if non_equivalent else None,
            "by_operator": by_operator}
