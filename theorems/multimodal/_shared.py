"""Helpers several claims of the multimodal family use."""

from __future__ import annotations

from typing import Any

from proofs import Claim


def require_in_domain(claim: Any, *, tolerance: float, **values: Any) -> None:
    """Assert that a measured point meets the `where` of a declared claim: the definitions it states
    (α_eff = α_t·a + α_v·b, drift² = 2σ²·KL, …) hold for the model's own numbers. Evaluating the
    claim alone would pass vacuously at a point outside its domain, so a model that does not compute
    what the claim's terms say would go unnoticed."""
    domain = Claim(claim.where)  # unbound: its evaluations are not counted as the lemma's
    if not domain(tolerance=tolerance, **{name: values[name] for name in domain.parameters}):
        shown = ", ".join(f"{k}={v!r}"[:80] for k, v in values.items())
        raise AssertionError(f"the model's numbers do not meet the definitions in the claim of {claim.lemma_id}: {shown}")
