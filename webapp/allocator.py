"""Keep freed memory for reuse: a ranking's arrays then cost no page faults.

A ranking over 100,000 candidates makes some thirty temporary arrays of 0.4–2.3 MB each. With
glibc's default settings an array that large is served by ``mmap`` or from the top of the heap,
and given back to the kernel when freed (the heap is trimmed above 128 KB–a few MB of free
space), so the next ranking touches fresh pages: about 1,000 minor page faults per ranking,
which on this machine cost as much as computing the factors themselves
(``scripts/bench_matcher.py`` prints the faults per query). Raising the ``mmap`` threshold to
glibc's maximum (32 MiB) and the trim threshold to :data:`TRIM_BYTES` keeps those arrays in the
heap and its freed pages mapped, for the next ranking to reuse: a worker holds on to what its
largest rankings needed (tens of MB at 100,000 candidates) instead of faulting it in again.

:func:`tune` sets both with ``mallopt`` at run time (the web app calls it when it is created);
:data:`GLIBC_TUNABLES` is the same setting for a process's environment, applied from its start
(``make run`` exports it; ``scripts/bench_http.py`` gives it to the minimal app too, so both
run alike). Elsewhere than glibc (musl, macOS) both are ignored.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools

__all__ = ["GLIBC_TUNABLES", "MMAP_THRESHOLD_BYTES", "TRIM_BYTES", "tune"]

MMAP_THRESHOLD_BYTES = 32 * 1024 * 1024
"""Blocks from this size are ``mmap``-ed (glibc's largest allowed value on 64-bit)."""
TRIM_BYTES = 256 * 1024 * 1024
"""Free memory at the top of the heap kept mapped rather than given back."""
GLIBC_TUNABLES = (f"glibc.malloc.mmap_threshold={MMAP_THRESHOLD_BYTES}:"
                  f"glibc.malloc.trim_threshold={TRIM_BYTES}")

_M_TRIM_THRESHOLD = -1  # glibc's <malloc.h>
_M_MMAP_THRESHOLD = -3


@functools.cache
def tune() -> bool:
    """Apply the thresholds to this process's allocator; tell whether it took them (glibc)."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes, mallopt.restype = (ctypes.c_int, ctypes.c_int), ctypes.c_int
    return bool(mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES)
                and mallopt(_M_TRIM_THRESHOLD, TRIM_BYTES))
