"""Every query the theorems export as .smt2 is one cvc5 can read (the second opinion is real)."""

import pytest

from proofs import smt
from proofs.registry import REGISTRY, load_theorems

pytest.importorskip("cvc5", reason="cvc5 is a dependency of the kernel; install it with `pip install cvc5`")


def exported_queries():
    from pathlib import Path

    from proofs import prop

    # under the suite's Hypothesis profile, as the plugin imports them: a theorems module first imported
    # here keeps its property tests' settings for the whole process, the suite's items included (with
    # Hypothesis' default 200 ms deadline, a slow example on a busy machine would fail a lemma)
    with prop.lemma_profile(prop.DEFAULT_PROFILE):
        load_theorems(Path(__file__).resolve().parents[1] / "theorems")
    for lemma in REGISTRY.lemmas():
        for check in REGISTRY.checks(lemma.id):
            if check.engine == "z3":
                yield pytest.param(check, id=f"{lemma.id}/{check.name}")


@pytest.mark.parametrize("check", list(exported_queries()))
def test_every_exported_query_parses_in_cvc5(check):
    query = smt.Query.of(check)
    for assertions in (query.hypotheses, [*query.hypotheses, smt.Not(query.claim)]):
        answer = smt.cvc5_answer(smt.benchmark(query, assertions), 0.2)
        assert not answer.startswith("error"), answer
        assert answer.split(" ")[0] in ("sat", "unsat", "unknown")
