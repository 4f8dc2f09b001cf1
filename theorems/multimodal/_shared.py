"""Helpers several claims of the multimodal family use."""

from __future__ import annotations

from typing import Any


def first_failure_inside(claim: Any, *, tolerance: float, **columns: Any) -> dict[str, Any] | None:
    """Like `claim.first_failure`, for measured points that must all lie inside the claim's domain: its
    `where` states definitions (α_eff = α_t·a + α_v·b, drift² = 2σ²·KL, …) that the model's own numbers
    must meet. A row outside it is returned too, marked, since the claim would hold there vacuously and a
    model that does not compute what the claim's terms say would pass unseen."""
    length = len(next(iter(columns.values())))
    for row in range(length):
        point = {name: column[row] for name, column in columns.items()}
        if not claim.applies(tolerance=tolerance, **point):
            return {**{k: float(v) if isinstance(v, (int, float)) or hasattr(v, "item") else v for k, v in point.items()},
                    "outside_the_claims_domain": True}
    return claim.first_failure(tolerance=tolerance, **columns)
