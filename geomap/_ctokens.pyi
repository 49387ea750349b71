"""Types of the compiled tokeniser (``geomap/_ctokens.c``): the same answers as geoparse's Python
``_Tokens`` and ``_candidate_spans_py``."""

from collections.abc import Callable, Collection

class Token:
    """A token of a text and what the name rules ask of it (a struct sequence)."""

    @property
    def text(self) -> str: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def arabic(self) -> bool: ...
    @property
    def capitalised(self) -> bool: ...
    @property
    def word(self) -> bool: ...

def tokenize(text: str, /) -> tuple[list[tuple[int, int]], list[Token]]: ...
def candidate_spans(
    text: str,
    spans: list[tuple[int, int]],
    admin_suffixes: Collection[str],
    connectors: Collection[str],
    key: Callable[[str], str],
    max_tokens: int,
    /,
) -> list[tuple[int, int, str]]: ...
