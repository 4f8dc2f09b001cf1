"""Bad declarations become `error` with a message naming the value; the graph derives the rest."""

import dataclasses

import pytest

from proofs.registry import lemma
from proofs.registry import derive
from proofs.status import Status

WAIVE_ALL = {"symbolic": "w", "property": "w", "simulation": "w"}


def declare(registry, id, **kwargs):
    defaults = dict(title="t", statement="s", waivers=WAIVE_ALL, registry=registry)
    return lemma(id, **{**defaults, **kwargs})


def problems(registry, id):
    return " | ".join(registry.problems(id))


def test_a_well_formed_lemma_has_no_problems(registry):
    declare(registry, "test_registry.fine")
    assert registry.problems("test_registry.fine") == ()


@pytest.mark.parametrize("bad_id", ["NoFamily", "context.CamelCase", "context.", "1context.x", "a.b.c"])
def test_a_malformed_id_is_named_with_the_expected_form(registry, bad_id):
    declare(registry, bad_id)
    assert f"id={bad_id!r} is malformed" in problems(registry, bad_id)
    assert "'<family>.<snake_case>'" in problems(registry, bad_id)


def test_the_family_must_be_the_declaring_module(registry):
    declare(registry, "context.misfiled")  # declared in tests.test_registry, family should be test_registry
    assert "its family must be 'test_registry'" in problems(registry, "context.misfiled")


def test_a_missing_statement_is_reported(registry):
    declare(registry, "test_registry.silent", statement="  ")
    assert "statement='  '" in problems(registry, "test_registry.silent")


def test_an_unknown_dependency_suggests_the_close_match(registry):
    declare(registry, "test_registry.softmax_crowding")
    declare(registry, "test_registry.user", uses=["test_registry.softmax_crowdin"])
    text = problems(registry, "test_registry.user")
    assert "uses 'test_registry.softmax_crowdin', which no module declares" in text
    assert "did you mean 'test_registry.softmax_crowding'" in text


def test_a_cycle_is_reported_with_its_path_on_every_lemma_in_it(registry):
    declare(registry, "test_registry.a", uses=["test_registry.b"])
    declare(registry, "test_registry.b", uses=["test_registry.c"])
    declare(registry, "test_registry.c", uses=["test_registry.a"])
    declare(registry, "test_registry.outside", uses=["test_registry.a"])
    assert "test_registry.a -> test_registry.b -> test_registry.c -> test_registry.a" in problems(registry, "test_registry.a")
    assert "dependency cycle" in problems(registry, "test_registry.c")
    assert "dependency cycle" not in problems(registry, "test_registry.outside")


def test_a_duplicate_id_from_another_module_is_an_error_naming_both_places(registry):
    first = declare(registry, "test_registry.twice")
    registry.add(dataclasses.replace(first, module="theorems.elsewhere", declared_at="elsewhere.py:7"))
    message = next(p for p in registry.problems("test_registry.twice") if "declared twice" in p)
    assert first.declared_at in message and "elsewhere.py:7" in message


def test_a_second_declaration_in_the_same_module_is_an_error_not_a_silent_merge(registry):
    first = lemma("test_registry.same", title="t", statement="s", registry=registry, waivers=WAIVE_ALL)
    second = lemma("test_registry.same", title="t", statement="another claim", registry=registry, waivers=WAIVE_ALL)
    assert first.declared_at != second.declared_at
    message = next(p for p in registry.problems("test_registry.same") if "declared twice" in p)
    assert first.declared_at in message and second.declared_at in message


def test_the_same_declaration_seen_again_on_re_import_is_not_a_duplicate(registry):
    first = declare(registry, "test_registry.again")
    registry.add(first)
    assert not any("declared twice" in p for p in registry.problems("test_registry.again"))


@pytest.mark.parametrize(("field", "value", "message"), [
    ("kind", "lema", "did you mean 'lemma'"),
    ("source", "rumoured", "source='rumoured' is not one of"),
    ("claim_ref", "E19", "claim_ref='E19' is malformed"),
    ("expect", "probably", "expect='probably' is not a status"),
    ("expect", "conflict", "expect='conflict' is not a status"),
    ("corrects", "test_registry.other", "a correction names the lemma it corrects"),
    ("waivers", {"symbolc": "x"}, "are not check kinds"),
])
def test_bad_fields_name_the_value_and_what_is_allowed(registry, field, value, message):
    declare(registry, "test_registry.bad", **{field: value})
    assert message in problems(registry, "test_registry.bad")


def test_a_check_with_an_unknown_engine_suggests_the_close_match(registry):
    declared = declare(registry, "test_registry.engine")
    declared.check("z4")(lambda q: None)
    assert "engine='z4' is not one of" in problems(registry, "test_registry.engine")
    assert "did you mean 'z3'" in problems(registry, "test_registry.engine")


def test_a_missing_part_without_a_waiver_says_how_to_fix_it(registry):
    declare(registry, "test_registry.partial", waivers={"property": "w", "simulation": "w"})
    assert "has no symbolic check and no waiver" in problems(registry, "test_registry.partial")


def test_fully_proved_needs_every_lemma_beneath_to_be_proved():
    statuses = {"f.top": Status.PROVED, "f.mid": Status.PROVED, "f.leaf": Status.TESTED, "f.alone": Status.PROVED}
    uses = {"f.top": ["f.mid"], "f.mid": ["f.leaf"], "f.leaf": [], "f.alone": []}
    derived = derive(statuses, uses)
    assert derived["f.alone"].fully_proved and not derived["f.top"].fully_proved
    assert derived["f.top"].conditional_on == ("f.leaf",)
    assert derived["f.mid"].conditional_on == ("f.leaf",)


def test_a_dependency_that_was_not_run_counts_as_unproved():
    derived = derive({"f.top": Status.PROVED}, {"f.top": ["g.elsewhere"]})
    assert not derived["f.top"].fully_proved and derived["f.top"].conditional_on == ("g.elsewhere",)
