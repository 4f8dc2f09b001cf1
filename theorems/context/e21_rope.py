"""E-21, RoPE long-range damping and length extension (§3): its readings, variants and corrections.

Each lemma reads top-down: the declaration, then its symbolic checks, property test and simulation.
"""

from __future__ import annotations

import math

import numpy as np
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from proofs import Claim, cas, interval, lemma, sim, smt
from proofs.statement import All, And, If, Implies, Sum

from ._shared import LONGEST, MARGIN, TARGET, TRAIN_LENGTH, _number, _running_sum, _training_runs

# ---------------------------------------------------------------------------------------------
# E-21, RoPE: (a) long-range damping, (b) steep loss beyond the training length.
# ---------------------------------------------------------------------------------------------

def _rope_complex_form(query, key, separation):
    """q·R_Δ k as Re Σ_i h_i e^{iΔθ_i}, h_i = conj(q_{2i} + i q_{2i+1}) · (k_{2i} + i k_{2i+1})."""
    from simulations import positions

    theta = positions.geometric_grid(query.size)
    h = np.conj(query[0::2] + 1j * query[1::2]) * (key[0::2] + 1j * key[1::2])
    return h, np.sum(h * np.exp(1j * separation * theta))


def _rope_rotation_product(query, key, separation):
    """q·R_Δ k with R_Δ built as explicit 2×2 rotations, to check the complex form against."""
    from simulations import positions

    theta = positions.geometric_grid(query.size) * separation
    cos, sin = np.cos(theta), np.sin(theta)
    rotated = np.empty_like(key)
    rotated[0::2] = cos * key[0::2] - sin * key[1::2]
    rotated[1::2] = sin * key[0::2] + cos * key[1::2]
    return float(query @ rotated)


def _summed_triangle_inequality(total, term, partial, mu, n):
    """The per-term modulus facts at every j ≤ n (the triangle inequality, |c_j S_j| ≤ μ|S_j|) sum to
    |Σ_{j≤n} c_j S_j| ≤ μ Σ_{j≤n} |S_j|."""
    every_term = All(lambda j: And(total(j) <= If(j == 0, term(j), total(j - 1) + term(j)), term(j) <= mu * partial(j),
                                   partial(j) >= 0), n)
    return Implies(every_term, total(n) <= mu * Sum(lambda j: partial(j), n))


SU_BOUND = lemma(
    "context.rope_decay_bound",
    title=r"Su et al.'s long-term decay bound: $|q \cdot R_\Delta k| \le \max_i |h_{i+1} - h_i| \cdot \sum_j |S_j(\Delta)|$",
    kind="lemma",
    paper_ref="§3 (RoPE, after Su et al. 2021)",
    claim_ref="E-21",
    source="reconstructed",
    statement=(
        r"With $h_i$ the complex products of paired query and key coordinates and $S_j = \sum_{i \le j} e^{i\Delta\theta_i}$, "
        r"$q \cdot R_\Delta k = \mathrm{Re}\sum_i h_i e^{i\Delta\theta_i}$, and Abel summation gives "
        r"$|\sum_i h_i e^{i\Delta\theta_i}| \le \max_i |h_{i+1} - h_i| \cdot \sum_j |S_j|$ ($h_{m+1} = 0$): the "
        r"worst-case RoPE score is governed by $\frac{1}{m}\sum_j |S_j|$, the quantity whose decay E-21 calls damping."
    ),
    formal=(
        r"The declared claim, over the moduli of a Gaussian or any $(q, k)$: with $M_k = |\sum_{j \le k} c_j S_j|$, "
        r"$r_j = |c_j S_j|$, $s_j = |S_j|$ and $c_j = h_j - h_{j+1}$, $\forall n \ge 0, \mu \ge 0$: if at every "
        r"$j \le n$, $M_j \le M_{j-1} + r_j$ ($M_0 \le r_0$), $r_j \le \mu s_j$ and $s_j \ge 0$, then $M_n \le \mu "
        r"\sum_{j \le n} s_j$; z3 proves it by induction on $n$. The per-term facts, z3 over real and imaginary "
        r"parts: the triangle inequality of the complex modulus, and $|c_j| \le \mu \implies |c_j S_j| \le \mu|S_j|$. "
        r"(i) sympy: for one coordinate pair, $q \cdot R_\varphi k = \mathrm{Re}(\overline{(q_0 + iq_1)}(k_0 + ik_1)"
        r"e^{i\varphi})$, and the score is the sum over pairs. (ii) z3 induction, for every $n$ and complex "
        r"sequences: $\sum_{j \le n} h_j z_j = \sum_{j < n}(h_j - h_{j+1}) S_j + h_n S_n$ (Abel), so with "
        r"$h_{m+1} = 0$ the score's modulus is $M_{m-1}$. Property test and simulation: the declared claim at the "
        r"moduli measured on Gaussian $(q, k)$, with $M_{m-1}$ equal to the rotated score's modulus."
    ),
    claim=Claim(
        _summed_triangle_inequality,
        where=lambda total, term, partial, mu, n: And(mu >= 0, n >= 0),
        sorts={"total": ("Int", "Real"), "term": ("Int", "Real"), "partial": ("Int", "Real"), "n": "Int"}),
    variables={"half_dim": "m = d/2, the number of coordinate pairs", "seed": "the seed of the Gaussian q, k",
               "separation": "Δ", "draw": "which (q, k) pair", "Delta": "Δ", "total": "M_k, the partial sums' moduli",
               "term": "|c_j S_j|", "partial": "|S_j|", "mu": "max_j |h_j − h_{j+1}|", "n": "m − 1"},
    explain=lambda cx: (f"a Gaussian (q, k) pair at Δ = {_number(cx.get('separation', cx.get('Delta')))} has a score "
                        "above Su's bound"),
    expect="proved",
)


@SU_BOUND.check("sympy")
def rotation_is_a_complex_phase():
    q0, q1, k0, k1, phi = sp.symbols("q0 q1 k0 k1 phi", real=True)
    rotated = (sp.cos(phi) * k0 - sp.sin(phi) * k1, sp.sin(phi) * k0 + sp.cos(phi) * k1)
    complex_form = sp.re(sp.conjugate(q0 + sp.I * q1) * (k0 + sp.I * k1) * sp.exp(sp.I * phi))
    domain = {s: (-5.0, 5.0) for s in (q0, q1, k0, k1)} | {phi: (-50.0, 50.0)}
    return cas.Identity(q0 * rotated[0] + q1 * rotated[1], sp.expand_complex(complex_form), domain,
                        name="one_pair_rotation")


@SU_BOUND.check("z3")
def abel_summation_for_every_n(q):
    """(ii) Summation by parts for complex sequences, h_k = a_k + i b_k and z_k = c_k + i d_k."""
    (n,) = q.ints("n")
    a, b, c, d = (q.function(name, "Int", "Real") for name in "abcd")
    partial_re = _running_sum(q, "Sre", c)
    partial_im = _running_sum(q, "Sim", d)
    left_re = _running_sum(q, "Lre", lambda k: a(k) * c(k) - b(k) * d(k))
    left_im = _running_sum(q, "Lim", lambda k: a(k) * d(k) + b(k) * c(k))
    # Σ_{j<k} (h_j − h_{j+1}) S_j, accumulated (empty at k = 0)
    right_re = q.recursive_function("Rre", base=0 * a(0), step=lambda k, prev: prev + (a(k - 1) - a(k)) * partial_re(k - 1)
                                    - (b(k - 1) - b(k)) * partial_im(k - 1))
    right_im = q.recursive_function("Rim", base=0 * a(0), step=lambda k, prev: prev + (a(k - 1) - a(k)) * partial_im(k - 1)
                                    + (b(k - 1) - b(k)) * partial_re(k - 1))
    q.induction(n, start=0)
    q.prove(smt.And(left_re(n) == right_re(n) + a(n) * partial_re(n) - b(n) * partial_im(n),
                    left_im(n) == right_im(n) + a(n) * partial_im(n) + b(n) * partial_re(n)))


@SU_BOUND.check("z3")
def triangle_inequality_summed(q):
    """The declared claim: the per-term modulus facts sum to |Σ_{j≤n} c_j S_j| ≤ μ Σ_{j≤n} |S_j| for every n."""
    (n,) = q.ints("n")
    (mu,) = q.reals("mu")
    total, term, partial = (q.function(name, "Int", "Real") for name in ("total", "term", "partial"))
    q.prove_claim(total=total, term=term, partial=partial, mu=mu, n=n)
    q.induction(n, 0)


@SU_BOUND.check("z3")
def modulus_triangle_inequality(q):
    """|u + v| ≤ |u| + |v| for complex u = x1 + i y1, v = x2 + i y2, the moduli given by their squares."""
    x1, y1, x2, y2, left, right, both = q.reals("x1 y1 x2 y2 a b c")
    q.domain(left >= 0, right >= 0, left * left == x1 * x1 + y1 * y1, right * right == x2 * x2 + y2 * y2,
             both * both == (x1 + x2) ** 2 + (y1 + y2) ** 2)
    q.prove(both <= left + right)


@SU_BOUND.check("z3")
def modulus_of_a_term(q):
    """|c S| ≤ μ |S| when |c| ≤ μ, for complex c = u + i v and S = p + i w."""
    u, v, p, w, size_c, size_s, size_product, mu = q.reals("u v p w m s r mu")
    q.domain(size_c >= 0, size_s >= 0, size_c * size_c == u * u + v * v,
             size_s * size_s == p * p + w * w, size_product * size_product == (u * p - v * w) ** 2 + (u * w + v * p) ** 2)
    q.given(size_c <= mu)
    q.prove(size_product <= mu * size_s)


def _moduli(query, key, separation):
    """The declared claim's measured quantities for one (q, k) at one Δ, and the rotated score."""
    from simulations import positions

    h, complex_score = _rope_complex_form(query, key, separation)
    steps = h - np.append(h[1:], 0.0)  # c_j = h_j − h_{j+1}, h_{m+1} = 0
    partial_sums = np.cumsum(np.exp(1j * separation * positions.geometric_grid(query.size)))
    return ({"total": np.abs(np.cumsum(steps * partial_sums)).tolist(), "term": np.abs(steps * partial_sums).tolist(),
             "partial": np.abs(partial_sums).tolist(), "mu": float(np.abs(steps).max()), "n": h.size - 1}, complex_score)


@SU_BOUND.check("hypothesis")
@given(half_dim=st.integers(1, 32), seed=st.integers(0, 2**32 - 1), separation=st.floats(0.0, float(LONGEST)))
def su_bound_holds(half_dim, seed, separation):
    rng = np.random.default_rng(seed)
    query, key = rng.standard_normal(2 * half_dim), rng.standard_normal(2 * half_dim)
    moduli, complex_score = _moduli(query, key, separation)
    rotated = _rope_rotation_product(query, key, separation)
    assert math.isclose(complex_score.real, rotated, rel_tol=1e-9, abs_tol=1e-9), (complex_score.real, rotated)
    assert math.isclose(moduli["total"][-1], abs(complex_score), rel_tol=1e-9, abs_tol=1e-9)  # Abel, measured
    SU_BOUND.claim.require(tolerance=1e-9, **moduli)


@SU_BOUND.check("simulation")
def su_bound_against_random_scores(rng, scale):
    from simulations import positions

    dim, draws = 64, (256 if scale == "default" else 4096)
    separations = positions.log_separations(LONGEST, 400)
    mean_partial = positions.rope_decay_bound(dim, separations)
    phases = np.exp(1j * np.outer(separations, positions.geometric_grid(dim)))
    worst_ratio, violation = 0.0, None
    scores = np.empty((draws, separations.size))
    bounds = np.empty((draws, separations.size))
    for t in range(draws):
        query, key = rng.standard_normal(dim), rng.standard_normal(dim)
        h, _ = _rope_complex_form(query, key, 0.0)
        scores[t] = np.abs(phases @ h)
        bounds[t] = np.abs(np.diff(np.append(h, 0.0))).max() * mean_partial * (dim // 2)
        worst_ratio = max(worst_ratio, float((scores[t] / bounds[t]).max()))
        if t < 16:  # the declared claim at the measured moduli, every 20th separation of the first 16 draws
            for separation in separations[::20]:
                moduli, _ = _moduli(query, key, separation)
                if violation is None and not SU_BOUND.claim(tolerance=1e-9, **moduli):
                    violation = {"draw": t, "Delta": float(separation)}
        if violation is None and (scores[t] / bounds[t]).max() > 1 + 1e-9:
            violation = {"draw": t, "Delta": float(separations[(scores[t] / bounds[t]).argmax()]),
                         "ratio": float((scores[t] / bounds[t]).max())}
    figure = sim.new_figure()
    ax = figure.subplots()
    ax.plot(separations, mean_partial, label="(1/m) Σ_j |S_j(Δ)|, d = 64")
    ax.plot(separations, scores.mean(axis=0) / (dim // 2), label="mean |Σ h_i e^{iΔθ_i}| / m, Gaussian q, k")
    ax.set_xscale("log")
    ax.set_xlabel("relative position Δ")
    ax.set_ylabel("Su's bound (1/m)Σ_j |S_j(Δ)|")
    ax.legend(fontsize=8)
    return sim.Observation(violation=violation, plot=figure, figures={"largest_score_over_bound": worst_ratio},
                           detail=f"{draws} Gaussian (q, k) pairs at 400 separations: every score within the bound; "
                                  "the declared claim holds at the measured moduli (16 draws × 20 separations)",
                           slack=sim.slack(scores, bounds, side="upper"))


def _su_bound_symbolic(dim, separation):
    """(1/m) Σ_j |S_j(Δ)| with S_j = Σ_{i≤j} e^{iΔθ_i}, as a sympy expression in exact frequencies."""
    theta = [sp.Integer(10000) ** sp.Rational(-2 * k, dim) for k in range(dim // 2)]
    total, real, imaginary = 0, 0, 0
    for frequency in theta:
        real, imaginary = real + sp.cos(frequency * separation), imaginary + sp.sin(frequency * separation)
        total += sp.sqrt(real ** 2 + imaginary ** 2)
    return total / len(theta)


def _largest_rise(dim):
    from simulations import positions

    bound = positions.rope_decay_bound(dim, np.arange(0, LONGEST + 1, dtype=np.float64))
    return int(np.argmax(np.diff(bound)))


ROPE_MONOTONE = lemma(
    "context.rope_long_range_decay",
    title="RoPE long-range damping read as: Su's bound decreases with Δ",
    kind="claim",
    paper_ref="§3 (RoPE)",
    claim_ref="E-21",
    source="attested",
    statement=(
        "E-21's part (a), 'vanilla RoPE exhibits analogous long-range damping', read as a monotone decay of the "
        r"worst-case factor: Su's bound $\frac{1}{m}\sum_j |S_j(\Delta)|$ is non-increasing in $\Delta$ on "
        r"$[0, 131072]$ for $d \in \{64, 128\}$. Refuted: it rises again at thousands of separations (one certified "
        "by interval arithmetic for d = 64)."
    ),
    formal=(
        r"Part (a), monotone reading: $\Delta \mapsto \frac{1}{m}\sum_j |S_j(\Delta)|$ is non-increasing on "
        r"$[0, 131072]$, $d \in \{64, 128\}$. Refuted by Arb interval enclosures: at the integer $\Delta$ where the "
        r"float64 sweep sees the largest rise for $d = 64$, the certified enclosure of "
        r"$B(\Delta) - B(\Delta + 1)$ is negative."
    ),
    interpretation=(
        "'Damping' read as a monotone decay of the worst-case bound (context.rope_decay_bound); the "
        "reading 'decays to a plateau' is the correction context.rope_decay_floor.",
    ),
    uses=("context.rope_decay_bound",),
    variables={"Delta": "Δ, the separation", "point": "the separation evaluated",
               "enclosure_at_point": "the certified enclosure of B(Δ) − B(Δ+1) (negative: the bound rises)",
               "dim": "the model width", "first": "Δ", "gap": "the step to the later separation",
               "d": "the model width", "bound_at_Delta": "B(Δ)", "bound_at_Delta_plus_1": "B(Δ + 1)"},
    explain=lambda cx: (f"Su's bound rises from Δ = {int(cx['Delta'])} to Δ + 1 (certified enclosure of "
                        f"B(Δ) − B(Δ+1): {_number(cx['enclosure_at_point'], 6)})" if "enclosure_at_point" in cx else
                        f"Su's bound rises from Δ = {cx['first']} to Δ = {cx['first'] + cx['gap']} (d = {cx['dim']})"
                        if "first" in cx else
                        f"Su's bound rises from Δ = {cx.get('Delta')} to Δ + 1 (d = {cx.get('d')}): "
                        f"{_number(cx.get('bound_at_Delta'), 6)} → {_number(cx.get('bound_at_Delta_plus_1'), 6)} at 50 digits"),
    expect="refuted",
)


@ROPE_MONOTONE.check("interval", timeout_s=90.0)
def certified_rise():
    rise = _largest_rise(64)
    return interval.Bound(_su_bound_symbolic(64, MARGIN) - _su_bound_symbolic(64, MARGIN + 1),
                          box={MARGIN: (rise, rise)}, name="non_increasing_at_the_largest_rise_d_64")


@ROPE_MONOTONE.check("hypothesis")
@given(dim=st.sampled_from([64, 128]), first=st.integers(0, LONGEST), gap=st.integers(1, 1000))
def su_bound_never_rises(dim, first, gap):
    from simulations import positions

    before, after = positions.rope_decay_bound(dim, np.array([first, first + gap], dtype=float))
    assert after <= before * (1 + 1e-12), f"bound rises from {before:.4f} at Δ = {first} to {after:.4f} at Δ = {first + gap}"


@ROPE_MONOTONE.check("simulation")
def su_bound_over_the_window(rng, scale):
    import mpmath

    from simulations import positions

    separations = np.arange(0, LONGEST + 1, dtype=np.float64)
    figures, violation = {}, None
    figure = sim.new_figure()
    ax = figure.subplots()
    for dim in (64, 128):
        bound = positions.rope_decay_bound(dim, separations)
        rises = np.flatnonzero(np.diff(bound) > 0)
        figures[f"rises[d={dim}]"] = int(rises.size)
        if violation is None and rises.size:
            i = int(rises[np.argmax(np.diff(bound)[rises])])
            with mpmath.workdps(50):  # replay the pair at high precision
                theta = [mpmath.power(10000, mpmath.mpf(-2 * k) / dim) for k in range(dim // 2)]

                def exact(delta):
                    partial, total = mpmath.mpc(0), mpmath.mpf(0)
                    for t in theta:
                        partial += mpmath.expjpi(delta * t / mpmath.pi)
                        total += abs(partial)
                    return total / len(theta)

                low, high = exact(i), exact(i + 1)
            violation = {"d": dim, "Delta": i, "bound_at_Delta": float(low), "bound_at_Delta_plus_1": float(high)}
        shown = np.unique(np.logspace(0, np.log10(LONGEST), 3000).astype(int))
        ax.plot(separations[shown], bound[shown], lw=0.7, label=f"(1/m)Σ|S_j|, d = {dim}")
    ax.set_xscale("log")
    ax.set_xlabel("relative position Δ")
    ax.set_ylabel("Su's bound (1/m)Σ_j |S_j(Δ)|")
    ax.legend()
    return sim.Observation(violation=violation, figures=figures, plot=figure,
                           detail="Su's bound rises again at thousands of separations (replayed at 50 digits)")


ROPE_FLOOR = lemma(
    "context.rope_decay_floor",
    title=r"RoPE damps the worst case to a plateau of about $0.59\sqrt{m}$, not to zero",
    kind="correction",
    corrects="context.rope_long_range_decay",
    paper_ref="§3 (RoPE)",
    claim_ref="E-21",
    source="reconstructed",
    statement=(
        r"Su's bound falls from $(m+1)/2$ at $\Delta = 0$ to a plateau: beyond $\Delta = 20000$, its mean over any "
        r"4096 consecutive separations lies within ±15 % of the random-phase value "
        r"$(\sqrt{\pi}/2)\cdot\frac{1}{m}\sum_{j \le m}\sqrt{j} \approx 0.59\sqrt{m}$ (d = 64: 3.42, d = 128: 4.78). "
        r"RoPE's long-range damping is a factor $\Theta(\sqrt{m})$, with oscillations, not a decay to zero."
    ),
    formal=(
        r"For $d \in \{64, 128\}$ and every window $W$ of 4096 consecutive integers in $[20000, 131072]$: "
        r"$|\mathrm{mean}_{\Delta \in W} \frac{1}{m}\sum_j |S_j(\Delta)| / "
        r"((\sqrt{\pi}/2)\frac{1}{m}\sum_{j \le m}\sqrt{j}) - 1| \le 0.15$."
    ),
    claim=Claim(lambda window_mean, random_phase: And(window_mean <= 1.15 * random_phase,
                                                      window_mean >= 0.85 * random_phase),
                where=lambda window_mean, random_phase: random_phase > 0),
    waivers={"symbolic": (
        "the plateau is a statement about how incommensurate phases spread; the random-phase value "
        "comes from the Rayleigh mean E|S_j| ≈ √(πj)/2 and is checked numerically, not proved")},
    variables={"d": "the model width", "window_start": "the first Δ of the window", "ratio": "window mean / "
               "random-phase value", "dim": "the model width", "start": "the first Δ of the window",
               "window_mean": "the mean of Su's bound over the window", "random_phase": "(√π/2)·(1/m)Σ_j √j"},
    explain=lambda cx: (f"the 4096-wide window starting at Δ = {cx.get('window_start', cx.get('start'))} "
                        f"(d = {cx.get('d', cx.get('dim'))}) strays more than 15 % from the random-phase value"),
    survivors={
        "claim | boundary | window_mean <= 1.15 * random_phase | LtE → Lt": (
            "no window mean of Su's bound lands exactly on 1.15 times the random-phase value (the highest is "
            "about 1.10 of it, d = 64), so ≤ and < agree at every measured window"),
    },
    expect="tested",
)
PLATEAU_WINDOW, PLATEAU_START = 4096, 20_000


def _random_phase_value(dim):
    return math.sqrt(math.pi) / 2 * float(np.sqrt(np.arange(1, dim // 2 + 1)).sum()) / (dim // 2)


@ROPE_FLOOR.check("hypothesis")
@given(dim=st.sampled_from([64, 128]), start=st.integers(PLATEAU_START, LONGEST - PLATEAU_WINDOW))
def plateau_window_mean(dim, start):
    from simulations import positions

    window = np.arange(start, start + PLATEAU_WINDOW, dtype=np.float64)
    ROPE_FLOOR.claim.require(window_mean=float(positions.rope_decay_bound(dim, window).mean()),
                             random_phase=_random_phase_value(dim))


@ROPE_FLOOR.check("simulation")
def plateau_over_the_window(rng, scale):
    from simulations import positions

    separations = np.arange(PLATEAU_START, LONGEST + 1, dtype=np.float64)
    figures, violation, estimates = {}, None, []
    figure = sim.new_figure()
    ax = figure.subplots()
    for dim in (64, 128):
        bound = positions.rope_decay_bound(dim, separations)
        sliding = np.convolve(bound, np.ones(PLATEAU_WINDOW) / PLATEAU_WINDOW, mode="valid")
        value = _random_phase_value(dim)
        ratio = sliding / value
        figures[f"window_mean_ratio_min[d={dim}]"] = float(ratio.min())
        figures[f"window_mean_ratio_max[d={dim}]"] = float(ratio.max())
        # the lowest and the highest window means against the random-phase value, within the claimed 15 %; a value
        # off by 31 % (the power) leaves one of them outside, whichever way it moves
        estimates += [sim.compare(f"{side} window mean, d = {dim}", float(extreme), value, tolerance=0.15, power=0.31,
                                  relative=True) for side, extreme in (("lowest", sliding.min()),
                                                                      ("highest", sliding.max()))]
        for i in (int(sliding.argmin()), int(sliding.argmax())):
            if violation is None and not ROPE_FLOOR.claim(window_mean=float(sliding[i]), random_phase=value):
                violation = {"d": dim, "window_start": int(separations[i]), "ratio": float(ratio[i])}
        ax.plot(separations[:ratio.size], ratio, lw=0.8, label=f"window mean / random-phase value, d = {dim}")
    for edge in (0.85, 1.15):
        ax.axhline(edge, color="k", ls=":")
    ax.set_xlabel("first Δ of the 4096-wide window")
    ax.set_ylabel("ratio")
    ax.legend(fontsize=8)
    return sim.Observation(violation=violation, figures=figures, plot=figure, estimates=tuple(estimates),
                           detail="every 4096-wide window beyond Δ = 20000 checked (sliding mean); the declared claim "
                                  "at the lowest and highest window means")


ROPE_EXTENSION = lemma(
    "context.rope_length_extension",
    title="Beyond the training length, without rescaling, the loss rises steeply",
    kind="claim",
    paper_ref="§3 (RoPE length extension)",
    claim_ref="E-21",
    source="attested",
    statement=(
        "A model of E-21's part (b), 'extending the maximum position without rescaling leads to steep perplexity "
        "increases beyond the original training range', on a toy: a one-head, content-free RoPE attention layer "
        "trained by SGD on fixed-offset retrieval with sequences of length ≤ 16 (the toy of "
        "context.positional_undertraining) has, at twice the training length, at least twice its retrieval loss at "
        "the training length, and the loss keeps rising at 4× and 8×. A model of an empirical claim, never its proof."
    ),
    claim=Claim(lambda base_loss, doubled_loss: doubled_loss >= 2 * base_loss, where=lambda base_loss, doubled_loss:
                base_loss > 0),
    formal=(
        "Part (b), on the toy of context.positional_undertraining: a RoPE attention layer trained on "
        "sequences of length ≤ 16 and evaluated at 2×, 4×, 8× that length without rescaling has a "
        "retrieval loss at least twice its loss at the training length, rising with length."
    ),
    interpretation=(
        "Empirical; 'steep' read as at least doubling at twice the training length. Perplexity is "
        "replaced by the toy's retrieval loss (cross-entropy of the attention on the target key).",
        "Position interpolation is not compared: on a fixed-offset task it moves the target itself.",
    ),
    waivers={"symbolic": "an empirical claim about trained models; the mechanism is E-16's, proved there"},
    variables={"seed": "the training seed", "lengths": "the evaluation lengths", "rope_loss": "the mean loss there"},
    explain=lambda cx: ("the RoPE model's loss did not double at twice the training length" if "seed" in cx else
                        f"RoPE losses {cx.get('rope_loss')} at lengths {cx.get('lengths')} do not rise steeply"),
    survivors={
        "claim | boundary | doubled_loss >= 2 * base_loss | GtE → Gt": (
            "a trained toy's loss at twice the training length never equals exactly twice its loss at the "
            "training length, so ≥ and > agree on every run"),
    },
    expect="tested",
)
EXTENSION_FACTORS = (1, 2, 4, 8)


def _extension_losses(rng, kind, runs):
    from simulations import attention_training as training

    model, trained = _training_runs(rng, kind, runs, 400)
    return np.array([[training.evaluation_loss(model, run.final, TRAIN_LENGTH * f, TARGET) for f in EXTENSION_FACTORS]
                     for run in trained])


@ROPE_EXTENSION.check("hypothesis")
@settings(max_examples=10)
@given(seed=st.integers(0, 2**32 - 1))
def extension_doubles_the_loss(seed):
    losses = _extension_losses(np.random.default_rng(seed), "rope", 1)[0]
    ROPE_EXTENSION.claim.require(base_loss=losses[0], doubled_loss=losses[1])


@ROPE_EXTENSION.check("simulation")
def extension_losses(rng, scale):
    runs = 8 if scale == "default" else 64
    curves = {kind: _extension_losses(rng, kind, runs).mean(axis=0) for kind in ("rope", "relative_bias")}
    rope = curves["rope"]
    violation = None
    if not ROPE_EXTENSION.claim(base_loss=rope[0], doubled_loss=rope[1]) or np.any(np.diff(rope) <= 0):
        violation = {"lengths": [TRAIN_LENGTH * f for f in EXTENSION_FACTORS], "rope_loss": rope.tolist()}
    figure = sim.new_figure()
    ax = figure.subplots()
    for kind, losses in curves.items():
        ax.plot([TRAIN_LENGTH * f for f in EXTENSION_FACTORS], losses, "o-", label=kind)
    ax.axvline(TRAIN_LENGTH, color="k", ls=":", label="training length")
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ax.set_xlabel("evaluation length")
    ax.set_ylabel("retrieval loss")
    ax.legend()
    return sim.Observation(violation=violation, plot=figure,
                           figures={f"loss_ratio_8x[{kind}]": float(c[-1] / c[0]) for kind, c in curves.items()},
                           detail=f"{runs} trained models per parameterisation, evaluated at 1×–8× the training length",
                           slack=sim.slack(rope[1], 2 * rope[0], side="lower"))
