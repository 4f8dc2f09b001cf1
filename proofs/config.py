"""A project's configuration: the `[tool.proofs]` section of its `pyproject.toml`.

    [tool.proofs]
    title = "Sorting networks: what is proved"
    subtitle = "the claims of a paper, machine-checked"
    theorems = "theorems"            # the folder of lemma modules (default "theorems")
    report = "reports"               # where every run writes its report (default "reports")
    claims = "claims/claims.toml"    # the claims the lemmas encode (optional)

    [tool.proofs.families]           # optional: page order and headings of the theorems modules
    comparators = "§2 Comparator networks"

Paths are relative to the project root, the folder of that `pyproject.toml`, wherever the command
is run from. Without a `[tool.proofs]` section the defaults are neutral: the title names the
project, the theorems are in `theorems/`, the report goes to `reports/`, and there are no claims.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from proofs.errors import ConfigError

SECTION = "tool.proofs"
KEYS = {"title": str, "subtitle": str, "theorems": str, "report": str, "claims": str, "families": dict}


@dataclass(frozen=True, slots=True)
class ProjectConfig:
    root: Path
    title: str
    theorems: Path
    report: Path
    claims: Path | None = None
    subtitle: str = ""
    families: Mapping[str, str] = field(default_factory=dict)
    configured: bool = False  # whether the project has a [tool.proofs] section

    def family_heading(self, family: str) -> str:
        return self.families.get(family, family)


def _section(pyproject: Path) -> dict[str, Any] | None:
    try:
        document = tomllib.loads(pyproject.read_text())
    except (OSError, tomllib.TOMLDecodeError) as problem:
        raise ConfigError(f"{pyproject} cannot be read as TOML: {problem}") from None
    return document.get("tool", {}).get("proofs")


def find_root(start: Path) -> Path:
    """The project root: the nearest folder, from `start` upwards, whose pyproject.toml has a
    [tool.proofs] section; else the nearest with a pyproject.toml; else the nearest that holds a
    `theorems` folder; else `start` itself."""
    start = start.resolve()
    candidates = [start, *start.parents]
    with_pyproject = [folder for folder in candidates if (folder / "pyproject.toml").is_file()]
    for folder in with_pyproject:
        if _section(folder / "pyproject.toml") is not None:
            return folder
    if with_pyproject:
        return with_pyproject[0]
    return next((folder for folder in candidates if (folder / "theorems").is_dir()), start)


def load(start: Path | None = None) -> ProjectConfig:
    """The configuration of the project that contains `start` (default: the current folder)."""
    root = find_root(start or Path.cwd())
    pyproject = root / "pyproject.toml"
    section = _section(pyproject) if pyproject.is_file() else None
    project_name = root.name
    if pyproject.is_file():
        project_name = tomllib.loads(pyproject.read_text()).get("project", {}).get("name", root.name)
    values = dict(section or {})
    unknown = sorted(set(values) - set(KEYS))
    if unknown:
        raise ConfigError(f"[{SECTION}] in {pyproject} has unknown key(s) {unknown}; allowed: {sorted(KEYS)}")
    for key, kind in KEYS.items():
        if key in values and not isinstance(values[key], kind):
            raise ConfigError(f"[{SECTION}] {key}={values[key]!r} in {pyproject}: expected a {kind.__name__}")
    families = values.get("families", {})
    bad = {k: v for k, v in families.items() if not isinstance(v, str)}
    if bad:
        raise ConfigError(f"[{SECTION}.families] in {pyproject}: each family maps to a heading string, not {bad}")
    claims = root / values["claims"] if "claims" in values else None
    if claims is not None and not claims.is_file():
        raise ConfigError(f"[{SECTION}] claims={values['claims']!r}: no file at {claims}")
    return ProjectConfig(
        root=root,
        title=values.get("title", f"{project_name}: what is proved"),
        subtitle=values.get("subtitle", ""),
        theorems=root / values.get("theorems", "theorems"),
        report=root / values.get("report", "reports"),
        claims=claims,
        families=dict(families),
        configured=section is not None,
    )
