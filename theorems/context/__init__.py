"""§3 of the paper, long-context compression (E-15 … E-21): softmax crowding (E-19) and its
corollary (E-20), effective context (E-15), positional undertraining (E-16), training-pair
distances (E-17), sinusoidal attenuation (E-18) and RoPE (E-21).

Each lemma reads top-down: the declaration, then its symbolic checks, property test and
simulation. The relevant token has logit s*, the N' distractors logits s_j, and its attention is
α = e^{s*} / (e^{s*} + Σ_j e^{s_j}). z3 has no exp or log, so the softmax lemmas substitute
x = e^Δ; context.exp_log_transfer proves (sympy, for every real Δ) that this substitution is
faithful, and every lemma that relies on it lists it in `uses`. A lemma that rests on another
lemma's z3 statement draws on it with `q.use`, never by re-typing it. Sums over distractors, SGD
steps or frequencies are proved for every length by z3 induction: the per-term fact is carried by
a Boolean recursion ("every term so far satisfies it"), so that no summation step is assumed.
Each claim has a module of its own (`e19_softmax_crowding.py` holds every reading of E-19); the
symbols and recursions several claims use are in `_shared.py`.
"""
