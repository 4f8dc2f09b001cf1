"""§7 of the paper, evaluation: why benchmarks hide the limits (E-39).

The section is a position, quoted verbatim by P2: "Data contamination inflates scores by
rewarding memorization over reasoning; judge bias incentivizes confident fabrication aligned
with evaluator priors; compute-agnostic metrics hide the cost of marginal gains; and evaluation
instability masks the saturation of genuine capability." Each of the four mechanisms gets a
precise reading on a toy benchmark, labelled reconstructed. One published theorem is cited,
not proved: Rényi's record theorem (the instability reading).
"""
