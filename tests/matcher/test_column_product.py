"""sparse_dot: the compiled kernels give what scipy.sparse's public slicing and product give."""

import numpy as np
import pytest
import scipy.sparse as sp

from matcher import column_product
from matcher.column_product import sparse_dot


def public_product(columns: sp.csc_matrix, query: sp.csr_matrix) -> np.ndarray:
    """What scipy.sparse's public API answers (the kernels' reference)."""
    return np.asarray((columns @ query.T).toarray()).ravel().astype(np.float32)


def random_case(rng: np.random.Generator, rows: int, terms: int, density: float,
                query_terms: int, index=np.int32) -> tuple[sp.csc_matrix, sp.csr_matrix]:
    columns = sp.random(rows, terms, density=density, format="csc", dtype=np.float32,
                        random_state=rng)
    columns.indices = columns.indices.astype(index)
    columns.indptr = columns.indptr.astype(index)
    chosen = rng.choice(terms, size=query_terms, replace=False)
    query = sp.csr_matrix((rng.random(query_terms).astype(np.float32),
                           (np.zeros(query_terms, int), chosen)), shape=(1, terms))
    return columns, query


@pytest.mark.parametrize("seed", range(20))
def test_matches_the_public_product_on_random_matrices(seed):
    rng = np.random.default_rng(seed)
    rows, terms = int(rng.integers(1, 3000)), int(rng.integers(1, 400))
    columns, query = random_case(rng, rows, terms, float(rng.uniform(0.001, 0.2)),
                                 int(rng.integers(1, min(terms, 40) + 1)))

    got = sparse_dot(columns, query)

    assert got.dtype == np.float32 and got.shape == (rows,)
    np.testing.assert_allclose(got, public_product(columns, query), rtol=1e-5, atol=1e-6)


def test_each_row_sums_only_the_query_columns_it_holds():
    # Rows: the first holds terms 0 and 2, the second term 1 only, the third none.
    columns = sp.csc_matrix(np.array([[1.0, 0.0, 2.0], [0.0, 3.0, 0.0], [0.0, 0.0, 0.0]],
                                     np.float32))
    query = sp.csr_matrix(np.array([[0.5, 0.0, 0.25]], np.float32))

    np.testing.assert_array_equal(sparse_dot(columns, query), [1.0, 0.0, 0.0])


def test_empty_columns_in_the_query_add_nothing():
    columns = sp.csc_matrix(np.array([[1.0, 0.0], [2.0, 0.0]], np.float32))
    query = sp.csr_matrix(np.array([[1.0, 5.0]], np.float32))

    np.testing.assert_array_equal(sparse_dot(columns, query), [1.0, 2.0])


def test_an_empty_query_or_no_rows_give_zeros():
    columns = sp.csc_matrix(np.ones((3, 4), np.float32))

    np.testing.assert_array_equal(sparse_dot(columns, sp.csr_matrix((1, 4), dtype=np.float32)),
                                  np.zeros(3))
    assert sparse_dot(sp.csc_matrix((0, 4), dtype=np.float32),
                      sp.csr_matrix(np.ones((1, 4), np.float32))).shape == (0,)


def test_64_bit_indices_and_a_float64_query_take_the_kernels_too():
    rng = np.random.default_rng(3)
    columns, query = random_case(rng, 500, 60, 0.05, 12, index=np.int64)
    query.data = query.data.astype(np.float64)

    assert column_product._direct(columns)
    np.testing.assert_allclose(sparse_dot(columns, query), public_product(columns, query),
                               rtol=1e-5, atol=1e-6)


def test_a_matrix_the_kernels_do_not_take_is_sliced_publicly():
    rng = np.random.default_rng(4)
    columns, query = random_case(rng, 300, 50, 0.1, 10)
    as_float64 = columns.astype(np.float64)

    assert not column_product._direct(as_float64)
    np.testing.assert_allclose(sparse_dot(as_float64, query), public_product(columns, query),
                               rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("seed", range(6))
def test_long_columns_are_summed_in_place_to_the_same_bits(seed, monkeypatch):
    """Columns holding thousands of values each (a text's common words over 100,000
    candidates) are added one by one where they lie, not copied first: the same sums, in the
    same order, so the same float32 bits."""
    rng = np.random.default_rng(seed)
    rows = int(rng.integers(20_000, 40_000))
    columns, query = random_case(rng, rows, 30, float(rng.uniform(0.2, 0.5)),
                                 int(rng.integers(1, 12)),
                                 index=np.int64 if seed % 2 else np.int32)
    held = np.diff(columns.indptr)[query.indices]
    assert held.mean() >= column_product.IN_PLACE_VALUES

    got = sparse_dot(columns, query)
    with monkeypatch.context() as patch:
        patch.setattr(column_product, "IN_PLACE_VALUES", 10**12)  # every product copies
        copied = sparse_dot(columns, query)

    np.testing.assert_array_equal(got, copied)
    np.testing.assert_allclose(got, public_product(columns, query), rtol=1e-5, atol=1e-6)
