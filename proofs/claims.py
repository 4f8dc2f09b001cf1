"""The claims a project's lemmas encode, as data: a TOML file named by `[tool.proofs] claims`.

A claim's verdict is about the claim, in its own vocabulary (`VERDICTS`), derived from the
evidence of the lemmas the claims file names, never typed in. Each entry says what the claim
is (`nature`), which lemma is its *literal* reading (`headline`: it adds no hypothesis,
restriction, quantifier, model or decoder that the words do not state), which words each
interpretation choice of that reading comes from (`choices`), the other readings that are
equally literal (`readings`), and, for a claim of several clauses, the lemma covering each::

    [[claim]]
    id = "E-19"
    section = "§3 Long-context compression"
    kind = "lemma"                       # as the paper labels it: theorem, lemma, equation, claim, …
    location = "§3, Lemma 4"
    name = "AM–GM for two numbers"
    wording = "For non-negative a, b: (a + b)/2 ≥ √(ab)."
    provenance = "[S] G1, G2"            # how the wording was recovered
    sources = ["G1", "G2"]
    nature = "theorem"                   # theorem, definition or empirical, decided from the words
    headline = "averages.am_gm_two"      # the literal reading (theorem) or the well-formedness check (definition)
    headline_why = "the squared form is the same statement on the stated domain"
    choices = [{ choice = "a, b real", words = "non-negative a, b" }]
    readings = [{ lemma = "averages.am_gm_other", reading = "…" }]   # equally literal readings, if any
    # clauses = [{ words = "…", lemma = "…" }, { words = "…", nature = "empirical", lemma = "…" }]
    # literal_missing = "…"             # the literal reading has no lemma; the headline is the closest
    # model = "…"                        # empirical claims only: the lemma that models the mechanism
    correction_note = ""                 # when it fails with no correction: why none is needed

Loading validates every entry and names the entry and field at fault. `join` gives each claim
its verdict (DESIGN.md, "Claims, interpretations and corrections"):

| verdict | when |
| --- | --- |
| `holds` | nature theorem; every clause's literal readings are fully proved (modulo cited axioms) |
| `tested` | no literal reading fails or is undecided, but one is not fully proved |
| `fails` | a literal reading of a clause is refuted and no equally literal reading of it holds |
| `depends` | equally literal readings of a clause disagree (one fails, another holds, is tested or is a measured fact) |
| `empirical` | nature empirical; its model lemma's status is `model_verdict`, never the claim's proof |
| `definition` | nature definition; its well-formedness check's status is `headline_status` |
| `undecided` | a literal reading is unknown, timed out, not encoded, or its evidence is broken |

A lemma's status maps to a reading's verdict as follows: proved and fully proved gives holds;
proved but resting on an unproved lemma, or tested, gives tested; refuted gives fails; unknown,
timeout, error, conflict and vacuous give undecided (an error or a conflict says nothing about
the claim, and a vacuous reading is true of nothing, so none of them may count for or against
it); a lemma missing from the report, or a reading not encoded, gives undecided. Across
clauses the weakest wins: fails, then depends, undecided, tested, holds. A clause of nature
empirical inside a theorem-like claim is shown with its model's status and never decides.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping

from proofs.errors import ConfigError
from proofs.records import ID_PATTERN
from proofs.status import Status

NATURES = ("theorem", "definition", "empirical")
VERDICTS = ("holds", "tested", "fails", "depends", "empirical", "definition", "undecided")
# what each verdict means (the page's legend and `docs/statuses.md` say the same) and its colour
VERDICT_INFO: Mapping[str, tuple[str, str]] = {
    "holds": ("the literal reading is fully proved, modulo cited axioms, and every clause is covered", "#2e7d32"),
    "tested": ("the literal reading found no counterexample, but is not fully proved", "#9ccc65"),
    "fails": ("the literal reading is refuted; the correction states what holds instead", "#c62828"),
    "depends": ("equally literal readings disagree; each is listed with its verdict", "#ef6c00"),
    "empirical": ("a measured fact or a remark: mathematics cannot decide it; its model is context", "#1565c0"),
    "definition": ("nothing to prove; its well-formedness is checked", "#546e7a"),
    "undecided": ("the literal reading is unknown, timed out, broken or not encoded yet", "#9e9e9e"),
}
# the order in which clause verdicts combine: the first present wins
WEAKEST_FIRST = ("fails", "depends", "undecided", "tested", "holds")

REQUIRED = {"id": str, "section": str, "wording": str, "provenance": str, "nature": str}
OPTIONAL = {"kind": str, "location": str, "name": str, "sources": list, "headline": str, "headline_why": str,
            "correction_note": str, "notes": str, "choices": list, "readings": list, "clauses": list,
            "literal_missing": str, "model": str}
CHOICE_KEYS = {"choice": True, "words": True}  # key: required
READING_KEYS = {"lemma": False, "reading": True, "nature": False}
CLAUSE_KEYS = {"words": True, "lemma": False, "readings": False, "nature": False, "note": False}
CLAIM_ID = re.compile(r"^[A-Za-z][A-Za-z0-9]*-\d+$")


@dataclass(frozen=True, slots=True)
class Choice:
    """One interpretation choice of the headline reading, and the words it comes from."""
    choice: str
    words: str


@dataclass(frozen=True, slots=True)
class Reading:
    """A reading as literal as the clause's own lemma: its lemma (None when not encoded yet), what
    it takes the words to mean, and `empirical` when that reading is a measured fact."""
    reading: str
    lemma: str | None = None
    nature: str = "theorem"


@dataclass(frozen=True, slots=True)
class Clause:
    """One clause of a claim: its words, the lemma of its literal reading (or, for an empirical
    clause, its model), the other equally literal readings, and why it is uncovered if it is."""
    words: str
    lemma: str | None = None
    readings: tuple[Reading, ...] = ()
    nature: str = "theorem"
    note: str = ""


@dataclass(frozen=True, slots=True)
class ClaimEntry:
    id: str
    section: str
    wording: str
    provenance: str
    kind: str = ""
    location: str = ""
    name: str = ""
    sources: tuple[str, ...] = ()
    headline: str | None = None
    headline_why: str = ""
    correction_note: str = ""
    notes: str = ""
    nature: str = "theorem"
    choices: tuple[Choice, ...] = ()
    readings: tuple[Reading, ...] = ()
    clauses: tuple[Clause, ...] = ()
    literal_missing: str = ""
    model: str | None = None

    def clause_list(self) -> tuple[Clause, ...]:
        """The clauses as declared, or the whole wording as one clause read by the headline."""
        if self.clauses:
            return self.clauses
        if self.nature == "empirical":
            return (Clause(self.wording, self.model, (), "empirical"),)
        return (Clause(self.wording, self.headline, self.readings),)


def _table_list(where: str, field: str, value: Any, keys: Mapping[str, bool]) -> list[dict[str, Any]]:
    """A list of TOML tables with only `keys` (True: required and non-empty)."""
    if not isinstance(value, list):
        raise ConfigError(f"{where}: {field}={value!r} should be an array of tables")
    tables = []
    for number, item in enumerate(value, start=1):
        at = f"{where}: {field}[{number}]"
        if not isinstance(item, dict):
            raise ConfigError(f"{at}={item!r} should be a table with {sorted(keys)}")
        unknown = sorted(set(item) - set(keys))
        if unknown:
            raise ConfigError(f"{at} has unknown key(s) {unknown}; allowed: {sorted(keys)}")
        for key, required in keys.items():
            if required and (not isinstance(item.get(key), str) or not item[key].strip()):
                raise ConfigError(f"{at}.{key}={item.get(key)!r}; every entry needs a non-empty {key}")
        tables.append(item)
    return tables


def _lemma_id(where: str, value: Any) -> str:
    if not isinstance(value, str) or not ID_PATTERN.match(value):
        raise ConfigError(f"{where}={value!r} is not a lemma id; expected 'family.snake_case_name'")
    return value


def _nature(where: str, value: Any, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise ConfigError(f"{where}={value!r}; allowed: {', '.join(allowed)}")
    return value


def _readings(where: str, value: Any) -> tuple[Reading, ...]:
    readings = []
    for number, item in enumerate(_table_list(where, "readings", value, READING_KEYS), start=1):
        at = f"{where}: readings[{number}]"
        lemma = _lemma_id(f"{at}.lemma", item["lemma"]) if "lemma" in item else None
        nature = _nature(f"{at}.nature", item.get("nature", "theorem"), ("theorem", "empirical"))
        readings.append(Reading(item["reading"], lemma, nature))
    return tuple(readings)


def _clauses(where: str, value: Any) -> tuple[Clause, ...]:
    clauses = []
    for number, item in enumerate(_table_list(where, "clauses", value, CLAUSE_KEYS), start=1):
        at = f"{where}: clauses[{number}]"
        lemma = _lemma_id(f"{at}.lemma", item["lemma"]) if "lemma" in item else None
        nature = _nature(f"{at}.nature", item.get("nature", "theorem"), ("theorem", "empirical"))
        readings = _readings(at, item["readings"]) if "readings" in item else ()
        note = item.get("note", "")
        if not isinstance(note, str):
            raise ConfigError(f"{at}.note={note!r} should be a string")
        if lemma is None and not readings and not note.strip():
            raise ConfigError(f"{at} has no lemma: name the lemma covering it, or say in `note` why none does")
        if nature == "empirical" and readings:
            raise ConfigError(f"{at}: an empirical clause has a model (`lemma`), not readings")
        clauses.append(Clause(item["words"], lemma, readings, nature, note))
    return tuple(clauses)


def _entry(where: str, entry: Mapping[str, Any]) -> ClaimEntry:
    nature = _nature(f"{where}: nature", entry["nature"], NATURES)
    headline = _lemma_id(f"{where}: headline", entry["headline"]) if "headline" in entry else None
    model = _lemma_id(f"{where}: model", entry["model"]) if "model" in entry else None
    choices = tuple(Choice(c["choice"], c["words"])
                    for c in _table_list(where, "choices", entry.get("choices", []), CHOICE_KEYS))
    readings = _readings(where, entry["readings"]) if "readings" in entry else ()
    clauses = _clauses(where, entry["clauses"]) if "clauses" in entry else ()
    literal_missing = entry.get("literal_missing", "")
    if nature == "empirical":
        for key in ("headline", "readings", "literal_missing"):
            if key in entry:
                raise ConfigError(f"{where}: {key} is for theorem-like claims and definitions; an empirical claim "
                                  f"has no literal reading to prove: name the lemma that models it in `model`")
        if any(c.nature != "empirical" for c in clauses):
            raise ConfigError(f"{where}: clauses of an empirical claim are empirical too (nature = \"empirical\")")
        return ClaimEntry(**_plain(entry), nature=nature, choices=choices, clauses=clauses, model=model)
    if model is not None:
        raise ConfigError(f"{where}: model={model!r} is for empirical claims; a {nature} names its lemma in headline")
    if headline is None:
        what = "literal reading" if nature == "theorem" else "well-formedness check"
        raise ConfigError(f"{where}: headline is missing; a {nature} names the lemma of its {what}")
    if not choices:
        raise ConfigError(f"{where}: choices is empty; record each interpretation choice of the headline and "
                          f"the words it comes from ({{ choice = \"…\", words = \"…\" }})")
    if literal_missing and nature != "theorem":
        raise ConfigError(f"{where}: literal_missing is for theorem-like claims")
    if readings and clauses:
        raise ConfigError(f"{where}: readings and clauses together; with clauses, list each clause's equally "
                          f"literal readings in the clause")
    if clauses:
        if nature == "theorem" and all(c.nature == "empirical" for c in clauses):
            raise ConfigError(f"{where}: every clause is empirical; then the claim's nature is empirical")
        if headline not in {c.lemma for c in clauses}:
            raise ConfigError(f"{where}: headline {headline!r} is the lemma of none of the clauses; the headline "
                              f"is the literal reading of one of them")
    named = [headline] + [r.lemma for r in readings if r.lemma] + [
        l for c in clauses for l in [c.lemma, *(r.lemma for r in c.readings)] if l and l != headline]
    twice = sorted({l for l in named if named.count(l) > 1})
    if twice:
        raise ConfigError(f"{where}: lemma(s) {twice} named as more than one reading")
    return ClaimEntry(**_plain(entry), nature=nature, choices=choices, readings=readings, clauses=clauses,
                 literal_missing=literal_missing, model=model)


def _plain(entry: Mapping[str, Any]) -> dict[str, Any]:
    structured = {"nature", "choices", "readings", "clauses", "literal_missing", "model"}
    return {**{k: v for k, v in entry.items() if k not in structured}, "sources": tuple(entry.get("sources", ()))}


def load(path: Path) -> list[ClaimEntry]:
    """Every claim in the file, in file order; a malformed entry is a ConfigError naming it."""
    try:
        document = tomllib.loads(path.read_text())
    except (OSError, tomllib.TOMLDecodeError) as problem:
        raise ConfigError(f"claims file {path} cannot be read as TOML: {problem}") from None
    entries = document.get("claim")
    if not isinstance(entries, list) or not entries:
        raise ConfigError(f"claims file {path} has no [[claim]] entries")
    claims, seen = [], set()
    for number, entry in enumerate(entries, start=1):
        where = f"claims file {path}, entry {number} ({entry.get('id', 'no id')})"
        for key, kind in REQUIRED.items():
            if not isinstance(entry.get(key), kind) or not str(entry.get(key)).strip():
                raise ConfigError(f"{where}: {key}={entry.get(key)!r}; every claim needs a non-empty {key}"
                                  + (f" ({', '.join(NATURES)})" if key == "nature" else ""))
        unknown = sorted(set(entry) - set(REQUIRED) - set(OPTIONAL))
        if unknown:
            raise ConfigError(f"{where}: unknown field(s) {unknown}; allowed: {sorted({**REQUIRED, **OPTIONAL})}")
        for key, kind in OPTIONAL.items():
            if key in entry and not isinstance(entry[key], kind):
                raise ConfigError(f"{where}: {key}={entry[key]!r} should be a {kind.__name__}")
        if not CLAIM_ID.match(entry["id"]):
            raise ConfigError(f"{where}: id={entry['id']!r} is malformed; expected e.g. 'E-07'")
        if entry["id"] in seen:
            raise ConfigError(f"{where}: id {entry['id']!r} appears twice")
        seen.add(entry["id"])
        claims.append(_entry(where, entry))
    return claims


# ---------------------------------------------------------------------------------------------
# Verdicts


def reading_verdict(lemma: Mapping[str, Any] | None, nature: str = "theorem",
                    encoded: bool = True) -> tuple[str, str]:
    """A reading's verdict in the claim vocabulary, and why, from its lemma's record."""
    if not encoded:
        return "undecided", "this reading is not encoded by any lemma yet"
    if lemma is None:
        return "undecided", "its lemma is not in this report"
    status = lemma["status"]
    if nature == "empirical":
        return "empirical", f"a measured fact; its model {lemma['id']} is {status}, which decides nothing"
    if status == Status.PROVED:
        if lemma.get("fully_proved"):
            return "holds", f"{lemma['id']} is fully proved"
        return "tested", f"{lemma['id']} is proved but rests on unproved steps: {', '.join(lemma.get('conditional_on') or ['see its audit'])}"
    if status == Status.TESTED:
        return "tested", f"{lemma['id']} found no counterexample but is not proved"
    if status == Status.REFUTED:
        return "fails", f"{lemma['id']} is refuted"
    return "undecided", f"{lemma['id']} is {status}"


def _clause_verdict(verdicts: list[str]) -> str:
    kinds = set(verdicts)
    if "fails" in kinds and kinds & {"holds", "tested", "empirical"}:
        return "depends"
    if kinds == {"fails"}:
        return "fails"
    if "empirical" in kinds and kinds & {"holds", "tested"}:
        return "depends"
    if kinds == {"empirical"}:
        return "depends" if len(verdicts) > 1 else "undecided"
    return next(v for v in ("undecided", "tested", "holds") if v in kinds)


def _joined_claim(claim: ClaimEntry, by_id: Mapping[str, Mapping[str, Any]], lemmas: list[Mapping[str, Any]],
                  corrections: Mapping[str, list[str]]) -> dict[str, Any]:
    problems: list[str] = []
    encoding = sorted(l["id"] for l in lemmas if l.get("claim_ref") == claim.id)
    if not encoding:
        problems.append("no lemma encodes this claim")

    def record(lemma_id: str | None) -> Mapping[str, Any] | None:
        if lemma_id is None:
            return None
        if lemma_id not in by_id:
            problems.append(f"{lemma_id!r} is not a lemma of this report")
            return None
        if by_id[lemma_id].get("claim_ref") != claim.id:
            problems.append(f"{lemma_id!r} encodes {by_id[lemma_id].get('claim_ref')}, not {claim.id}")
        return by_id[lemma_id]

    headline = record(claim.headline)
    if claim.headline is None and claim.nature != "empirical":
        problems.append(f"a {claim.nature} names its headline lemma in the claims file; this one has none")
    readings: list[dict[str, Any]] = []
    clauses: list[dict[str, Any]] = []
    failing: list[str] = []
    for index, clause in enumerate(claim.clause_list()):
        own = [Reading("", clause.lemma, clause.nature)] if clause.lemma or not clause.readings else []
        literal = own + list(clause.readings)
        verdicts = []
        for reading in literal:
            lemma = record(reading.lemma)
            nature = "empirical" if clause.nature == "empirical" else reading.nature
            verdict, why = reading_verdict(lemma, nature, encoded=reading.lemma is not None)
            stand_in = bool(claim.literal_missing) and reading.lemma == claim.headline
            if stand_in and clause.nature != "empirical":
                verdict, why = "undecided", f"the literal reading is not encoded: {claim.literal_missing}"
            verdicts.append(verdict)
            if verdict == "fails":
                failing.append(reading.lemma)
            readings.append({"id": reading.lemma, "status": lemma["status"] if lemma else None, "verdict": verdict,
                             "why": why, "literal": not stand_in, "clause": index, "reading": reading.reading,
                             "model": nature == "empirical"})
        uncovered = clause.lemma is None and not clause.readings
        clauses.append({"words": clause.words, "nature": clause.nature, "note": clause.note,
                        "lemmas": [r.lemma for r in literal if r.lemma],
                        "covered": not uncovered and all(r.lemma for r in literal),
                        "verdict": "empirical" if clause.nature == "empirical" else _clause_verdict(verdicts)})
    named = {r["id"] for r in readings if r["id"]}
    for lemma in lemmas:  # every other lemma of the claim is a variant (or a correction)
        if lemma.get("claim_ref") == claim.id and lemma["id"] not in named and lemma["kind"] not in ("correction", "axiom"):
            readings.append({"id": lemma["id"], "status": lemma["status"], "verdict": reading_verdict(lemma)[0],
                             "why": "a variant: it adds to the words, so it never decides the claim",
                             "literal": False, "clause": None, "reading": "", "model": False})

    if claim.nature == "definition" and headline and headline["status"] not in (Status.PROVED, Status.TESTED):
        problems.append(f"the well-formedness check {claim.headline} is {headline['status']}: the definition, as "
                        f"recovered, may be inconsistent or fail an instance it must cover")
    fixes = [f for lemma_id in failing for f in sorted(corrections.get(lemma_id, []))]
    model = record(claim.model) if claim.nature == "empirical" else None
    verdict, reason = _claim_verdict(claim, clauses, headline)
    return {
        "id": claim.id, "section": claim.section, "kind": claim.kind, "location": claim.location,
        "name": claim.name, "wording": claim.wording, "provenance": claim.provenance,
        "sources": list(claim.sources), "nature": claim.nature,
        "headline": claim.headline if claim.nature != "empirical" else None,
        "headline_why": claim.headline_why, "headline_status": headline["status"] if headline else None,
        "literal": claim.nature != "empirical" and not claim.literal_missing,
        "literal_missing": claim.literal_missing or None,
        "verdict": verdict, "verdict_reason": reason,
        "model": claim.model, "model_verdict": model["status"] if model else None,
        "correction": fixes[0] if fixes else None, "corrections": fixes,
        "correction_note": claim.correction_note,
        "choices": [{"choice": c.choice, "words": c.words} for c in claim.choices],
        "readings": readings, "clauses": clauses, "lemmas": encoding, "problems": problems,
    }


def _claim_verdict(claim: ClaimEntry, clauses: list[dict[str, Any]], headline: Mapping[str, Any] | None) -> tuple[str, str]:
    if claim.nature == "empirical":
        return "empirical", ("a measured fact or a remark: mathematics cannot decide it"
                             + (f"; its model {claim.model} is shown beside it, never as its proof" if claim.model else ""))
    if claim.nature == "definition":
        status = headline["status"] if headline else "not in this report"
        return "definition", f"nothing to prove; its well-formedness check {claim.headline} is {status}"
    decided = [c for c in clauses if c["nature"] != "empirical"]
    verdict = next(v for v in WEAKEST_FIRST if any(c["verdict"] == v for c in decided))
    if claim.literal_missing and verdict in ("holds", "tested"):
        verdict = "undecided"
    which = {"fails": "a literal reading is refuted", "depends": "equally literal readings disagree",
             "undecided": "a literal reading is undecided or not encoded",
             "tested": "every literal reading found no counterexample, but one is not fully proved",
             "holds": "every clause's literal reading is fully proved (modulo cited axioms)"}[verdict]
    uncovered = sum(1 for c in decided if not c["covered"])
    empirical = len(clauses) - len(decided)
    return verdict, which + (f"; {uncovered} clause(s) with a literal reading no lemma encodes" if uncovered else "") + (
        f"; {empirical} empirical clause(s), shown with their models, decide nothing" if empirical else "")


def join(claims: Iterable[ClaimEntry], lemmas: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The `claims` list of status.json: each claim with its readings, clauses, verdict, correction."""
    lemmas = list(lemmas)
    by_id = {l["id"]: l for l in lemmas}
    corrections: dict[str, list[str]] = {}
    for lemma in lemmas:
        if lemma.get("corrects"):
            corrections.setdefault(lemma["corrects"], []).append(lemma["id"])
    return [_joined_claim(claim, by_id, lemmas, corrections) for claim in claims]


def summary(joined: list[Mapping[str, Any]]) -> dict[str, Any]:
    """Counts of claims by verdict and nature (zeros included), with the denominators the page states."""
    by_verdict = {v: sum(1 for c in joined if c["verdict"] == v) for v in VERDICTS}
    by_nature = {n: sum(1 for c in joined if c["nature"] == n) for n in NATURES}
    failing = [c for c in joined if c["verdict"] == "fails"]
    return {"total": len(joined), "theorem_like": by_nature["theorem"], "by_verdict": by_verdict,
            "by_nature": by_nature, "fails_with_correction": sum(1 for c in failing if c["correction"]),
            "fails_without_correction": sorted(c["id"] for c in failing if not c["correction"]),
            "literal_missing": sorted(c["id"] for c in joined if c.get("literal_missing")),
            "with_problems": sorted(c["id"] for c in joined if c["problems"])}
