"""The product of a CSC matrix with one sparse query row, touching only the query's columns.

Every ranking takes three such products: a query's text against every candidate's (about
30 of its columns, some 280,000 stored values at 100,000 mentors), and its sectors and
languages against a segment's distinct sector and language sets. Through ``scipy.sparse``'s
public slicing (``columns[:, query.indices] @ query.data``) the fixed cost of checking and
wrapping the slice was most of the small products (35 and 45 µs for 7 and 44 µs of work)
and a quarter of the large one; ``scripts/time_ranking_steps.py`` and
``scripts/bench_versions.py`` measure it.

:func:`sparse_dot` calls the two compiled kernels that slicing and the product run anyway
(``csr_row_index``, which copies the chosen columns, and ``csc_matvec``) on arrays it sizes
itself; long columns (the text's) it does not copy: ``csc_matvec`` adds each where it lies
(:data:`IN_PLACE_VALUES`). They live in SciPy's private ``scipy.sparse._sparsetools``
(unchanged in signature since SciPy 0.7); the lock pins SciPy, the tests compare the result
with the public slicing on random matrices, and when the module is missing, or the matrix's
arrays are not of the kernels' types, the public slicing answers.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

try:  # SciPy's own compiled kernels, as scipy.sparse calls them
    from scipy.sparse import _sparsetools as _kernels
except ImportError:  # pragma: no cover - a SciPy without them: the public path
    _kernels = None

__all__ = ["sparse_dot"]

_INDEX_TYPES = (np.dtype(np.int32), np.dtype(np.int64))
IN_PLACE_VALUES = 4096
"""Values a chosen column holds on average from which the product reads the columns where
they lie, one kernel call each, rather than copying them into one matrix for one call: a
text's words over 100,000 candidates hold some 8,000 each, and copying them cost more than the
calls; a segment's sector sets hold some 1,200, and the calls cost more than the copy."""


def sparse_dot(columns: sp.csc_matrix, query: sp.csr_matrix) -> np.ndarray:
    """Return ``columns @ query.T`` as float32, touching only the query's columns.

    ``columns`` is CSC (one column per term, code or language; one row per candidate or
    pattern); ``query`` one CSR row over the same columns. Slicing the few columns the query
    holds is far cheaper than a sparse-by-sparse product.
    """
    if query.nnz == 0 or columns.shape[0] == 0:
        return np.zeros(columns.shape[0], np.float32)
    if not _direct(columns):
        return np.asarray(columns[:, query.indices] @ query.data, dtype=np.float32)
    index = columns.indptr.dtype
    chosen = query.indices.astype(index, copy=False)
    weights = query.data.astype(np.float32, copy=False)
    start = columns.indptr[chosen]
    counts = columns.indptr[chosen + 1] - start
    out = np.zeros(columns.shape[0], np.float32)
    if counts.sum() >= IN_PLACE_VALUES * chosen.size:
        # Long columns: each added where it lies, one product of one column at a time (the
        # same sums in the same order as below, without copying a value).
        one = np.zeros(2, index)
        for i, (first, count) in enumerate(zip(start.tolist(), counts.tolist(),
                                               strict=True)):
            one[1] = count
            _kernels.csc_matvec(columns.shape[0], 1, one,
                                columns.indices[first:first + count],
                                columns.data[first:first + count], weights[i:i + 1], out)
        return out
    indptr = np.zeros(chosen.size + 1, index)
    np.cumsum(counts, out=indptr[1:])
    size = int(indptr[-1])
    indices, data = np.empty(size, index), np.empty(size, np.float32)
    # The chosen columns of a CSC matrix are the chosen rows of its transpose (CSR).
    _kernels.csr_row_index(chosen.size, chosen, columns.indptr, columns.indices,
                           columns.data, indices, data)
    _kernels.csc_matvec(columns.shape[0], chosen.size, indptr, indices, data, weights, out)
    return out


def _direct(columns: sp.csc_matrix) -> bool:
    """Tell whether the kernels take the matrix's arrays as they are (else slicing does)."""
    return (_kernels is not None and columns.format == "csc"
            and columns.data.dtype == np.float32
            and columns.indptr.dtype in _INDEX_TYPES
            and columns.indices.dtype == columns.indptr.dtype)
