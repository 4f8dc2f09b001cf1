"""`python -m proofs new FAMILY NAME` and `python -m proofs init`: a lemma, or a project, that runs.

`new` appends a stand-in lemma with its four parts laid out to `theorems/<family>.py`, creating
the module if needed and adding to an existing one the imports the stand-in uses; in a family that
is a package (`theorems/<family>/`), the lemma gets a module of its own. `init` sets up
a project in a folder: a `[tool.proofs]` section in its pyproject.toml, a `theorems/` folder with
one example lemma that comes back proved, and a README paragraph on how to run it.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined

from proofs.errors import ProofsError

NAME = re.compile(r"^[a-z][a-z0-9_]*$")
# What the lemma template uses, and the import that provides each name.
TEMPLATE_IMPORTS = {
    "given": "from hypothesis import given",
    "st": "from hypothesis import strategies as st",
    "lemma": "from proofs import lemma",
    "sim": "from proofs import sim",
}


class ScaffoldError(ProofsError, ValueError):
    """A family or name that cannot become a lemma id, or a project that cannot be set up here."""


def _environment() -> Environment:
    return Environment(loader=PackageLoader("proofs", "templates"), undefined=StrictUndefined,
                       keep_trailing_newline=True)


def _bound_names(text: str) -> set[str]:
    """The names a module binds at top level (imports, definitions, assignments)."""
    names = set()
    for node in ast.parse(text).body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return names


def _with_imports(text: str, needed: list[str]) -> str:
    """`text` with the import lines for `needed` inserted after its last top-level import."""
    if not needed:
        return text
    tree = ast.parse(text)
    imports = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
    lines = text.splitlines(keepends=True)
    if imports:
        at = imports[-1].end_lineno
    else:
        docstring = tree.body[0] if tree.body and isinstance(tree.body[0], ast.Expr) and isinstance(
            getattr(tree.body[0], "value", None), ast.Constant) else None
        at = docstring.end_lineno if docstring is not None else 0
    insertion = "".join(line + "\n" for line in needed)
    return "".join(lines[:at]) + ("" if at == 0 or lines[at - 1].endswith("\n") else "\n") + insertion + "".join(lines[at:])


def new_lemma(theorems_dir: Path, family: str, name: str) -> Path:
    """Append a stand-in lemma `family.name` to theorems/<family>.py (creating the module if needed), or,
    when the family is a package, write it to a module of its own, theorems/<family>/<name>.py."""
    for label, value in (("FAMILY", family), ("NAME", name)):
        if not NAME.match(value):
            raise ScaffoldError(f"{label}={value!r} is not snake_case: use lowercase letters, digits and _ "
                                f"(e.g. 'averages' and 'am_gm_two')")
    if not theorems_dir.is_dir():
        raise ScaffoldError(f"no theorems directory at {theorems_dir}; run `python -m proofs init` first, or pass "
                            f"--theorems-dir")
    package = theorems_dir / family
    # a family is a module (theorems/<family>.py) or a package with one module per claim
    # (theorems/<family>/), where the new lemma gets a module of its own
    module = package / f"{name}.py" if (package / "__init__.py").is_file() else theorems_dir / f"{family}.py"
    lemma_id = f"{family}.{name}"
    environment = _environment()
    if module.parent == package:
        for sibling in sorted(package.glob("*.py")):
            if f'"{lemma_id}"' in sibling.read_text():
                raise ScaffoldError(f"{lemma_id!r} is already declared in {sibling}; ids are permanent, pick another NAME")
    if module.exists():
        text = module.read_text()
        if f'"{lemma_id}"' in text:
            raise ScaffoldError(f"{lemma_id!r} is already declared in {module}; ids are permanent, pick another NAME")
        try:
            bound = _bound_names(text)
        except SyntaxError as problem:
            raise ScaffoldError(f"{module} does not parse ({problem}); fix it before adding a lemma") from None
        if name.upper() in bound:
            raise ScaffoldError(f"{module} already binds {name.upper()}; pick another NAME")
        text = _with_imports(text, [line for used, line in TEMPLATE_IMPORTS.items() if used not in bound])
        if not text.endswith("\n"):
            text += "\n"
    else:
        text = environment.get_template("module.py.j2").render(family=family)
    text += environment.get_template("lemma.py.j2").render(
        lemma_id=lemma_id, name=name, constant=name.upper(), title=name.replace("_", " ").capitalize())
    module.write_text(text)
    return module


PYPROJECT_SECTION = '''
[tool.proofs]
title = "{title}: what is proved"
theorems = "theorems"
report = "reports"
'''

README_PARAGRAPH = '''
## Proofs

The claims of this project are lemmas in `theorems/`, checked by the `proofs` kernel: `pytest theorems/`
runs them and writes `reports/index.html` (also `STATUS.md` and `status.json`); `python -m proofs status`
prints the verdicts, `python -m proofs new FAMILY NAME` adds a lemma with its four parts, and
`python -m proofs pin` records the statements the project stands by.
'''


def init_project(folder: Path) -> list[Path]:
    """Set up a project in `folder`; never overwrite: a part that exists is left as it is."""
    folder = folder.resolve()
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    pyproject = folder / "pyproject.toml"
    title = folder.name.replace("-", " ").replace("_", " ").strip() or "Project"
    if not pyproject.exists():
        pyproject.write_text(f'[project]\nname = "{folder.name}"\nversion = "0.1.0"\n' + PYPROJECT_SECTION.format(title=title))
        written.append(pyproject)
    elif "[tool.proofs]" not in pyproject.read_text():
        pyproject.write_text(pyproject.read_text().rstrip("\n") + "\n" + PYPROJECT_SECTION.format(title=title))
        written.append(pyproject)
    theorems = folder / "theorems"
    theorems.mkdir(exist_ok=True)
    package = theorems / "__init__.py"
    if not package.exists():
        package.write_text('"""The lemmas of this project, one module per family."""\n')
        written.append(package)
    example = theorems / "example.py"
    if not example.exists():
        new_lemma(theorems, "example", "squares_are_non_negative")
        written.append(example)
    readme = folder / "README.md"
    if not readme.exists():
        readme.write_text(f"# {title}\n" + README_PARAGRAPH)
        written.append(readme)
    elif "## Proofs" not in readme.read_text():
        readme.write_text(readme.read_text().rstrip("\n") + "\n" + README_PARAGRAPH)
        written.append(readme)
    gitignore = folder / ".gitignore"
    if not gitignore.exists() or "reports/" not in gitignore.read_text():
        existing = gitignore.read_text() if gitignore.exists() else ""
        gitignore.write_text(existing + ("" if not existing or existing.endswith("\n") else "\n") + "reports/\n")
        written.append(gitignore)
    return written
