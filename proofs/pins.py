"""Fingerprints of what a verdict depends on: the pin of a lemma's statement and checks, and the
key under which a verdict may be reused.

The *pin* (`fingerprint`) covers the lemma's words (statement, formal, interpretation, what it
uses, assumes and corrects) and the source of every one of its checks, symbolic, property and
simulation alike, with the source of every project function, class and constant those checks
reach (the helpers in the theorems module, the functions in `simulations/`, transitively). The
manifest `statements.lock.json`, committed next to the theorems modules, holds the pins the
project stands by, so that neither a claim nor a test of it is weakened by accident: a lemma
whose pin differs fails until `python -m proofs pin ID` records the change.

The *reuse key* (`reuse_key`) adds what else a verdict depends on: the source of every other
project module the theorems module imports (transitively, as whole files), the kernel's own source, the versions of the
engines, the seed, the scale and the Hypothesis profile, and the keys of the lemmas it uses.
`pytest --proof-reuse` reuses a verdict only when its key is unchanged.
"""

from __future__ import annotations

import ast
import enum
import functools
import hashlib
import importlib.util
import inspect
import json
import sys
import textwrap
import types
from pathlib import Path
from typing import Any, Iterable, Mapping

from proofs.records import Check, Lemma, original_function

MANIFEST = "statements.lock.json"
KERNEL_DIR = Path(__file__).resolve().parent


class Pin(enum.StrEnum):
    PINNED = "pinned"  # the fingerprint matches the manifest
    UNPINNED = "unpinned"  # a lemma the manifest does not know yet (new): reported, not failed
    CHANGED = "changed"  # the statement, a check or a helper it calls changed without a new pin: fails
    NO_MANIFEST = "no manifest"  # this theorems directory pins nothing


# -- what is project code ------------------------------------------------------------------------------


@functools.lru_cache(maxsize=None)
def _is_project_file(filename: str, root: str) -> bool:
    path = Path(filename).resolve()
    if not path.is_relative_to(root) or path.is_relative_to(KERNEL_DIR):
        return False
    return not any(part in (".venv", "venv", "site-packages", ".tox") for part in path.relative_to(root).parts)


def _file_of(value: Any) -> str | None:
    try:
        return inspect.getsourcefile(value)
    except (TypeError, OSError):
        return None


def _source(value: Any) -> str:
    try:
        return textwrap.dedent(inspect.getsource(value))
    except (OSError, TypeError):
        return repr(value)


def _names(source: str) -> tuple[set[str], dict[str, set[str]]]:
    """Every identifier a piece of source reads, and for `module.attr` the attributes per name."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set(), {}
    names, attributes = set(), {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            attributes.setdefault(node.value.id, set()).add(node.attr)
    return names, attributes


def _constant_text(value: Any) -> str | None:
    """A stable text for a constant a check reads, or None for values that are not constants."""
    if isinstance(value, (int, float, complex, str, bytes, bool, type(None))):
        return repr(value)
    if isinstance(value, (tuple, list, frozenset, set)):
        parts = [_constant_text(v) for v in value]
        return None if None in parts else f"{type(value).__name__}({sorted(parts) if isinstance(value, (set, frozenset)) else parts})"
    if isinstance(value, dict):
        parts = {_constant_text(k): _constant_text(v) for k, v in value.items()}
        return None if None in parts or None in parts.values() else repr(sorted(parts.items()))
    module = type(value).__module__ or ""
    if module.startswith(("sympy", "hypothesis")):  # symbols and expressions; strategies
        return repr(value)
    if module.startswith("numpy") and hasattr(value, "tobytes"):
        return f"ndarray{getattr(value, 'shape', '')}:{hashlib.sha256(value.tobytes()).hexdigest()[:16]}"
    return None


def reachable_sources(functions: Iterable[Any], root: Path) -> list[str]:
    """The sources of the given functions and of every project function, class and constant they
    reach through the names they read, transitively, in a stable order.

    Each entry is named by what it is, not where it lives (`qualname` and source, `constant NAME`
    and its assignment), so that moving code between project modules, unchanged, leaves the pin
    unchanged: a pin fingerprints what a check runs, not the file layout."""
    root_text = str(root.resolve())
    visited: set[str] = set()
    entries: set[str] = set()
    stack = [(original_function(fn), getattr(original_function(fn), "__globals__", {})) for fn in functions]
    while stack:
        value, namespace = stack.pop()
        where = f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', repr(value))}"
        if where in visited:
            continue
        visited.add(where)
        source = _source(value)
        entries.add(f"{getattr(value, '__qualname__', repr(value))}\n{source}")
        names, attributes = _names(source)
        for name in sorted(names | set(attributes)):
            if name not in namespace:
                continue
            target = namespace[name]
            if isinstance(target, types.ModuleType):
                if _is_project_file(_file_of(target) or "", root_text):
                    for attribute in sorted(attributes.get(name, ())):
                        member = getattr(target, attribute, None)
                        if member is not None:
                            stack.append(_reachable(member, vars(target), root_text, entries, attribute))
                continue
            stack.append(_reachable(target, namespace, root_text, entries, name))
        stack = [item for item in stack if item is not None]
    return sorted(entries)


def _reachable(value: Any, namespace: Mapping[str, Any], root: str, entries: set[str], name: str):
    """The next thing to read, or None; a constant is recorded directly, by the source of its
    assignment when it has one (so that a module-level cache a check fills at run time does not
    change the pin), else by its value."""
    if isinstance(value, (types.FunctionType, type)):
        value = inspect.unwrap(value) if isinstance(value, types.FunctionType) else value
        if _is_project_file(_file_of(value) or "", root):
            return value, getattr(value, "__globals__", vars(sys.modules.get(value.__module__, types.ModuleType("_"))))
        return None
    if isinstance(value, types.ModuleType):
        return None
    module_file = namespace.get("__file__")
    assigned = (_assignment_source(namespace.get("__name__", ""), module_file, name, root)
                if module_file and _is_project_file(module_file, root) else None)
    text = assigned if assigned is not None else _constant_text(value)
    if text is not None:
        entries.add(f"constant {name}\n{text}")
    return None


def _assignment_source(module_name: str, module_file: str, name: str, root: str, depth: int = 0) -> str | None:
    """The source of the statements that assign `name` in a project module, following `from … import
    name` to the module that assigns it (a constant shared by several theorems modules)."""
    assigned = _assignments(module_file).get(name)
    if assigned is not None or depth > 4:
        return assigned
    origin = _imported_from(module_file, name)
    if origin is None:
        return None
    try:
        origin_name = importlib.util.resolve_name(origin, module_name.rpartition(".")[0] if not module_file.endswith(
            "__init__.py") else module_name)
    except (ImportError, ValueError):
        return None
    origin_file = _file_of(sys.modules.get(origin_name)) if origin_name in sys.modules else None
    if not origin_file or not _is_project_file(origin_file, root):
        return None
    return _assignment_source(origin_name, origin_file, name, root, depth + 1)


def _assignments(filename: str) -> dict[str, str]:
    """Top-level name → the source of the statements that assign it, in a module file."""
    try:
        stamp = Path(filename).stat().st_mtime
    except OSError:
        return {}
    return _parsed_assignments(filename, stamp)


@functools.lru_cache(maxsize=64)
def _parsed_assignments(filename: str, stamp: float) -> dict[str, str]:
    source = Path(filename).read_text()
    lines = source.splitlines()  # sliced by line numbers: ast.get_source_segment re-splits every call
    found: dict[str, list[str]] = {}
    for node in ast.parse(source).body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(
            node, (ast.AnnAssign, ast.AugAssign)) else []
        for target in targets:
            for leaf in ast.walk(target):
                if isinstance(leaf, ast.Name):
                    found.setdefault(leaf.id, []).append("\n".join(lines[node.lineno - 1:node.end_lineno]))
    return {name: "\n".join(parts) for name, parts in found.items()}


def _imported_from(filename: str, name: str) -> str | None:
    """The module (as written, maybe relative: '._shared') that `from … import name` reads in a file."""
    try:
        stamp = Path(filename).stat().st_mtime
    except OSError:
        return None
    return _parsed_imports(filename, stamp).get(name)


@functools.lru_cache(maxsize=64)
def _parsed_imports(filename: str, stamp: float) -> dict[str, str]:
    found: dict[str, str] = {}
    for node in ast.parse(Path(filename).read_text()).body:
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                found[alias.asname or alias.name] = "." * node.level + (node.module or "")
    return found


def fingerprint(lemma: Lemma, checks: Iterable[Check], root: Path) -> str:
    """The pin of a lemma: its words, its declared claim, and the source of its checks and the project
    code they reach."""
    checks = sorted(checks, key=lambda c: c.name)
    parts = [lemma.id, lemma.statement, lemma.formal, lemma.claim_ref or "", lemma.corrects or "", lemma.kind,
             lemma.reference, *lemma.interpretation, *lemma.uses, *lemma.assumes,
             *(f"{c.engine}/{c.name}/{c.timeout_s}" for c in checks)]
    parts += [lemma.claim_note] if lemma.claim_note else []
    claim = [f for f in (lemma.claim.holds, lemma.claim.where) if f is not None] if lemma.claim is not None else []
    parts += reachable_sources([c.fn for c in checks] + claim, root)
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:16]


# -- the reuse key ---------------------------------------------------------------------------------------


def project_modules(module: types.ModuleType, root: Path) -> list[types.ModuleType]:
    """The module and every project module it imports, transitively (the modules its names come
    from); found once per module and process (a module's imports do not change during a run)."""
    key = (module.__name__, id(module), str(root))
    if key not in _PROJECT_MODULES:
        _PROJECT_MODULES[key] = _project_modules(module, root)
    return _PROJECT_MODULES[key]


_PROJECT_MODULES: dict[tuple[str, int, str], list[types.ModuleType]] = {}


def _project_modules(module: types.ModuleType, root: Path) -> list[types.ModuleType]:
    root_text, found, stack = str(root.resolve()), {}, [module]
    while stack:
        current = stack.pop()
        if current.__name__ in found or not _is_project_file(_file_of(current) or "", root_text):
            continue
        found[current.__name__] = current
        for value in vars(current).values():
            owner = value if isinstance(value, types.ModuleType) else sys.modules.get(getattr(value, "__module__", "") or "")
            if owner is not None and owner.__name__ not in found:
                stack.append(owner)
    return [found[name] for name in sorted(found)]


@functools.lru_cache(maxsize=1)
def kernel_digest() -> str:
    """The kernel's own source: a change in how verdicts are reached invalidates every reused one."""
    digest = hashlib.sha256()
    for path in sorted(KERNEL_DIR.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@functools.lru_cache(maxsize=None)
def _module_digest(path: str, mtime: float) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]


def reuse_key(lemma: Lemma, pin: str, root: Path, settings: Mapping[str, Any],
              engine_versions: Mapping[str, Any], used_keys: Iterable[str]) -> str:
    """Everything a verdict depends on, hashed: the pin (`fingerprint`), the project modules, the
    kernel, the engines, the run's settings, and the keys of the lemmas it uses."""
    module = sys.modules.get(lemma.module)
    # the lemma's own module is covered function by function by the pin, so that editing one lemma
    # does not re-check its neighbours; every other project module it imports, as a whole
    modules = [m for m in project_modules(module, root) if m is not module] if module is not None else []
    files = []
    for m in modules:
        path = _file_of(m)
        if path:
            files.append(f"{m.__name__}:{_module_digest(path, Path(path).stat().st_mtime)}")
    parts = [pin, kernel_digest(), *files,
             json.dumps(dict(settings), sort_keys=True, default=str),
             json.dumps(dict(engine_versions), sort_keys=True, default=str), *sorted(used_keys)]
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:16]


# -- the manifest ----------------------------------------------------------------------------------------


def manifest_path(theorems_dir: str | Path) -> Path:
    path = Path(theorems_dir).resolve()
    return (path if path.is_dir() else path.parent) / MANIFEST


def load_manifest(path: Path) -> dict[str, str] | None:
    if not path.exists():
        return None
    return dict(json.loads(path.read_text())["lemmas"])


def save_manifest(path: Path, pins: dict[str, str]) -> None:
    text = json.dumps({"schema_version": 2, "lemmas": dict(sorted(pins.items()))}, indent=2) + "\n"
    path.write_text(text)


def pin_state(lemma_id: str, current: str, pins: dict[str, str] | None) -> Pin:
    if pins is None:
        return Pin.NO_MANIFEST
    if lemma_id not in pins:
        return Pin.UNPINNED
    return Pin.PINNED if pins[lemma_id] == current else Pin.CHANGED


def change_message(lemma_id: str, pinned: str, current: str, path: Path) -> str:
    return (f"the statement, a check, or a project function a check calls changed for {lemma_id} since it was "
            f"pinned ({pinned} → {current}); if the change is intended, run `python -m proofs pin {lemma_id}` and "
            f"commit {path.name}")
