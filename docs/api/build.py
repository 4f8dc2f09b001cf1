"""Build the API reference of the installed `proofs` package with pdoc, and the goals page with it.

    python docs/api/build.py DIR     # writes DIR/index.html, DIR/proofs/*.html, DIR/goals.html

The reference is generated from the docstrings of the package as installed (whatever `import
proofs` finds), one page per public module. `docs/goals.md`, one example per kind of goal, becomes
`goals.html` in the same site: its names in backticks (`cas.Bound`, `q.induction`, …) link to
their entries, and every module page links to it. `tests/test_api_docs.py` builds the site and
checks that every internal link resolves.
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
GOALS = HERE.parent / "goals.md"

# What an author calls, module by module: the facade, declaring lemmas, the engines and their goals.
MODULES = ("proofs", "proofs.registry", "proofs.records", "proofs.status", "proofs.errors", "proofs.smt.query",
           "proofs.prop", "proofs.config")  # `proofs` brings its engines: cas, interval, sim, smt

# How the goals page names things, and their full names (what pdoc links): inside `code` only.
FULL_NAMES = (
    (re.compile(r"\bq\.(?=[a-z_]+)"), "proofs.smt.query.Query."),
    (re.compile(r"(?<![.\w])(cas|interval|sim|smt)\.(?=[A-Za-z_])"), r"proofs.\1."),
    (re.compile(r"(?<![.\w])Query\b"), "proofs.smt.query.Query"),
    (re.compile(r"(?<![.\w])lemma\("), "proofs.registry.lemma("),
)


def linked(markdown: str) -> str:
    """The page with the names in the inline code of its prose written in full (fenced code blocks
    and headings are left as they are)."""
    parts = re.split(r"(```.*?```)", markdown, flags=re.S)
    for index in range(0, len(parts), 2):  # the even parts are prose
        parts[index] = "\n".join(line if line.startswith("#") else
                                 re.sub(r"`([^`\n]+)`", lambda m: "`" + _full(m.group(1)) + "`", line)
                                 for line in parts[index].split("\n"))
    return "".join(parts)


def _full(code: str) -> str:
    for pattern, replacement in FULL_NAMES:
        code = pattern.sub(replacement, code)
    return code


def build(output: Path) -> list[Path]:
    """Write the site into `output`; return the HTML files written."""
    import pdoc
    import pdoc.render

    pdoc.render.configure(docformat="markdown", template_directory=HERE / "templates", show_source=True,
                          search=True, footer_text="proofs: the kernel of a living proof suite")
    with tempfile.TemporaryDirectory() as folder:
        goals = Path(folder) / "goals.py"
        docstring = linked(GOALS.read_text()).replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
        goals.write_text(f'"""{docstring}"""\n\n__all__: list[str] = []\n')
        pdoc.pdoc(*MODULES, goals, output_directory=output)
    return sorted(output.rglob("*.html"))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    written = build(Path(sys.argv[1]))
    print(f"wrote {len(written)} pages into {sys.argv[1]}")
