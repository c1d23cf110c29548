"""Tests of matcher.features: encoding records of each kind into column arrays."""

import numpy as np
import pytest
import scipy.sparse as sp

from matcher import InvalidRecordError, build_bundle
from matcher.features import UNKNOWN_COUNTRY, ProfileArrays, encode_profiles


@pytest.mark.parametrize(("kind", "roles", "kind_columns"), [
    ("sme", {"mentorship", "trade"}, {"codes", "certs"}),
    ("mentor", {"mentorship"}, {"codes"}),
    ("buyer", {"trade"}, {"certs", "n_required"}),
])
def test_each_kind_has_its_columns(bundle, population, kind, roles, kind_columns):
    records = [p for p in population if p.kind == kind]
    arrays = encode_profiles(bundle.encoders, records, kind)
    assert len(arrays) == len(records)
    assert set(arrays.texts) == roles
    present = {name for name in ("codes", "certs", "n_required")
               if getattr(arrays, name) is not None}
    assert present == kind_columns
    assert arrays.ids.tolist() == [r.id for r in records]
    assert sp.isspmatrix_csr(arrays.sector) and arrays.units.shape == (len(records), 3)


def test_roles_restrict_the_text_columns(bundle, sme):
    arrays = encode_profiles(bundle.encoders, [sme()], "sme", roles=("trade",))
    assert set(arrays.texts) == {"trade"}


def test_records_of_another_kind_are_rejected(bundle, sme):
    with pytest.raises(InvalidRecordError):
        encode_profiles(bundle.encoders, [sme()], "mentor")


def test_countries_unseen_at_fit_get_their_own_index_and_requirements_count_once(buyer):
    bundle = build_bundle([buyer()])
    record = buyer(country="DE", required_certifications=("SQF", "sqf", "Unheard of"))
    arrays = encode_profiles(bundle.encoders, [record], "buyer")
    assert arrays.country.tolist() != [UNKNOWN_COUNTRY]
    assert bundle.encoders["countries"].decode(1 << int(arrays.country[0])) == ("DE",)
    assert arrays.n_required.tolist() == [2]


def test_a_country_past_the_64th_has_an_index_of_its_own(buyer):
    bundle = build_bundle([buyer()])
    countries = bundle.encoders["countries"]
    for n in range(64 - len(countries.codes_)):
        countries.bit_of(f"X{n}")
    arrays = encode_profiles(bundle.encoders, [buyer(country="DE", sourcing_countries=("DE",))],
                             "buyer")
    assert arrays.country.tolist() == [64]
    assert arrays.targets.shape == (1, 2)  # a second 64-bit word
    assert countries.decode(1 << int(arrays.country[0])) == ("DE",)


def test_only_a_255th_country_is_unknown(buyer):
    bundle = build_bundle([buyer()])
    countries = bundle.encoders["countries"]
    for n in range(UNKNOWN_COUNTRY - len(countries.codes_)):
        countries.bit_of(f"X{n}")
    arrays = encode_profiles(bundle.encoders, [buyer(country="DE")], "buyer")
    assert arrays.country.tolist() == [UNKNOWN_COUNTRY]


def test_take_concat_and_nbytes(bundle, population):
    mentors = [p for p in population if p.kind == "mentor"]
    arrays = encode_profiles(bundle.encoders, mentors, "mentor", fmt="csc")
    assert sp.isspmatrix_csc(arrays.sector)
    first, rest = arrays.take(np.array([0])), arrays.take(np.arange(1, len(mentors)))
    again = ProfileArrays.concat([first, rest])
    assert again.ids.tolist() == arrays.ids.tolist()
    assert (again.sector != arrays.sector).nnz == 0
    assert (again.texts["mentorship"] != arrays.texts["mentorship"]).nnz == 0
    dense = [arrays.ids, arrays.country, arrays.targets, arrays.units,
             arrays.located, arrays.codes, arrays.mode, arrays.claims, arrays.blank]
    sparse = [arrays.sector, arrays.languages, arrays.texts["mentorship"]]
    expected = sum(a.nbytes for a in dense) + sum(
        m.data.nbytes + m.indices.nbytes + m.indptr.nbytes for m in sparse)
    assert arrays.nbytes == expected
