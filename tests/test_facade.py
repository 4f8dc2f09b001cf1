"""The public facade lists exactly what it exports."""

import types

import proofs


def test_all_names_exist_and_nothing_public_is_missing():
    public = {name for name in vars(proofs) if not name.startswith("_")}
    assert set(proofs.__all__) <= public
    unlisted = public - set(proofs.__all__)
    # submodules appear as attributes once imported; anything else public must be in __all__
    assert all(isinstance(getattr(proofs, name), types.ModuleType) for name in unlisted), unlisted
