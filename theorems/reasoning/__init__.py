"""§4 of the paper, reasoning degradation: claims E-22 … E-27.

Chains of thought are modelled as mediators: a binary structural causal model X → Z → Y with a
direct edge X → Y has tables p_z[x] = P(Z=1|x) and p_y[x][z] = P(Y=1|x, z). Its natural
indirect effect (x: 0 → 1) is the mediation formula
NIE = E[Y(1, Z(1))] − E[Y(1, Z(0))] = Σ_z p_y[1][z]·(P(z | 1) − P(z | 0)).

Where a universal z3 claim ranges over probabilities, each is written p = w₁/(w₀ + w₁) with
w₀, w₁ ≥ 0 and w₀ + w₁ > 0: this ranges over all of [0, 1], and the cross-check's random points
meet such a setting often (a box [0, 1]⁸ is met by a random point only about once in 10⁴ tries).
"""
