"""Helpers shared by the kernel tests: a private registry and a place for artifacts."""

import pytest

from proofs.registry import Registry


@pytest.fixture
def registry():
    return Registry()


@pytest.fixture
def report_dir(tmp_path):
    return tmp_path / "reports"

pytest_plugins = ["pytester"]
