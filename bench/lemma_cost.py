"""Benchmark: the kernel's fixed cost per lemma.

Generates a project with N trivial lemmas (each one z3 check of `x + i > x − 1`, each using the
previous one, so the graph is a chain) and runs `pytest theorems/` on it in a fresh process,
serially, then prints the wall time per lemma. Every check still runs in full: the solver worker,
cvc5's second opinion, the exact cross-check, the pin and the reuse key, the report.

Run: python bench/lemma_cost.py [--lemmas 1000] [--workers 0] [--reuse]
(the target, issue 16: ≤ 25 ms per trivial z3 lemma serial, so 10,000 lemmas fit in 5 minutes)
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEADER = '''from proofs import lemma

WAIVE = {"property": "benchmark", "simulation": "benchmark"}
'''

LEMMA = '''
L{i} = lemma("chain.step_{i}", title="step {i}", statement="x + {i} > x - 1", waivers=WAIVE,
            uses={uses}, expect="proved")


@L{i}.check("z3")
def step_{i}(q):
    (x,) = q.reals("x")
    q.prove(x + {i} > x - 1)
'''


def generate(folder: Path, count: int) -> None:
    (folder / "theorems").mkdir(parents=True)
    (folder / "theorems" / "__init__.py").write_text("")
    (folder / "pyproject.toml").write_text('[project]\nname = "chain"\nversion = "0"\n\n[tool.proofs]\ntitle = "chain"\n')
    body = [HEADER] + [LEMMA.format(i=i, uses=f'["chain.step_{i - 1}"]' if i else "[]") for i in range(count)]
    (folder / "theorems" / "chain.py").write_text("".join(body))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lemmas", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=0, help="pytest-xdist workers (0: serial)")
    parser.add_argument("--reuse", action="store_true", help="run twice and time the second run with --proof-reuse")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        folder = Path(directory)
        generate(folder, arguments.lemmas)
        command = [sys.executable, "-m", "pytest", "theorems", "-q", "-p", "no:cacheprovider"]
        if arguments.workers:
            command += ["-n", str(arguments.workers)]
        started = time.perf_counter()
        result = subprocess.run(command, cwd=folder, capture_output=True, text=True)
        elapsed = time.perf_counter() - started
        tail = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else result.stderr[-500:]
        print(f"{arguments.lemmas} trivial lemmas, {'serial' if not arguments.workers else f'-n {arguments.workers}'}: "
              f"{elapsed:.1f} s, {1000 * elapsed / arguments.lemmas:.1f} ms per lemma ({tail})")
        if arguments.reuse:
            started = time.perf_counter()
            result = subprocess.run([*command, "--proof-reuse"], cwd=folder, capture_output=True, text=True)
            again = time.perf_counter() - started
            print(f"the same run again with --proof-reuse (nothing changed): {again:.1f} s "
                  f"({result.stdout.strip().splitlines()[-1]})")


if __name__ == "__main__":
    main()
