"""§2 of the paper, hallucination: claims E-01 … E-14.

Each lemma reads top-down: the declaration, then its symbolic check, property test and
simulation. Models are functions from strings (taken in shortlex order s_0, s_1, …) to answers;
a model hallucinates on s when h(s) ≠ f(s) for the ground truth f. The published theorems the
family rests on without proving them (halting undecidability, Hoeffding, the union bound, the
chain rule and Gibbs' inequality for KL, the VC bound, the volume of a Hamming ball, closure of
the computable functions) are cited axioms, declared in `axioms.py`. Each claim has a module of
its own (`e02_diagonalisation.py` holds every reading of E-02); helpers several claims use are in
`_shared.py`.
"""
