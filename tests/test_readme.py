"""The README's lemma example runs as written: proved, then refuted when it claims too much."""

import json
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

README = Path(__file__).resolve().parents[1] / "README.md"


def example_code() -> str:
    text = README.read_text()
    match = re.search(r"<!-- example: theorems/mine.py -->\n```python\n(.*?)```", text, re.S)
    assert match, "README.md lost its example block"
    return match.group(1)


def quick_start_lines() -> list[str]:
    block = re.search(r"## Quick start\n\n```\n(.*?)```", README.read_text(), re.S).group(1)
    return [line for line in block.splitlines() if line.strip()]


def test_the_quick_start_has_exactly_two_commands_and_ci_runs_the_second():
    lines = quick_start_lines()
    assert len(lines) == 2 and "pytest theorems/" in lines[0]
    assert lines[1] in (README.parent / ".ci" / "run").read_text()


def test_the_readme_example_is_proved_and_its_overclaiming_twin_refuted(pytester):
    pytester.makepyfile(**{"theorems/mine": example_code()})
    result = pytester.runpytest_subprocess("theorems")
    result.stdout.fnmatch_lines(["*1 proved*"])

    pytester.makepyfile(**{"theorems/mine": example_code().replace("0.5", "0.75")})
    result = pytester.runpytest_subprocess("theorems")
    result.stdout.fnmatch_lines(["*1 refuted*"])
    (lemma,) = json.loads((pytester.path / "reports" / "status.json").read_text())["lemmas"]
    z3_evidence = next(e for e in lemma["evidence"] if e["engine"] == "z3")
    cx = z3_evidence["counterexample"]
    assert set(cx) == {"n", "x"} and all(isinstance(v, (int, float)) for v in cx.values())
    assert cx["x"] / (cx["x"] + cx["n"]) < 0.75 and cx["x"] >= cx["n"] >= 1
