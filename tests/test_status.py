"""The one combine table, tested as a truth table, and the Verdict's refusal to be a bool."""

import itertools

import pytest

from proofs.status import PRECEDENCE, STATUS_INFO, Evidence, Status, Verdict, combine

S = Status

# Written out by hand from DESIGN.md, not computed from PRECEDENCE.
SINGLE = {s: s for s in Status}
PAIRS = {
    (S.PROVED, S.REFUTED): S.CONFLICT,
    (S.PROVED, S.TESTED): S.PROVED,
    (S.PROVED, S.UNKNOWN): S.PROVED,
    (S.PROVED, S.TIMEOUT): S.PROVED,
    (S.PROVED, S.VACUOUS): S.VACUOUS,
    (S.PROVED, S.ERROR): S.ERROR,
    (S.REFUTED, S.TESTED): S.REFUTED,
    (S.REFUTED, S.ERROR): S.REFUTED,
    (S.REFUTED, S.VACUOUS): S.REFUTED,
    (S.REFUTED, S.UNKNOWN): S.REFUTED,
    (S.ERROR, S.VACUOUS): S.ERROR,
    (S.ERROR, S.TESTED): S.ERROR,
    (S.VACUOUS, S.TESTED): S.VACUOUS,
    (S.TESTED, S.TIMEOUT): S.TESTED,
    (S.TESTED, S.UNKNOWN): S.TESTED,
    (S.TIMEOUT, S.UNKNOWN): S.TIMEOUT,
    (S.CONFLICT, S.TESTED): S.CONFLICT,
}


@pytest.mark.parametrize("status", list(Status))
def test_a_single_piece_of_evidence_is_its_own_verdict(status):
    assert combine([status]) is SINGLE[status]


@pytest.mark.parametrize(("pair", "expected"), list(PAIRS.items()))
def test_pairs_combine_as_the_design_says(pair, expected):
    assert combine(pair) is expected
    assert combine(reversed(pair)) is expected


def test_no_evidence_is_unknown_never_proved():
    assert combine([]) is S.UNKNOWN


def test_every_subset_follows_the_rules():
    for size in range(1, len(Status) + 1):
        for subset in itertools.combinations(list(Status), size):
            verdict = combine(subset)
            if S.CONFLICT in subset or {S.PROVED, S.REFUTED} <= set(subset):
                assert verdict is S.CONFLICT
            else:
                assert verdict in subset
                assert all(PRECEDENCE.index(verdict) <= PRECEDENCE.index(s) for s in subset)


def test_unknown_and_timeout_are_never_proved_or_refuted():
    for subset in [(S.UNKNOWN,), (S.TIMEOUT,), (S.UNKNOWN, S.TIMEOUT), (S.TESTED, S.UNKNOWN)]:
        assert combine(subset) not in (S.PROVED, S.REFUTED)


def test_every_status_has_a_meaning_and_a_colour():
    assert set(STATUS_INFO) == set(Status)
    assert len({info.colour for info in STATUS_INFO.values()}) == len(Status)


def test_a_verdict_refuses_to_be_a_bool():
    verdict = Verdict(evidence=(Evidence("z3", S.PROVED, "ok"),))
    with pytest.raises(TypeError, match="no truth value"):
        bool(verdict)


def test_a_verdict_with_problems_is_an_error_whatever_its_evidence():
    verdict = Verdict(evidence=(Evidence("z3", S.PROVED, "ok"),), problems=("bad id",))
    assert verdict.status is S.ERROR


def test_evidence_round_trips_through_json():
    evidence = Evidence("z3", S.REFUTED, "sat", {"x": 1, "p": 0.5}, 0.25, ("smt2/a.smt2",), "check")
    assert Evidence.from_json(evidence.to_json()) == evidence


def test_an_undecided_goal_turns_proved_into_at_most_tested_and_changes_nothing_else():
    assert combine([S.PROVED], undecided_goal=True) is S.TESTED
    assert combine([S.PROVED, S.UNKNOWN], undecided_goal=True) is S.TESTED
    assert combine([S.PROVED, S.TIMEOUT, S.TESTED], undecided_goal=True) is S.TESTED
    # no proof of the whole statement, so a counterexample refutes it without a conflict
    assert combine([S.PROVED, S.REFUTED], undecided_goal=True) is S.REFUTED
    assert combine([S.PROVED, S.CONFLICT], undecided_goal=True) is S.CONFLICT
    assert combine([S.PROVED, S.VACUOUS], undecided_goal=True) is S.VACUOUS
    for size in range(1, len(Status) + 1):
        for subset in itertools.combinations(list(Status), size):
            assert combine(subset, undecided_goal=True) is not S.PROVED
            if S.PROVED not in subset:
                assert combine(subset, undecided_goal=True) is combine(subset)
