"""§5 of the paper, retrieval fragility: claims E-28 … E-32.

Retrieval instances are small enough to solve exactly by enumerating subsets; the failure bound
is stated over joint distributions of three events, R = {d* ∈ D_r}, A = {the model attends to
d*} and S = {the answer is right}. In z3 a joint law is written as unnormalised masses w[r][a][s] ≥ 0
with a positive total (P = mass/total): this ranges over every joint law and lets the cross-check's
random points meet the setting often (a simplex stated with the equality Σ m = 1 is met by no random
point). Inequalities between probabilities are stated multiplied through by the positive total.
"""
