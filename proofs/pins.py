"""Statements pinned: a fingerprint of what each lemma claims, and the manifest that records it.

The fingerprint covers the lemma's words (statement, formal, interpretation, what it uses and
assumes, what it corrects) and the source of its symbolic checks, which are its formal
encoding. The manifest `statements.lock.json`, committed next to the theorems modules, holds the
fingerprints the project stands by, so that a claim is never weakened by accident: a lemma
whose fingerprint differs from its pin fails until `python -m proofs pin ID` records the change.
"""

from __future__ import annotations

import enum
import hashlib
import inspect
import json
import textwrap
from pathlib import Path
from typing import Iterable

from proofs.lemma import Check, Lemma
from proofs.status import CheckKind

MANIFEST = "statements.lock.json"


class Pin(enum.StrEnum):
    PINNED = "pinned"  # the fingerprint matches the manifest
    UNPINNED = "unpinned"  # a lemma the manifest does not know yet (new): reported, not failed
    CHANGED = "changed"  # the statement or its encoding changed without a new pin: fails
    NO_MANIFEST = "no manifest"  # this theorems directory pins nothing


def fingerprint(lemma: Lemma, checks: Iterable[Check]) -> str:
    parts = [lemma.id, lemma.statement, lemma.formal, lemma.claim_ref or "", lemma.corrects or "",
             *lemma.interpretation, *lemma.uses, *lemma.assumes]
    for check in sorted(checks, key=lambda c: c.name):
        if check.engine in ("z3", "sympy") and check.kind is CheckKind.SYMBOLIC:
            try:
                source = textwrap.dedent(inspect.getsource(check.fn))
            except (OSError, TypeError):
                source = repr(check.fn)
            parts.append(f"{check.engine}/{check.name}\n{source}")
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:16]


def manifest_path(module_file: str | Path) -> Path:
    return Path(module_file).resolve().parent / MANIFEST


def load_manifest(path: Path) -> dict[str, str] | None:
    if not path.exists():
        return None
    return dict(json.loads(path.read_text())["lemmas"])


def save_manifest(path: Path, pins: dict[str, str]) -> None:
    text = json.dumps({"schema_version": 1, "lemmas": dict(sorted(pins.items()))}, indent=2) + "\n"
    path.write_text(text)


def pin_state(lemma_id: str, current: str, pins: dict[str, str] | None) -> Pin:
    if pins is None:
        return Pin.NO_MANIFEST
    if lemma_id not in pins:
        return Pin.UNPINNED
    return Pin.PINNED if pins[lemma_id] == current else Pin.CHANGED


def change_message(lemma_id: str, pinned: str, current: str, path: Path) -> str:
    return (f"the statement or formal encoding of {lemma_id} changed since it was pinned ({pinned} → {current}); "
            f"if the change is intended, run `python -m proofs pin {lemma_id}` and commit {path.name}")
