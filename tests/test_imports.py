"""The kernel's modules import one another in one direction only: no circle, lazy imports included.

A circle through an import inside a function still ties two modules together (the plugin that
imports the suite lazily while the suite imports the plugin, the report that imports the mutation
engine that writes the report); each came back once, so this test walks every import statement of
`proofs/`, at module level or inside a function, and fails on any circle. Imports under
`if TYPE_CHECKING:` are for annotations only and are skipped.
"""

import ast
from pathlib import Path

import networkx as nx

import proofs

PACKAGE = Path(proofs.__file__).resolve().parent


def module_files() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = ("proofs", *path.relative_to(PACKAGE).with_suffix("").parts)
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _type_checking_only(node: ast.AST, parents: dict) -> bool:
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            return True
    return False


def import_graph() -> nx.DiGraph:
    """module → every kernel module it imports. `from package import name` counts as an import of
    the submodule `package.name` when there is one, else of the package (its facade)."""
    modules = module_files()
    graph = nx.DiGraph()
    graph.add_nodes_from(modules)
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        tree = ast.parse(path.read_text())
        parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
        for node in ast.walk(tree):
            if not isinstance(node, (ast.Import, ast.ImportFrom)) or _type_checking_only(node, parents):
                continue
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join(anchor + ([node.module] if node.module else []))
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
            graph.add_edges_from((name, t) for t in targets if t in modules and t != name)
    return graph


def test_the_kernel_has_no_import_circle():
    circles = sorted(nx.simple_cycles(import_graph()))
    assert circles == [], "import circles in proofs/: " + "; ".join(" → ".join(c + c[:1]) for c in circles)


def test_the_walker_sees_a_lazy_import_inside_a_function():
    """The test above can fail: the plugin's lazy import of the suite is an edge it sees."""
    assert import_graph().has_edge("proofs.pytest_plugin", "proofs.suite")
