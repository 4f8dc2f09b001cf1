"""The public facade lists exactly what it exports."""

import proofs


def test_all_names_exist_and_nothing_public_is_missing():
    public = {name for name in vars(proofs) if not name.startswith("_")}
    submodules = {"status", "lemma", "registry", "checks", "deadline", "prop", "report", "pytest_plugin"}
    assert set(proofs.__all__) <= public
    assert public - set(proofs.__all__) <= submodules
