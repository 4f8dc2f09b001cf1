"""Writing and reading the report directory."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Mapping

from jinja2 import Environment, PackageLoader, StrictUndefined

from proofs.status import STATUS_INFO, Status

ARTIFACT_DIRS = ("smt2", "sympy", "plots")


def _environment() -> Environment:
    environment = Environment(loader=PackageLoader("proofs.report", "templates"), undefined=StrictUndefined,
                              keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True)
    environment.filters["cell"] = lambda text: str(text).replace("|", "\\|").replace("\n", " ")
    return environment


def _atomic_write(path: Path, text: str) -> None:
    temporary = path.with_suffix(path.suffix + ".tmp")
    temporary.write_text(text)
    os.replace(temporary, path)


def _prune_stale_artifacts(directory: Path, document: Mapping[str, Any]) -> None:
    """Delete artifacts that no evidence of this run refers to, so the report never shows old files."""
    referenced = {a for lemma in document["lemmas"] for e in lemma["evidence"] for a in e["artifacts"]}
    for name in ARTIFACT_DIRS:
        for path in sorted((directory / name).rglob("*"), reverse=True) if (directory / name).exists() else ():
            if path.is_file() and path.relative_to(directory).as_posix() not in referenced:
                path.unlink()
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()


def write_report(document: Mapping[str, Any], directory: Path) -> list[Path]:
    """Write status.json and STATUS.md into `directory`; return the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    status_json = directory / "status.json"
    _atomic_write(status_json, json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    status_md = directory / "STATUS.md"
    template = _environment().get_template("STATUS.md.j2")
    _atomic_write(status_md, template.render(doc=document, statuses=list(Status), info=STATUS_INFO))
    _prune_stale_artifacts(directory, document)
    return [status_json, status_md]


class ReportMissing(FileNotFoundError):
    pass


def load_status(directory: Path) -> dict[str, Any]:
    path = directory / "status.json"
    if not path.exists():
        raise ReportMissing(f"no report at {path}: run `pytest theorems/` first (or pass --report-dir DIR)")
    return json.loads(path.read_text())
