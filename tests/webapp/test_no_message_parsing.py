"""No code reads an error's text: an AST scan of webapp/ and matcher/ for message tests.

A refusal travels as a code with parameters; branching on its English message (``"capacity" in
str(err)``, ``re.match(..., err.message)``, ``message.startswith(...)``) breaks silently when
the wording changes and shows English to other readers. This scan fails on such a test.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ERROR_NAMES = ("err", "error", "exc", "e", "exception")
MESSAGE_ATTRS = ("message", "messages", "args", "description")
TEXT_METHODS = ("startswith", "endswith", "find", "index", "count", "partition")
REGEX_FUNCS = ("match", "fullmatch", "search", "findall", "finditer", "sub", "split")


def _is_error_name(node: ast.AST) -> bool:
    return isinstance(node, ast.Name) and (node.id in ERROR_NAMES or node.id.endswith("_err")
                                           or node.id.endswith("error"))


def _is_message(node: ast.AST, tainted: set[str]) -> bool:
    """Tell whether an expression is an error's text (or a name holding one)."""
    if isinstance(node, ast.Name):
        return node.id in tainted
    if isinstance(node, ast.Attribute):
        return node.attr in MESSAGE_ATTRS and _is_error_name(node.value)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and \
            node.func.id in ("str", "repr") and node.args:
        return _is_error_name(node.args[0])
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(v, ast.FormattedValue) and _is_error_name(v.value)
                   for v in node.values)
    return False


def message_tests(source: str, filename: str = "<source>") -> list[str]:
    """Return ``file:line`` of each regex, ``in`` or ``startswith`` test on an error's text."""
    tree = ast.parse(source, filename)
    tainted: set[str] = set()
    for node in ast.walk(tree):  # names given an error's text: ``english = str(err)``
        if isinstance(node, ast.Assign) and _is_message(node.value, set()):
            tainted |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare) and any(isinstance(op, ast.In | ast.NotIn)
                                                 for op in node.ops):
            hit = any(_is_message(side, tainted) for side in [node.left, *node.comparators])
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in TEXT_METHODS:
                hit = _is_message(node.func.value, tainted)
            elif node.func.attr in REGEX_FUNCS:
                hit = any(_is_message(arg, tainted) for arg in node.args)
            else:
                hit = False
        else:
            hit = False
        if hit:
            found.append(f"{filename}:{node.lineno}")
    return found


def source_files() -> list[Path]:
    return sorted(p for package in ("webapp", "matcher") for p in (ROOT / package).rglob("*.py")
                  if "migrations" not in p.parts)


def test_no_code_tests_an_errors_text():
    found = [hit for path in source_files()
             for hit in message_tests(path.read_text(), str(path.relative_to(ROOT)))]
    assert found == []


@pytest.mark.parametrize("snippet", [
    'if "capacity" in str(err):\n    pass\n',
    'english = str(err)\nif "already" in english:\n    pass\n',
    'found = PATTERN.match(err.message)\n',
    're.fullmatch(r"Unknown .*", error.message)\n',
    'ok = str(exc).startswith("No")\n',
    'x = [m for m in rules if m in err.messages]\n',
])
def test_the_scan_catches_a_test_on_an_errors_text(snippet):
    assert message_tests(snippet) != []


@pytest.mark.parametrize("snippet", [
    'if err.code in ("feedback_given", "review_given"):\n    pass\n',
    'if "capacity" in options:\n    pass\n',
    'text = describe(err.code, locale, **err.params)\n',
])
def test_the_scan_lets_codes_through(snippet):
    assert message_tests(snippet) == []
