"""§6 of the paper, multimodal misalignment: claims E-33 … E-38.

Each lemma reads top-down: the declaration, then its symbolic check, property test and
simulation. The two-modality loss law along a fixed data mixture ρ is
L(N) = A(ρN)^(−α_t) + B((1−ρ)N)^(−α_v) [+ E] [+ c·N_v/N_t], and α_eff = −d ln L/d ln N.
Two published theorems are cited, not proved: Pinsker's inequality (E-35) and the growth of
Gaussian maxima (E-37); they are declared in `axioms.py`. Each claim has a module of its own
(`e33_fractured_scaling.py` holds every reading of E-33).
"""
