"""Accent- and case-insensitive text normalisation shared by search and the matcher."""

import re
import unicodedata

__all__ = ["fold", "word_tokens"]

_WORD = re.compile(r"[^\W_]+")
# Letters with no Unicode decomposition that users nonetheless type without the mark.
_UNDECOMPOSABLE = str.maketrans({"œ": "oe", "æ": "ae", "ø": "o", "ł": "l", "đ": "d", "ı": "i"})


def fold(text: str) -> str:
    """Return ``text`` case-folded, stripped of accents and with whitespace collapsed.

    ``fold("  Ciudad   JUÁREZ ") == "ciudad juarez"``; ``fold("Œuvre") == "oeuvre"``.
    """
    folded = text.casefold()
    if not folded.isascii():
        decomposed = unicodedata.normalize("NFKD", folded)
        folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
        folded = folded.translate(_UNDECOMPOSABLE)
    return " ".join(folded.split())


def word_tokens(text: str) -> list[str]:
    """Return the folded words of ``text`` (letters and digits only)."""
    return _WORD.findall(fold(text))
