"""Helpers several claims of the multimodal family use."""

from __future__ import annotations

from typing import Any


def _plain(value: Any) -> Any:
    if hasattr(value, "tolist"):
        return value.tolist()
    return value


def first_failure_rows(claim: Any, *, tolerance: float = 0.0, **columns: Any) -> dict[str, Any] | None:
    """The claim evaluated at each row of equal-length columns, where a row may hold a sequence (a
    distribution, a vector) for a sequence-sorted parameter: `claim.first_failure` takes a sequence
    parameter as one value shared by every row, and these simulations measure one per row. The
    first row where the claim fails, or None."""
    lengths = {len(column) for column in columns.values()}
    if len(lengths) != 1:
        raise ValueError(f"first_failure_rows takes columns of one length; got lengths {sorted(lengths)}")
    (length,) = lengths
    for row in range(length):
        point = {name: _plain(column[row]) for name, column in columns.items()}
        if not claim(tolerance=tolerance, **point):
            return point
    return None


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
    return first_failure_rows(claim, tolerance=tolerance, **columns)
