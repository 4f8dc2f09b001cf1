"""§3 of the paper, long-context compression (E-15 … E-21): softmax crowding (E-19) and its
corollary (E-20), effective context (E-15), positional undertraining (E-16), training-pair
distances (E-17), sinusoidal attenuation (E-18) and RoPE (E-21).

Each lemma reads top-down: the declaration (with its formal claim, declared once), then its
symbolic checks, property test and simulation. The relevant token has logit s*, the N' distractors
logits s_j, and its attention is α = e^{s*} / (e^{s*} + Σ_j e^{s_j}). z3 has no exp or log, so the
softmax claims are declared in the substituted variables (x = e^Δ, y = e^{2B}) with the model in
their domain ("α is the softmax weight of a row whose distractors have mass S"); context.exp_log_transfer
proves (sympy, for every real Δ) that the substitution is faithful. The property tests and simulations
evaluate each claim at values measured on materialised rows (α read off the softmax, S summed over
the row's keys, N' the keys it holds), and first require the measured point to lie in the claim's
domain (`_shared.require_measured`), so a domain that mis-describes the model (N' for N' − 1) is
caught rather than making the claim hold vacuously. A lemma or a cited axiom is drawn on with
`q.use` through its declared claim, never re-typed. Sums over distractors, SGD steps or frequencies
are proved for every length by z3 induction. Each claim has a module of its own
(`e19_softmax_crowding.py` holds every reading of E-19); the helpers several claims use are in
`_shared.py`, the cited theorems in `axioms.py`.
"""
