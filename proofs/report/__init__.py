"""The generated report: `status.json` (the contract), `STATUS.md`, and what they are built from.

Everything here works on plain JSON records, not on live lemmas, because under pytest-xdist the
controller that writes the report never imports the theorems: the records travel from the
workers in `report.user_properties`.
"""

from __future__ import annotations

from proofs.report.build import SCHEMA_VERSION, build_status, expectation_message, result_record
from proofs.report.write import load_status, render_html, write_graph, write_report

__all__ = [
    "SCHEMA_VERSION", "build_status", "expectation_message", "load_status", "render_html", "result_record",
    "write_graph", "write_report",
]
