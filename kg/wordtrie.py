"""One regular expression for a large set of words, factored as a trie.

An alternation of thousands of literal words (``北京市|北京|…``) makes the
regex engine try every word at every position of a text; the same words
factored by their shared prefixes (``北京(?:市)?|…``) try one branch per
character. At each position the longest word that matches wins, as it does
for an alternation sorted longest first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_END = ""


def _trie(words: Iterable[str]) -> dict:
    root: dict = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[_END] = {}
    return root


def _pattern(node: dict) -> str:
    branches = [re.escape(char) + _pattern(child) for char, child in sorted(node.items()) if char != _END]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if _END in node else body


def compile_words(words: Iterable[str]) -> re.Pattern[str]:
    """A pattern that matches any of ``words`` (none empty), the longest one where several start at
    the same place; it never matches when ``words`` is empty."""
    kept = [w for w in words if w]
    return re.compile(_pattern(_trie(kept)) if kept else r"(?!)")
