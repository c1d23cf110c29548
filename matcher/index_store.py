"""Candidate indexes on disk: one ``.npy`` file per array, loaded memory-mapped.

:func:`save_index` writes the live rows of a :class:`~matcher.index.CandidateIndex` into a
directory: every column of its :class:`~matcher.features.ProfileArrays` (a sparse column as
its ``data``, ``indices`` and ``indptr``), the language and sector patterns, the sorted-id
lookup, and ``index.json`` describing them. :func:`load_index` reads them back with
``numpy.load(mmap_mode="r")``: the operating system pages the arrays in on first use and shares
them between every process that maps the same files, so a worker starts without encoding a
profile and holds little memory of its own. The loaded index ranks exactly as the one saved;
upserts and removals go to its (in-memory) delta and ``alive`` mask as usual, the mapped base
is never written.

Nothing here is pickled (``allow_pickle=False``): a file can hold numbers only.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import scipy.sparse as sp

from .errors import BundleError
from .factors import LANGUAGE_PATTERN_ROWS, warm_patterns
from .features import ProfileArrays
from .index import CandidateIndex, Segment

if TYPE_CHECKING:
    from .bundle import ModelBundle

__all__ = ["INDEX_FORMAT", "load_index", "save_index"]

INDEX_FORMAT = 3
"""2: text columns without generic words, code-set columns of one or more 64-bit words, the
``blank`` column (texts left empty). 3: text columns without the words around a place and a
trade's frequency (``based``, ``north``, ``america``, ``regularly``…, made generic since)."""
_PATTERNS = ("language_patterns", "sector_patterns")
DESCRIPTION = "index.json"
_SPARSE = {"csc": sp.csc_matrix, "csr": sp.csr_matrix}


def save_index(index: CandidateIndex, directory: str | Path) -> Path:
    """Write the index's live rows to ``directory`` (created; files in it are replaced)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    if len(index._delta) or not index._base.alive.all():  # one segment of live rows only
        index.compact()
    base = index._base
    arrays = base.arrays
    columns: dict[str, Any] = {}
    for name, value in _columns(arrays).items():
        columns[name] = _save_value(directory, name, value)
    for name in _PATTERNS:
        pattern, patterns = getattr(arrays, name)
        columns[f"{name}.rows"] = _save_value(directory, f"{name}.rows", pattern)
        columns[f"{name}.matrix"] = _save_value(directory, f"{name}.matrix", patterns)
    _save_value(directory, "segment.sorted_ids", base.sorted_ids)
    _save_value(directory, "segment.order", base.order)
    description = {"format": INDEX_FORMAT, "kind": index.kind, "rows": len(arrays),
                   "bundle_version": index.bundle.version, "columns": columns,
                   "texts": sorted(arrays.texts)}
    (directory / DESCRIPTION).write_text(json.dumps(description, indent=1))
    return directory


def load_index(bundle: ModelBundle, directory: str | Path, *,
               mmap_mode: str | None = "r") -> CandidateIndex:
    """Return the index saved in ``directory``, its arrays memory-mapped.

    Raises
    ------
    BundleError
        If the directory holds no index of this format, or one built with another bundle.
    """
    directory = Path(directory)
    try:
        description = json.loads((directory / DESCRIPTION).read_text())
    except (OSError, ValueError) as error:
        raise BundleError(f"no candidate index in {directory}: {error}") from error
    if description.get("format") != INDEX_FORMAT:
        raise BundleError(f"candidate index format {description.get('format')!r} "
                          f"is not {INDEX_FORMAT}")
    if description["bundle_version"] != bundle.version:
        raise BundleError(f"candidate index built with bundle {description['bundle_version']}, "
                          f"not {bundle.version}")
    columns = description["columns"]
    expected = set(_columns(_empty_arrays(description["kind"], description["texts"])))
    if expected != {name for name in columns if name.partition(".")[0] not in _PATTERNS}:
        raise BundleError("candidate index columns differ from this release's")
    values = {name: _load_value(directory, name, spec, mmap_mode)
              for name, spec in columns.items()}
    patterns = {name: (values.pop(f"{name}.rows"), values.pop(f"{name}.matrix"))
                for name in _PATTERNS if f"{name}.rows" in values}
    texts = {role: values.pop(f"text:{role}") for role in description["texts"]}
    arrays = ProfileArrays(kind=description["kind"], texts=texts, **values)
    for name, (rows, matrix) in patterns.items():
        # The cached properties, as built (one saved before sector patterns makes its own);
        # gathered with on every ranking, so in np.take's own index type (once saved int32).
        arrays.__dict__[name] = (rows.astype(np.intp, copy=False), matrix)
    if len(arrays) >= LANGUAGE_PATTERN_ROWS:
        warm_patterns(arrays)
    segment = Segment(arrays, np.ones(len(arrays), bool),
                      _load_array(directory, "segment.sorted_ids", mmap_mode),
                      _load_array(directory, "segment.order", mmap_mode))
    index = CandidateIndex(bundle, description["kind"])
    index._base = segment
    return index


def _columns(arrays: ProfileArrays) -> dict[str, Any]:
    return arrays._columns()


def _empty_arrays(kind: str, texts: list[str]) -> ProfileArrays:
    empty = np.zeros(0)
    return ProfileArrays(kind=kind, ids=empty, country=empty, languages=empty, targets=empty,
                         sector=empty, units=empty, located=empty,
                         texts={role: empty for role in texts})


def _save_value(directory: Path, name: str, value: Any) -> dict[str, Any]:
    if value is None:
        return {"type": "none"}
    if sp.issparse(value):
        for part in ("data", "indices", "indptr"):
            np.save(directory / f"{name}.{part}.npy", getattr(value, part), allow_pickle=False)
        return {"type": "sparse", "format": value.format, "shape": list(value.shape)}
    np.save(directory / f"{name}.npy", np.ascontiguousarray(value), allow_pickle=False)
    return {"type": "array"}


def _load_value(directory: Path, name: str, spec: dict[str, Any], mmap_mode: str | None) -> Any:
    if spec["type"] == "none":
        return None
    if spec["type"] == "array":
        return _load_array(directory, name, mmap_mode)
    parts = [_load_array(directory, f"{name}.{part}", mmap_mode)
             for part in ("data", "indices", "indptr")]
    matrix = _SPARSE[spec["format"]](tuple(parts), shape=tuple(spec["shape"]), copy=False)
    matrix.has_sorted_indices = True  # written sorted; never re-sorted in a read-only map
    return matrix


def _load_array(directory: Path, name: str, mmap_mode: str | None) -> np.ndarray:
    path = directory / f"{name}.npy"
    if mmap_mode is not None:
        try:
            mapped = np.load(path, mmap_mode=mmap_mode, allow_pickle=False)
        except ValueError:  # an empty array cannot be mapped
            pass
        else:
            # A plain array over the same mapped pages (the memmap stays its base): every
            # index, slice or ufunc on a ``np.memmap`` runs its Python ``__getitem__`` /
            # ``__array_finalize__`` and returns another memmap, ~120 calls a ranking.
            return mapped.view(np.ndarray)
    return np.load(path, allow_pickle=False)
