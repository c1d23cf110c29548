"""A job for the queue tests: its first run kills the worker's child running it (as a crash
would), the next one succeeds."""

from __future__ import annotations

import os
from pathlib import Path


def crash_once(marker: str) -> str:
    """Die without a word the first time (the marker file is then written), else succeed."""
    path = Path(marker)
    if not path.exists():
        path.write_text("crashed once")
        os._exit(1)
    return "done on a later attempt"
