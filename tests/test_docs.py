"""The docs cannot rot: the tutorial runs as written, and real reports match the JSON Schema."""

import json
import re
from pathlib import Path

import jsonschema
import pytest

DOCS = Path(__file__).resolve().parents[1] / "docs"
SCHEMA = json.loads((DOCS / "status.schema.json").read_text())


def tutorial_code() -> str:
    blocks = re.findall(r"<!-- tutorial-code -->\n```python\n(.*?)```", (DOCS / "tutorial.md").read_text(), re.S)
    assert len(blocks) == 5, "the tutorial lost a code block"
    return "\n\n".join(blocks)


@pytest.mark.slow
def test_the_tutorial_runs_as_written_and_its_report_matches_the_schema(pytester):
    pytester.makepyfile(**{"theorems/demo": tutorial_code()})
    result = pytester.runpytest_subprocess("theorems")
    assert result.ret == 0
    document = json.loads((pytester.path / "reports" / "status.json").read_text())
    jsonschema.validate(document, SCHEMA)
    statuses = {l["id"]: l["status"] for l in document["lemmas"]}
    assert statuses == {"demo.more_distractors_less_attention": "proved", "demo.doubling_halves_attention": "refuted",
                        "demo.doubling_at_most_halves_attention": "proved"}
    page = (pytester.path / "reports" / "index.html").read_text()
    # the tutorial's lemmas name no claim: no errata by claim, and the refuted card links its correction
    assert "Errata, by claim" not in page
    refuted = page[page.index('id="lemma-demo-doubling_halves_attention"'):]
    assert '<strong>Corrected by →</strong> <a href="#lemma-demo-doubling_at_most_halves_attention">' in refuted


def test_a_report_with_every_status_matches_the_schema(every_status_document):
    jsonschema.validate(every_status_document, SCHEMA)


def test_the_schema_rejects_a_report_with_an_unknown_status(every_status_document):
    broken = json.loads(json.dumps(every_status_document))
    broken["lemmas"][0]["status"] = "probably"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, SCHEMA)


def test_every_doc_the_tutorial_links_to_exists():
    for target in re.findall(r"\]\(([a-z_.]+\.(?:md|json))\)", (DOCS / "tutorial.md").read_text()):
        assert (DOCS / target).exists(), target


def own_project_steps():
    text = (DOCS / "own-project.md").read_text()
    return re.findall(r"<!-- own-project-(shell|code: [^ ]+) -->\n```[a-z]*\n(.*?)```", text, re.S)


@pytest.mark.slow
def test_the_own_project_page_runs_as_written_in_a_new_folder(pytester):
    import sys

    steps = own_project_steps()
    assert [kind.split(":")[0] for kind, _ in steps] == ["shell", "code", "shell", "shell"]
    for kind, body in steps:
        if kind.startswith("code: "):
            (pytester.path / kind.removeprefix("code: ")).write_text(body)
            continue
        for command in body.strip().splitlines():
            words = command.split()
            if words[0] == "pytest":
                result = pytester.runpytest_subprocess(*words[1:])
                assert result.ret == 0, result.stdout.str()
                result.stdout.fnmatch_lines(["*2 proved*"])
            else:
                assert words[:3] == ["python", "-m", "proofs"]
                result = pytester.run(sys.executable, "-m", "proofs", *words[3:])
                assert result.ret == 0, (command, result.stdout.str(), result.stderr.str())
    document = json.loads((pytester.path / "reports" / "status.json").read_text())
    statuses = {l["id"]: l["status"] for l in document["lemmas"] if l["kind"] != "axiom"}
    assert statuses == {"example.squares_are_non_negative": "proved", "averages.am_gm_two": "proved",
                        "averages.mean_below_min": "refuted"}
    am_gm = next(l for l in document["lemmas"] if l["id"] == "averages.am_gm_two")
    assert am_gm["fully_proved"] and am_gm["audit"]["axioms"] == ["averages.squares_are_non_negative"]
    refuted = next(l for l in document["lemmas"] if l["id"] == "averages.mean_below_min")
    assert any("exceeds the smaller" in e["facts"].get("sentence", "") for e in refuted["evidence"])
    assert (pytester.path / "theorems" / "statements.lock.json").exists()
    jsonschema.validate(document, SCHEMA)
