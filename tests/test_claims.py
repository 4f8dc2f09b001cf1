"""The claims table tells the truth: a claim's verdict, in its own vocabulary, derived from the
lemmas of its literal readings and clauses (proofs/claims.py), the summary and the page's first
line; the loader names the entry and field of every malformed claims file; the errata verb."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from proofs import claims as claim_data
from proofs.errors import ConfigError
from proofs.report import build_status, render_html, write_report
from proofs.report.errata import errata_entries, render_markdown, render_tex, tex, write_errata
from proofs.report.page import claims_headline

from conftest import lemma_record

REPOSITORY = Path(__file__).resolve().parents[1]
PROVENANCE = {"seed": 0, "git_commit": None, "scale": "default"}

# One claim of each verdict. Every choice names its words; the verdicts are never typed in.
PLANTED = '''
[[claim]]
id = "P-1"
section = "§1"
wording = "For every x ≥ 0: x² ≥ 0."
provenance = "[S]"
nature = "theorem"
headline = "demo.holds"
choices = [{ choice = "x real", words = "for every x ≥ 0" }]

[[claim]]
id = "P-2"
section = "§1"
wording = "A bound that is only tested."
provenance = "[S]"
nature = "theorem"
headline = "demo.tested"
choices = [{ choice = "as written", words = "a bound" }]

[[claim]]
id = "P-3"
section = "§2"
name = "An overclaim"
wording = "Doubling the distractors at least halves the attention; 50 % & {more} in $\\\\frac{1}{2}$ of 𝒮."
provenance = "[S]"
nature = "theorem"
headline = "demo.fails"
choices = [{ choice = "every number of distractors", words = "doubling the distractors" }]

[[claim]]
id = "P-4"
section = "§2"
wording = "The margin requires Θ(ln N)."
provenance = "[S]"
nature = "theorem"
headline = "demo.depends_worst_case"
choices = [{ choice = "the worst case over rows", words = "requires" }]
readings = [{ lemma = "demo.depends_per_row", reading = "a necessary condition on every row" }]

[[claim]]
id = "P-5"
section = "§3"
wording = "More than half of the facts are outdated within 6 months."
provenance = "[S]"
nature = "empirical"
model = "demo.model"

[[claim]]
id = "P-6"
section = "§3"
wording = "ℒ(θ) = −Σ_t log p_θ(x_t | x_<t)."
provenance = "[S]"
nature = "definition"
headline = "demo.definition"
choices = [{ choice = "a sum over tokens", words = "−Σ_t" }]

[[claim]]
id = "P-7"
section = "§3"
wording = "A claim the engines could not decide."
provenance = "[S]"
nature = "theorem"
headline = "demo.unknown"
choices = [{ choice = "as written", words = "a claim" }]
'''

LEMMAS = {  # lemma id: (claim, status)
    "demo.holds": ("P-1", "proved"), "demo.tested": ("P-2", "tested"), "demo.fails": ("P-3", "refuted"),
    "demo.depends_worst_case": ("P-4", "proved"), "demo.depends_per_row": ("P-4", "refuted"),
    "demo.model": ("P-5", "proved"), "demo.definition": ("P-6", "proved"), "demo.unknown": ("P-7", "unknown"),
}


def record(lemma_id, claim, status, **extra):
    entry = lemma_record(lemma_id, status, counterexample={"x": 3, "n": 2} if status == "refuted" else None, **extra)
    entry["claim_ref"] = claim
    if status == "refuted":
        entry["variables"] = {"x": "the number of distractors", "n": "the doubling"}
        entry["evidence"][0]["facts"] = {"sentence": "with 2 distractors doubled, attention falls by only a third"}
    return entry


def planted_records():
    records = [record(i, c, s) for i, (c, s) in LEMMAS.items()]
    records.append(record("demo.fix", "P-3", "proved", kind="correction", corrects="demo.fails",
                          statement="Doubling the distractors lowers the attention by at most half."))
    records.append(record("demo.variant", "P-3", "proved", statement="a variant that adds a hypothesis"))
    return records


@pytest.fixture
def planted(tmp_path):
    path = tmp_path / "claims.toml"
    path.write_text(PLANTED)
    return build_status(planted_records(), PROVENANCE, claims=claim_data.load(path),
                        project={"title": "Planted claims"})


def by_id(document):
    return {c["id"]: c for c in document["claims"]}


def test_each_claim_gets_the_verdict_its_evidence_supports(planted):
    verdicts = {i: c["verdict"] for i, c in by_id(planted).items()}
    assert verdicts == {"P-1": "holds", "P-2": "tested", "P-3": "fails", "P-4": "depends", "P-5": "empirical",
                        "P-6": "definition", "P-7": "undecided"}


def test_a_failing_claim_names_its_correction_and_a_variant_never_decides(planted):
    fails = by_id(planted)["P-3"]
    assert fails["correction"] == "demo.fix" and fails["corrections"] == ["demo.fix"]
    variant = next(r for r in fails["readings"] if r["id"] == "demo.variant")
    assert variant == {**variant, "literal": False, "clause": None, "verdict": "holds"}  # proved, yet it fails


def test_depends_lists_every_literal_reading_with_its_verdict(planted):
    readings = {r["id"]: (r["verdict"], r["literal"]) for r in by_id(planted)["P-4"]["readings"]}
    assert readings == {"demo.depends_worst_case": ("holds", True), "demo.depends_per_row": ("fails", True)}


def test_an_empirical_claim_shows_its_model_beside_it_never_as_its_proof(planted):
    empirical = by_id(planted)["P-5"]
    assert empirical["model_verdict"] == "proved" and empirical["verdict"] == "empirical"
    assert empirical["headline"] is None and "never as its proof" in empirical["verdict_reason"]


def test_a_definition_shows_its_well_formedness_check(planted):
    definition = by_id(planted)["P-6"]
    assert definition["headline_status"] == "proved" and "well-formedness" in definition["verdict_reason"]
    assert definition["problems"] == []
    broken = verdict_of(clause_claim(nature="definition"), [record("demo.holds", "P-9", "refuted")])
    assert broken["verdict"] == "definition" and "is refuted" in broken["problems"][0]


def test_the_summary_counts_claims_by_verdict_and_nature_with_denominators(planted):
    summary = planted["summary"]["claims"]
    assert summary["by_verdict"] == {"holds": 1, "tested": 1, "fails": 1, "depends": 1, "empirical": 1,
                                     "definition": 1, "undecided": 1}
    assert summary["by_nature"] == {"theorem": 5, "definition": 1, "empirical": 1}
    assert summary["theorem_like"] == 5 and summary["total"] == 7
    assert summary["fails_with_correction"] == 1 and summary["fails_without_correction"] == []


FIRST_LINE = ("Of the 5 theorem-like claims, 1 of 5 holds as stated, 1 of 5 fails, 1 of 5 depends on the reading, "
              "1 of 5 is only tested and 1 of 5 is undecided. The other 2 of 7 claims are 1 empirical (not for "
              "mathematics to decide) and 1 definition.")


def test_the_pages_first_line_states_how_many_theorem_like_claims_hold_fail_or_depend(planted):
    assert claims_headline(planted) == FIRST_LINE
    page = render_html(planted)
    first = re.search(r"<h1>.*?</h1>\s*<p[^>]*>(.*?)</p>", page, re.S).group(1)
    assert re.sub(r"<[^>]+>", "", first) == FIRST_LINE


def test_the_claims_table_shows_the_claim_verdict_and_why_this_reading(planted):
    page = render_html(planted)
    table = page[page.index('<table class="claims">'):page.index("</section>", page.index('<table class="claims">'))]
    for claim, verdict in (("P-1", "holds"), ("P-3", "fails"), ("P-4", "depends"), ("P-5", "empirical")):
        row = table[table.index(f'id="claim-{claim}"'):]
        row = row[:row.index("</tr>")]
        assert f'class="status v-{verdict}"' in row, claim
    assert "why this reading" in table and "<td>“for every x ≥ 0”</td>" in table


def test_without_a_claims_file_there_is_no_claims_headline_or_summary(every_status_document):
    assert claims_headline(every_status_document) is None
    assert "judged as their words state them" not in render_html(every_status_document)


def clause_claim(**fields):
    base = dict(id="P-9", section="§9", wording="w", provenance="[S]", nature="theorem", headline="demo.holds",
                choices=(claim_data.Choice("c", "w"),))
    return claim_data.ClaimEntry(**{**base, **fields})


def verdict_of(claim, records):
    (joined,) = claim_data.join([claim], build_status(records, PROVENANCE)["lemmas"])
    return joined


@pytest.mark.parametrize("status", ["error", "conflict", "vacuous", "unknown", "timeout"])
def test_a_broken_or_undecided_literal_reading_leaves_the_claim_undecided(status):
    joined = verdict_of(clause_claim(), [record("demo.holds", "P-9", status)])
    assert joined["verdict"] == "undecided" and status in joined["readings"][0]["why"]


def test_proved_but_resting_on_an_unproved_lemma_is_only_tested():
    records = [record("demo.holds", "P-9", "proved", uses=["demo.base"]), record("demo.base", "P-9", "tested")]
    assert verdict_of(clause_claim(), records)["verdict"] == "tested"


def test_a_clause_without_a_lemma_keeps_the_claim_from_holding():
    claim = clause_claim(clauses=(claim_data.Clause("first", "demo.holds"),
                                  claim_data.Clause("second", None, note="no lemma yet")))
    joined = verdict_of(claim, [record("demo.holds", "P-9", "proved")])
    assert joined["verdict"] == "undecided" and [c["covered"] for c in joined["clauses"]] == [True, False]


def test_an_empirical_clause_is_shown_with_its_model_and_decides_nothing():
    claim = clause_claim(clauses=(claim_data.Clause("formal", "demo.holds"),
                                  claim_data.Clause("a measured figure", "demo.model", nature="empirical")))
    joined = verdict_of(claim, [record("demo.holds", "P-9", "proved"), record("demo.model", "P-9", "refuted")])
    assert joined["verdict"] == "holds" and joined["clauses"][1]["verdict"] == "empirical"
    assert "1 empirical clause" in joined["verdict_reason"]


def test_a_literal_reading_without_a_lemma_never_holds_through_the_closest_one():
    joined = verdict_of(clause_claim(literal_missing="SNR was never defined"), [record("demo.holds", "P-9", "proved")])
    assert joined["verdict"] == "undecided" and joined["literal"] is False
    assert "SNR was never defined" in joined["readings"][0]["why"]


def test_a_refuted_reading_beside_an_undecided_one_is_undecided_not_fails():
    claim = clause_claim(headline="demo.fails", readings=(claim_data.Reading("another", None),))
    assert verdict_of(claim, [record("demo.fails", "P-9", "refuted")])["verdict"] == "undecided"


def test_a_refuted_reading_beside_a_measured_fact_depends_on_the_reading():
    claim = clause_claim(headline="demo.fails", readings=(claim_data.Reading("unpacked", "demo.model", "empirical"),))
    records = [record("demo.fails", "P-9", "refuted"), record("demo.model", "P-9", "tested")]
    assert verdict_of(claim, records)["verdict"] == "depends"


def test_a_headline_that_is_not_in_the_report_is_a_problem_and_undecided():
    joined = verdict_of(clause_claim(headline="demo.missing"), [record("demo.holds", "P-9", "proved")])
    assert joined["verdict"] == "undecided" and any("demo.missing" in p for p in joined["problems"])


# --- the loader: every malformed field is named with its entry -----------------------------------

GOOD = '''[[claim]]
id = "P-1"
section = "§1"
wording = "w"
provenance = "[S]"
nature = "theorem"
headline = "demo.holds"
choices = [{ choice = "c", words = "w" }]
'''


@pytest.mark.parametrize("change, field", [
    (lambda t: t.replace('nature = "theorem"\n', ""), "nature=None"),
    (lambda t: t.replace('nature = "theorem"', 'nature = "lemma"'), "nature='lemma'"),
    (lambda t: t.replace('headline = "demo.holds"\n', ""), "headline is missing"),
    (lambda t: t.replace('headline = "demo.holds"', 'headline = "Demo Holds"'), "headline='Demo Holds'"),
    (lambda t: t.replace('choices = [{ choice = "c", words = "w" }]', "choices = []"), "choices is empty"),
    (lambda t: t.replace('choices = [{ choice = "c", words = "w" }]', 'choices = [{ choice = "c" }]'), "choices[1].words"),
    (lambda t: t.replace('words = "w" }', 'words = "w", why = "x" }'), "choices[1] has unknown key(s) ['why']"),
    (lambda t: t.replace('choices = [{ choice = "c", words = "w" }]', 'choices = "c"'), "choices='c' should be a list"),
    (lambda t: t + 'readings = [{ lemma = "demo.other" }]\n', "readings[1].reading"),
    (lambda t: t + 'readings = [{ lemma = "x", reading = "r" }]\n', "readings[1].lemma='x'"),
    (lambda t: t + 'readings = [{ reading = "r", nature = "guess" }]\n', "readings[1].nature='guess'"),
    (lambda t: t + 'readings = [{ lemma = "demo.holds", reading = "r" }]\n', "named as more than one reading"),
    (lambda t: t + 'literal_missing = 3\n', "literal_missing=3 should be a str"),
    (lambda t: t + 'model = "demo.model"\n', "model='demo.model' is for empirical claims"),
    (lambda t: t + 'verdict = "holds"\n', "unknown field(s) ['verdict']"),
    (lambda t: t + '[[claim.clauses]]\nwords = "c"\n', "clauses[1] has no lemma"),
    (lambda t: t + '[[claim.clauses]]\nwords = "c"\nlemma = "demo.other"\n', "is the lemma of none of the clauses"),
    (lambda t: t + '[[claim.clauses]]\nwords = "c"\nlemma = "demo.holds"\nhow = "x"\n', "clauses[1] has unknown key(s)"),
    (lambda t: t + '[[claim.clauses]]\nlemma = "demo.holds"\n', "clauses[1].words"),
    (lambda t: t + '[[claim.clauses]]\nwords = "c"\nlemma = "demo.holds"\nnature = "empirical"\n', "every clause is empirical"),
    (lambda t: t + 'readings = [{ lemma = "demo.b", reading = "r" }]\n[[claim.clauses]]\nwords = "c"\nlemma = "demo.holds"\n',
     "readings and clauses together"),
    (lambda t: t.replace('nature = "theorem"', 'nature = "definition"') + 'literal_missing = "x"\n',
     "literal_missing is for theorem-like claims"),
    (lambda t: t.replace('nature = "theorem"', 'nature = "empirical"'), "headline is for theorem-like claims"),
    (lambda t: t.replace('nature = "theorem"', 'nature = "empirical"').replace('headline = "demo.holds"\n', "")
     + '[[claim.clauses]]\nwords = "c"\nlemma = "demo.holds"\n', "clauses of an empirical claim are empirical"),
])
def test_the_loader_names_the_entry_and_field_of_a_malformed_claim(tmp_path, change, field):
    assert claim_data.load(_written(tmp_path, GOOD))  # the unchanged entry loads
    with pytest.raises(ConfigError) as raised:
        claim_data.load(_written(tmp_path, change(GOOD)))
    assert "entry 1 (P-1)" in str(raised.value) and field in str(raised.value), str(raised.value)


def _written(tmp_path, text):
    path = tmp_path / "claims.toml"
    path.write_text(text)
    return path


# --- this project's claims file --------------------------------------------------------------------

def declared_lemmas():
    ids = set()
    for module in (REPOSITORY / "theorems").rglob("*.py"):
        ids |= set(re.findall(r"\b(?:lemma|axiom)\(\s*\"([a-z][a-z0-9_]*\.[a-z][a-z0-9_]*)\"", module.read_text()))
    return ids


def test_every_claim_of_this_project_has_a_nature_and_names_lemmas_that_exist():
    claims = claim_data.load(REPOSITORY / "claims" / "claims.toml")
    declared = declared_lemmas()
    assert len(claims) == 39 and len(declared) > 100
    for claim in claims:
        named = {claim.headline, claim.model} | {r.lemma for r in claim.readings} | {
            l for c in claim.clauses for l in [c.lemma, *(r.lemma for r in c.readings)]}
        assert named - {None} <= declared, (claim.id, sorted(named - {None} - declared))
    nature = {c.id: c.nature for c in claims}
    assert {nature[i] for i in ("E-10", "E-24", "E-39")} == {"empirical"}  # issue 19's findings
    assert next(c for c in claims if c.id == "E-16").headline == "context.positional_undertraining_shared"
    assert len(next(c for c in claims if c.id == "E-17").clauses) == 2


# --- errata ------------------------------------------------------------------------------------------

def test_errata_have_one_section_per_claim_that_fails_or_depends(planted, tmp_path):
    written = write_errata(planted, tmp_path, claims_headline(planted))
    assert [p.name for p in written] == ["errata.md", "errata.tex"]
    noted = sorted(c["id"] for c in planted["claims"] if c["verdict"] in ("fails", "depends"))
    assert [e.claim["id"] for e in errata_entries(planted)] == noted == ["P-3", "P-4"]
    texfile = (tmp_path / "errata.tex").read_text()
    assert len(re.findall(r"\\section\*\{", texfile)) == len(noted)
    for claim in noted:
        assert len(re.findall(r"\\section\*\{" + claim + ":", texfile)) == 1
    markdown = (tmp_path / "errata.md").read_text()
    assert len(re.findall(r"^## ", markdown, re.M)) == len(noted)


def test_an_erratum_gives_the_words_the_reading_the_counterexample_and_the_correction(planted):
    markdown = render_markdown(planted, None)
    section = markdown[markdown.index("## P-3"):markdown.index("## P-4")]
    assert "Doubling the distractors at least halves the attention" in section
    assert "| `x` | 3 | the number of distractors |" in section  # plain numbers, with their meaning
    assert "with 2 distractors doubled, attention falls by only a third" in section
    assert "**What holds instead** (`demo.fix`, proved" in section
    assert "from the words “doubling the distractors”" in section
    depends = markdown[markdown.index("## P-4"):]
    assert "`demo.depends_worst_case` (proved): holds" in depends and "`demo.depends_per_row` (refuted): fails" in depends


def test_tex_escapes_specials_maps_unicode_and_keeps_only_math_it_knows():
    assert tex("50 % & #1 {x} ~ a_b") == r"50 \% \& \#1 \{x\} \textasciitilde{} a\_b"
    assert tex("∀ x ≥ 0") == r"\ensuremath{\forall} x \ensuremath{\geq} 0"
    assert tex("10⁻⁴ and x₀") == r"10\ensuremath{^{-4}} and x\ensuremath{_{0}}"
    assert tex(r"$\frac{1}{2}$") == r"$\frac{1}{2}$"
    assert tex(r"$\weird{x}$") == r"\$\textbackslash{}weird\{x\}\$"  # an unknown command is shown as typed
    assert tex(r"$\frac{1}{2$") == r"\$\textbackslash{}frac\{1\}\{2\$"  # unbalanced braces too


PDFLATEX = shutil.which("pdflatex")


@pytest.mark.skipif(PDFLATEX is None, reason="pdflatex is not installed (Debian: apt install texlive-latex-base)")
def test_the_errata_note_compiles_with_pdflatex(planted, tmp_path):
    write_errata(planted, tmp_path, claims_headline(planted))
    result = subprocess.run([PDFLATEX, "-interaction=nonstopmode", "-halt-on-error", "errata.tex"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-3000:]
    assert (tmp_path / "errata.pdf").stat().st_size > 1000


@pytest.mark.skipif(PDFLATEX is None, reason="pdflatex is not installed (Debian: apt install texlive-latex-base)")
def test_the_errata_of_this_projects_words_compile(tmp_path):
    """Every wording, choice and clause of the real claims file, as the errata would print them."""
    claims = claim_data.load(REPOSITORY / "claims" / "claims.toml")
    body = []
    for claim in claims:
        texts = [claim.wording, claim.name, claim.headline_why, claim.literal_missing] + [
            f"{c.choice} {c.words}" for c in claim.choices] + [
            f"{c.words} {c.note}" for c in claim.clauses] + [r.reading for r in claim.readings]
        body += [r"\section*{" + tex(claim.id) + "}"] + [tex(t) + "\n" for t in texts if t]
    document = render_tex({"lemmas": [], "claims": [], "project": {"title": "t"}}, None)
    (tmp_path / "words.tex").write_text(document.replace(r"\end{document}", "\n".join(body) + "\n\\end{document}"))
    result = subprocess.run([PDFLATEX, "-interaction=nonstopmode", "-halt-on-error", "words.tex"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "[u+" not in (tmp_path / "words.tex").read_text()  # every character of the words is mapped


def test_the_errata_verb_writes_both_files_and_refuses_a_report_without_claims(planted, every_status_document,
                                                                             tmp_path, capsys):
    from proofs.__main__ import main

    write_report(planted, tmp_path / "with")
    assert main(["--report-dir", str(tmp_path / "with"), "errata"]) == 0
    assert (tmp_path / "with" / "errata.md").exists() and (tmp_path / "with" / "errata.tex").exists()
    write_report(every_status_document, tmp_path / "without")
    assert main(["--report-dir", str(tmp_path / "without"), "errata"]) == 2
    assert "no claims" in capsys.readouterr().err
    assert json.loads((tmp_path / "with" / "status.json").read_text())["claims"][2]["verdict"] == "fails"
