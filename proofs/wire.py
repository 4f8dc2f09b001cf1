"""What crosses from the pytest plugin to the suite and back (standard library only).

A lemma's result travels from a pytest-xdist worker to the controller in the test report's
`user_properties`, under the names below; the entry-point plugin (`proofs.pytest_plugin`, light,
loaded in every environment) reads them there, and the suite (`proofs.suite`, heavy, imported only
when lemmas are collected) writes them. Both import this module; neither imports the other at
load time, and the suite never imports the plugin.
"""

from __future__ import annotations

import os
from typing import Any

RESULT_PROPERTY = "proof_result"  # a lemma's record, as JSON
COLLECTION_ERROR_PROPERTY = "proof_collection_error"  # a theorems module that failed to import


def hypothesis_profile(config: Any) -> str:
    """The Hypothesis profile of the lemmas' property tests: --proof-profile, else ci under CI=true, else dev."""
    return config.getoption("proof_profile") or ("ci" if os.environ.get("CI") else "dev")
