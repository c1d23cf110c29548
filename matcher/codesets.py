"""Code-set columns: packed multi-hot rows of one or more 64-bit words, compared exactly.

A :class:`~matcher.encoders.CodeSetEncoder` numbers its codes (countries, certifications,
needs) and packs each profile's codes into bits: bit ``i`` set when the profile has code ``i``.
A column of masks is

* **narrow**, a 1-D array of one unsigned integer per row, when every code its rows hold has
  a bit below 64 (or below the encoder's dtype width): the common case, one ``&`` and one
  ``np.bitwise_count`` a row; or
* **wide**, a 2-D ``(rows, words)`` uint64 array, word ``w`` holding bits ``64w`` to
  ``64w + 63``, when a row holds a code numbered 64 or more.

There is no limit to the number of codes: a program with hundreds of certifications compares
each exactly. The encoder gives its most frequent codes (at fit time) the low bits, so most
columns stay narrow. Two columns of different widths (an index segment encoded before a code
took bit 64, a query encoded after) are compared as if the narrower had zero words beyond its
own. The functions here take either form and return plain 1-D arrays, one value per row.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

__all__ = ["WORD_BITS", "bit_table", "count", "holds", "is_empty", "pack", "row_int",
           "shared_count", "stack", "unique_inverse"]

WORD_BITS = 64
_WORD = (1 << WORD_BITS) - 1
_MAX_COUNT = 255  # the claim-credit tables (:mod:`matcher.factors`) have 256 entries


def pack(masks: Sequence[int], dtype: np.dtype) -> np.ndarray:
    """Return Python-int masks as a column: narrow (``dtype``) when they fit, else wide."""
    bits = max((mask.bit_length() for mask in masks), default=0)
    if bits <= np.dtype(dtype).itemsize * 8:
        return np.array(masks, dtype=dtype)
    width = -(-bits // WORD_BITS)
    return np.array([[mask >> (WORD_BITS * w) & _WORD for w in range(width)]
                     for mask in masks], dtype=np.uint64).reshape(len(masks), width)


def _width(masks: np.ndarray) -> int:
    return 1 if masks.ndim == 1 else masks.shape[1]


def _wide(masks: np.ndarray, width: int) -> np.ndarray:
    """Return ``masks`` as a ``(rows, width)`` uint64 array (zero words added on the right)."""
    masks = np.asarray(masks)
    if masks.ndim == 1:
        masks = masks.astype(np.uint64, copy=False)[:, None]
    if masks.shape[1] < width:
        masks = np.pad(masks, ((0, 0), (0, width - masks.shape[1])))
    return masks


def _aligned(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    width = max(_width(a), _width(b))
    return _wide(a, width), _wide(b, width)


def _total(bits: np.ndarray) -> np.ndarray:
    """Return per-row bit counts (wide: summed over words), at most 255, as uint8."""
    if bits.ndim == 1:
        return np.bitwise_count(bits)
    summed = np.bitwise_count(bits).sum(axis=1)
    return np.minimum(summed, _MAX_COUNT).astype(np.uint8)


def count(masks: np.ndarray) -> np.ndarray:
    """Return how many codes each row holds (at most 255)."""
    return _total(masks)


def shared_count(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Return how many codes each row of ``a`` shares with the matching row of ``b``
    (either may be one row, broadcast to the other's), at most 255."""
    if a.ndim == 1 and b.ndim == 1:
        return np.bitwise_count(a & b)
    a, b = _aligned(a, b)
    return _total(a & b)


def is_empty(masks: np.ndarray) -> np.ndarray:
    """Tell which rows hold no code."""
    return masks == 0 if masks.ndim == 1 else ~masks.any(axis=1)


def holds(masks: np.ndarray, bit: int) -> np.ndarray:
    """Tell which rows hold the code of ``bit``."""
    word, offset = divmod(int(bit), WORD_BITS)
    if word >= _width(masks) or (masks.ndim == 1 and offset >= masks.dtype.itemsize * 8):
        return np.zeros(masks.shape[0], bool)
    column = masks if masks.ndim == 1 else masks[:, word]
    return (column & column.dtype.type(1 << offset)) != 0


def bit_table(masks: np.ndarray, size: int) -> np.ndarray:
    """Return, for one row of masks, which of the bits ``0 … size - 1`` it holds."""
    value = row_int(masks, 0)
    return np.array([value >> bit & 1 for bit in range(size)], dtype=bool)


def row_int(masks: np.ndarray, row: int) -> int:
    """Return the mask of one row as a Python int (every word of it)."""
    if masks.ndim == 1:
        return int(masks[row])
    return sum(int(word) << (WORD_BITS * w) for w, word in enumerate(masks[row].tolist()))


def unique_inverse(values: np.ndarray) -> np.ndarray:
    """Return the number of each row's distinct value (a wide row is one value)."""
    if values.ndim == 1:
        return np.unique(values, return_inverse=True)[1]
    return np.unique(values, axis=0, return_inverse=True)[1].reshape(-1)


def stack(parts: Iterable[np.ndarray]) -> np.ndarray:
    """Return the rows of columns of masks one after the other (wide if any is)."""
    parts = list(parts)
    if all(part.ndim == 1 for part in parts):
        return np.concatenate(parts)
    width = max(_width(part) for part in parts)
    return np.concatenate([_wide(part, width) for part in parts])
