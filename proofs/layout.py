"""Where lemmas live: the theorems folder, its families, and their modules (standard library only).

A *family* is either a module directly in the theorems folder (`theorems/averages.py`) or a
package directly in it (`theorems/geometry/`, with an `__init__.py`), whose modules hold the
family's lemmas, typically one module per claim (`theorems/geometry/c3_pythagoras.py`).
Modules whose name starts with `_` (`_shared.py`, `__init__.py`) hold helpers, never lemmas, and
are not collected. A lemma's id starts with its family (`geometry.pythagoras`), wherever in
the family it is declared, so ids stay the same when a family module becomes a package.

The pytest plugin reads this module at collection, so it imports nothing beyond the standard
library.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path


def _is_lemma_name(path: Path) -> bool:
    return path.suffix == ".py" and not path.name.startswith("_")


def _is_family_package(path: Path) -> bool:
    return path.is_dir() and not path.name.startswith(("_", ".")) and (path / "__init__.py").is_file()


def family_modules(theorems_dir: Path) -> dict[str, list[Path]]:
    """Each family of the folder and the files of its lemma modules, in a stable order."""
    families: dict[str, list[Path]] = {}
    for path in sorted(theorems_dir.iterdir()) if theorems_dir.is_dir() else ():
        if path.is_file() and _is_lemma_name(path):
            families.setdefault(path.stem, []).append(path)
        elif _is_family_package(path):
            families.setdefault(path.name, []).extend(p for p in sorted(path.glob("*.py")) if _is_lemma_name(p))
    return families


def family_of_file(path: Path, theorems_dir: Path) -> str | None:
    """The family a lemma module belongs to, or None when the file is not a lemma module of the folder."""
    path, theorems_dir = path.resolve(), theorems_dir.resolve()
    if not _is_lemma_name(path):
        return None
    if path.parent == theorems_dir:
        return path.stem
    if path.parent.parent == theorems_dir and _is_family_package(path.parent):
        return path.parent.name
    return None


def module_names(directory: Path) -> list[str]:
    """The importable names of the lemma modules in `directory` (a theorems folder), with its root
    put on sys.path: `<folder>.<family>[.<module>]` when the folder is a package, else
    `<family>[.<module>]`."""
    return list(lemma_modules(directory))


def lemma_modules(directory: Path) -> dict[str, Path]:
    """Each lemma module's importable name and its file, with the folder's root put on sys.path."""
    directory = directory.resolve()
    package = (directory / "__init__.py").exists()
    for root in dict.fromkeys([str(directory.parent), str(directory)] if not package else [str(directory.parent)]):
        if root not in sys.path:
            sys.path.insert(0, root)
    return _importable(directory)


def _importable(directory: Path) -> dict[str, Path]:
    directory = directory.resolve()
    prefix = f"{directory.name}." if (directory / "__init__.py").exists() else ""
    return {(f"{prefix}{family}" if file.parent == directory else f"{prefix}{family}.{file.stem}"): file
            for family, files in family_modules(directory).items() for file in files}


def family_names(directory: Path, family: str) -> list[str]:
    """The importable names of one family's lemma modules in a theorems folder (empty if there is no
    such family); sys.path is left as it is."""
    directory = directory.resolve()
    files = family_modules(directory).get(family, [])
    return [name for name, file in _importable(directory).items() if file in files]


@functools.lru_cache(maxsize=256)
def _theorems_dir_near(folder: str) -> Path | None:
    from proofs.config import load  # standard library only (tomllib)

    try:
        return load(Path(folder)).theorems.resolve()
    except Exception:  # noqa: BLE001 - a malformed configuration is reported elsewhere
        return None


def declared_family(module: str, declared_at: str) -> set[str]:
    """The families a lemma declared in `module` (at 'path.py:line') may belong to.

    Precise for a file in its project's theorems folder (the module's own name, or the package's
    for a module in a family package); elsewhere (a script, a test's temporary module) the module's
    own name or the package directly above it."""
    file = Path(declared_at.rpartition(":")[0]) if declared_at else None
    if file is not None and file.is_file():
        theorems_dir = _theorems_dir_near(str(file.resolve().parent))
        if theorems_dir is not None:
            family = family_of_file(file, theorems_dir)
            if family is not None:
                return {family}
    parts = module.split(".")
    return set(parts[-2:]) if len(parts) >= 2 else {parts[-1]}
