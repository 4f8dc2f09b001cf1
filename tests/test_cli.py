"""`python -m proofs` on a report: its verbs, its JSON, its exit codes and its errors."""

import json

import pytest

from proofs.__main__ import main
from proofs.report import build_status, write_report

LEMMAS = [
    {"id": "demo.base", "title": "base", "kind": "lemma", "paper_ref": "§3", "claim_ref": "E-19",
     "source": "attested", "statement": "s", "formal": "", "interpretation": [], "uses": [], "corrects": None,
     "expected": "proved", "waivers": {}, "module": "theorems.demo", "status": "tested", "problems": [],
     "evidence": [{"engine": "hypothesis", "check": "c", "status": "tested", "detail": "100 examples",
                   "counterexample": None, "elapsed_s": 0.1, "artifacts": []}],
     "matches_expectation": False},
    {"id": "demo.top", "title": "top", "kind": "lemma", "paper_ref": "§3", "claim_ref": None,
     "source": "reconstructed", "statement": "s", "formal": "", "interpretation": [], "uses": ["demo.base"],
     "corrects": None, "expected": "proved", "waivers": {}, "module": "theorems.demo", "status": "proved",
     "problems": [], "evidence": [], "matches_expectation": True},
]


@pytest.fixture
def report(tmp_path):
    write_report(build_status(LEMMAS, {"seed": 0, "git_commit": None, "scale": "default",
                                       "hypothesis_profile": "dev"}), tmp_path)
    return tmp_path


def run(report, *argv):
    return main(["--report-dir", str(report), *argv])


def test_status_prints_the_table_and_exits_1_when_a_verdict_moved(report, capsys):
    assert run(report, "status") == 1
    out = capsys.readouterr().out
    assert "demo.base" in out and "tested" in out and "demo.top" in out


def test_status_says_when_z3_proofs_were_not_re_checked_by_cvc5(tmp_path, capsys):
    proved = {**LEMMAS[1], "evidence": [{**LEMMAS[0]["evidence"][0], "engine": "z3", "status": "proved"}]}
    for cvc5, said in ((None, True), ("1.2.1", False)):
        write_report(build_status([proved], {"seed": 0, "git_commit": None, "scale": "default", "cvc5": cvc5}),
                     tmp_path)
        assert main(["--report-dir", str(tmp_path), "status"]) == 0
        assert ("z3's proofs were not re-checked by cvc5: not installed" in capsys.readouterr().out) is said


def test_status_json_prints_the_same_lemmas(report, capsys):
    assert run(report, "status", "--json") == 1
    document = json.loads(capsys.readouterr().out)
    assert [l["id"] for l in document["lemmas"]] == ["demo.base", "demo.top"]
    assert document["lemmas"][1]["conditional_on"] == ["demo.base"]


def test_status_of_one_lemma_exits_0_when_it_matches(report, capsys):
    assert run(report, "status", "demo.top") == 0
    assert "top" in capsys.readouterr().out


def test_an_unknown_id_is_a_usage_error_with_a_close_match(report, capsys):
    assert run(report, "status", "demo.tpo") == 2
    assert "did you mean 'demo.top'" in capsys.readouterr().err


def test_a_missing_report_says_how_to_make_one(tmp_path, capsys):
    assert main(["--report-dir", str(tmp_path / "none"), "status"]) == 2
    assert "run `pytest theorems/` first" in capsys.readouterr().err


def test_why_names_what_blocks_a_lemma(report, capsys):
    run(report, "why", "demo.top")
    out = capsys.readouterr().out
    assert "rests on demo.base" in out and "Blocked by (unproved, beneath it): demo.base" in out


def test_report_re_renders_status_md(report):
    (report / "STATUS.md").unlink()
    run(report, "report")
    assert "demo.top" in (report / "STATUS.md").read_text()


def test_an_unknown_verb_exits_2(report):
    with pytest.raises(SystemExit) as exit:
        run(report, "prove-everything")
    assert exit.value.code == 2


def test_status_at_80_columns_cuts_no_verdict_and_wraps_long_ids_at_dots_and_underscores(tmp_path, capsys,
                                                                                        monkeypatch):
    long_id = "demo.a_rather_long_lemma_name_that_would_never_fit_in_the_column_of_a_narrow_terminal"
    lemmas = [{**LEMMAS[1], "id": long_id, "status": "refuted", "expected": "refuted", "uses": []},
              {**LEMMAS[0], "status": "conflict", "expected": "conflict"}]
    write_report(build_status(lemmas, {"seed": 0, "git_commit": None, "scale": "default"}), tmp_path)
    monkeypatch.setenv("COLUMNS", "80")
    main(["--report-dir", str(tmp_path), "status"])
    lines = capsys.readouterr().out.splitlines()
    assert max(len(line) for line in lines) <= 80
    cells = [[cell.strip() for cell in line.split("│")[1:-1]] for line in lines if line.startswith("│")]
    assert {"refuted", "conflict"} <= {row[2] for row in cells}
    pieces = [row[0] for row in cells if row[0] and not row[0].startswith("demo.base")]
    assert "".join(pieces) == long_id and len(pieces) > 1 and all(p.endswith(("_", ".")) for p in pieces[:-1])


@pytest.fixture
def broken_run(tmp_path):
    """The report of a run in which one theorems module failed to import."""
    failure = "broken.py: ValueError: a typo (at broken.py:2)"
    write_report(build_status(LEMMAS[1:], {"seed": 0, "git_commit": None, "scale": "default"},
                              collection_errors=[failure]), tmp_path)
    return tmp_path, failure


def test_status_after_a_module_that_did_not_import_names_it_and_exits_1(broken_run, capsys):
    report, failure = broken_run
    assert main(["--report-dir", str(report), "status"]) == 1
    assert failure in capsys.readouterr().err
    assert main(["--report-dir", str(report), "status", "--json"]) == 1
    captured = capsys.readouterr()
    assert failure in captured.err and json.loads(captured.out)["summary"]["collection_errors"] == [failure]
    assert main(["--report-dir", str(report), "status", "broken.anything"]) == 2
    assert f"failed to import in the last run: {failure}" in capsys.readouterr().err


def test_mutate_with_a_module_that_does_not_import_names_it_and_exits_1(broken_run, capsys):
    report, _ = broken_run
    theorems = report / "lemmas_of_a_broken_project"
    theorems.mkdir()
    (theorems / "__init__.py").write_text("")
    (theorems / "typo.py").write_text("from proofs import lemma\n\nraise ValueError('a typo')\n")
    assert main(["--report-dir", str(report), "mutate", "--theorems-dir", str(theorems)]) == 1
    error = capsys.readouterr().err
    assert "typo.py failed to import: ValueError: a typo (at typo.py:3)" in error and "Traceback" not in error


def test_graph_writes_svg_dot_and_graphml(report, capsys):
    assert run(report, "graph") == 0
    assert all((report / name).exists() for name in ("graph.svg", "graph.dot", "graph.graphml"))


def test_graph_draws_the_svg_without_graphviz(report, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path / "nothing"))  # no `dot` anywhere
    assert run(report, "graph") == 0
    svg = (report / "graph.svg").read_text()
    assert 'data-id="demo.base"><a href="index.html#lemma-demo-base">' in svg
    assert 'data-id="demo.top"><a href="index.html#lemma-demo-top">' in svg
    assert '<g class="edge uses"><title>demo.top → demo.base</title>' in svg and '<g class="cluster">' in svg


def test_new_scaffolds_a_lemma_that_runs_and_refuses_bad_names(tmp_path, capsys):
    theorems = tmp_path / "theorems"
    theorems.mkdir()
    assert main(["new", "demo", "first_fact", "--theorems-dir", str(theorems)]) == 0
    assert main(["new", "demo", "second_fact", "--theorems-dir", str(theorems)]) == 0
    text = (theorems / "demo.py").read_text()
    assert text.count("lemma(") == 2 and '"demo.second_fact"' in text
    compile(text, "demo.py", "exec")
    assert main(["new", "demo", "first_fact", "--theorems-dir", str(theorems)]) == 2
    assert main(["new", "Demo", "x", "--theorems-dir", str(theorems)]) == 2
    assert "is not snake_case" in capsys.readouterr().err


@pytest.mark.slow
def test_a_scaffolded_lemma_is_proved_as_is(pytester):
    pytester.mkdir("theorems")
    assert main(["new", "demo", "stand_in", "--theorems-dir", str(pytester.path / "theorems")]) == 0
    result = pytester.runpytest_subprocess("theorems", "-v")
    result.stdout.fnmatch_lines(["*demo.stand_in PROVED*"])


def test_check_runs_one_real_lemma_and_exits_0_when_it_matches(tmp_path, capsys):
    assert main(["--report-dir", str(tmp_path), "check", "context.softmax_threshold"]) == 0
    assert "proved" in capsys.readouterr().out


def test_check_of_an_unknown_lemma_is_a_usage_error(tmp_path, capsys):
    assert main(["--report-dir", str(tmp_path), "check", "context.softmax_thresold"]) == 2
    assert "did you mean 'context.softmax_threshold'" in capsys.readouterr().err


def test_simulate_runs_only_the_simulations_and_refuses_a_lemma_without_one(tmp_path, capsys):
    assert main(["--report-dir", str(tmp_path), "simulate", "context.bounded_logit_attention_cap", "--scale", "default"]) == 0
    out = capsys.readouterr().out
    assert "simulation" in out and "z3" not in out
    assert (tmp_path / "plots").exists()
    assert main(["--report-dir", str(tmp_path), "simulate", "context.softmax_threshold"]) == 2
    assert "has no simulation check" in capsys.readouterr().err
