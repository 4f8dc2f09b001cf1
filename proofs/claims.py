"""The claims a project's lemmas encode, as data: a TOML file named by `[tool.proofs] claims`.

    [[claim]]
    id = "E-19"
    section = "§3 Long-context compression"
    kind = "lemma"                       # theorem, lemma, definition, equation, claim, …
    location = "§3, Lemma 4"
    name = "AM–GM for two numbers"
    wording = "For non-negative a, b: (a + b)/2 ≥ √(ab)."
    provenance = "[S] G1, G2"            # how the wording was recovered
    sources = ["G1", "G2"]
    headline = "averages.am_gm_two"           # the lemma for the reading closest to the wording
    headline_why = "the squared form is the same statement on the stated domain"
    correction_note = ""                 # when refuted with no correction: why none is needed

Loading validates every entry and names the entry and field at fault. The report joins each
claim with its lemmas: the headline reading's verdict is the claim's verdict, and the correction
is the lemma that states what holds instead.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping

from proofs.errors import ConfigError

REQUIRED = {"id": str, "section": str, "wording": str, "provenance": str}
OPTIONAL = {"kind": str, "location": str, "name": str, "sources": list, "headline": str, "headline_why": str,
            "correction_note": str, "notes": str}
CLAIM_ID = re.compile(r"^[A-Za-z][A-Za-z0-9]*-\d+$")


@dataclass(frozen=True, slots=True)
class Claim:
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


def load(path: Path) -> list[Claim]:
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
                raise ConfigError(f"{where}: {key}={entry.get(key)!r}; every claim needs a non-empty {key}")
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
        claims.append(Claim(**{**entry, "sources": tuple(entry.get("sources", ()))}))
    return claims


def join(claims: Iterable[Claim], lemmas: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The `claims` list of status.json: each claim with its readings, headline, verdict, correction.

    The headline is the claim's `headline` if given, else its only reading; a claim with several
    readings and no headline has verdict null and says so in `problems`."""
    lemmas = list(lemmas)
    by_id = {l["id"]: l for l in lemmas}
    corrections: dict[str, list[str]] = {}
    for lemma in lemmas:
        if lemma.get("corrects"):
            corrections.setdefault(lemma["corrects"], []).append(lemma["id"])
    joined = []
    for claim in claims:
        readings = sorted(l["id"] for l in lemmas if l.get("claim_ref") == claim.id and l["kind"] != "correction")
        encoding = sorted(l["id"] for l in lemmas if l.get("claim_ref") == claim.id)
        problems = []
        headline = claim.headline
        if headline is None and len(readings) == 1:
            headline = readings[0]
        if headline is not None and headline not in by_id:
            problems.append(f"headline {headline!r} is not a lemma of this report")
            headline = None
        elif headline is not None and by_id[headline].get("claim_ref") != claim.id:
            problems.append(f"headline {headline!r} encodes {by_id[headline].get('claim_ref')}, not {claim.id}")
        if headline is None and len(readings) > 1:
            problems.append(f"{len(readings)} readings and no headline: name one in the claims file")
        if not readings:
            problems.append("no lemma encodes this claim")
        verdict = by_id[headline]["status"] if headline in by_id else None
        fixes = sorted(corrections.get(headline, [])) if headline else []
        joined.append({
            "id": claim.id, "section": claim.section, "kind": claim.kind, "location": claim.location,
            "name": claim.name, "wording": claim.wording, "provenance": claim.provenance,
            "sources": list(claim.sources), "headline": headline, "headline_why": claim.headline_why,
            "verdict": verdict, "correction": fixes[0] if fixes else None, "corrections": fixes,
            "correction_note": claim.correction_note, "readings": readings, "lemmas": encoding,
            "problems": problems,
        })
    return joined
