"""`python -m proofs new FAMILY NAME`: a new lemma, with its four parts laid out, that runs."""

from __future__ import annotations

import re
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined

NAME = re.compile(r"^[a-z][a-z0-9_]*$")


class ScaffoldError(ValueError):
    """A family or name that cannot become a lemma id; the message says what is allowed."""


def new_lemma(theorems_dir: Path, family: str, name: str) -> Path:
    """Append a stand-in lemma `family.name` to theorems/<family>.py, creating the module if needed."""
    for label, value in (("FAMILY", family), ("NAME", name)):
        if not NAME.match(value):
            raise ScaffoldError(f"{label}={value!r} is not snake_case: use lowercase letters, digits and _ "
                                f"(e.g. 'context' and 'softmax_crowding')")
    if not theorems_dir.is_dir():
        raise ScaffoldError(f"no theorems directory at {theorems_dir}; run from the project root or pass --theorems-dir")
    module = theorems_dir / f"{family}.py"
    lemma_id = f"{family}.{name}"
    if module.exists() and f'"{lemma_id}"' in module.read_text():
        raise ScaffoldError(f"{lemma_id!r} is already declared in {module}; ids are permanent, pick another NAME")
    environment = Environment(loader=PackageLoader("proofs", "templates"), undefined=StrictUndefined,
                              keep_trailing_newline=True)
    text = module.read_text() if module.exists() else environment.get_template("module.py.j2").render(family=family)
    text += environment.get_template("lemma.py.j2").render(
        lemma_id=lemma_id, name=name, constant=name.upper(), title=name.replace("_", " ").capitalize())
    module.write_text(text)
    return module
