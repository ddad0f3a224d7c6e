"""Comparing identifiers as people read them: case ids, handler references, file extensions.

Two references a person would read as the same are the same: ``H-014``, ``h-014``, ``H–014``
(an en dash), ``Н-014`` (a Cyrillic capital en) and ``Ｈ-014`` (full width). :func:`fold` is the
one comparison key: Unicode normalisation (NFKC), every dash and minus sign made ``-``, letters
that look like Latin ones (Cyrillic, Greek) made Latin, then case folding. :func:`looks_alike`
says whether a value needed more than case folding to reach its key (so it can be flagged).
"""

from __future__ import annotations

import re
import unicodedata

# Dashes, hyphens and minus signs (NFKC already makes the full-width and small forms '-').
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2043\u2212\u02d7\u2796\ufe58\ufe63\uff0d\u058a\u05be\u1806\u2e3a\u2e3b"
# Cyrillic and Greek letters that look like Latin ones, with the Latin letter they look like.
_LOOKALIKE_FROM = (
    "АВЕЅІЈКМНОРСТУХаеіјорсухѕԁԛԜԝ"  # Cyrillic
    "ΑΒΕΖΗΙΚΜΝΟΡΤΥΧαοριντυχ"  # Greek
    "\u0131\u0237"  # dotless i and j
)
_LOOKALIKE_TO = "ABESIJKMHOPCTYXaeijopcyxsdqWwABEZHIKMNOPTYXaopivtuxij"
assert len(_LOOKALIKE_FROM) == len(_LOOKALIKE_TO)
_TABLE = str.maketrans({**{c: "-" for c in _DASHES}, **dict(zip(_LOOKALIKE_FROM, _LOOKALIKE_TO, strict=True))})
# Characters that show as nothing: removed before comparing.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))


def fold(value: str) -> str:
    """The comparison key of an identifier (see the module's docstring)."""
    if value.isascii():  # NFKC keeps ASCII as it is, and the tables map no ASCII character
        return value.strip().casefold()
    text = unicodedata.normalize("NFKC", value).translate(_INVISIBLE).translate(_TABLE)
    return text.strip().casefold()


_DIGIT = re.compile(r"\d")


def as_read(text: str) -> str:
    """``text`` as a person reads it, for looking for things in it (an email address, a phone
    number, a postcode): Unicode normalisation (NFKC: full-width forms made plain), invisible
    characters removed, every dash made ``-``, look-alike Cyrillic and Greek letters made Latin and
    every decimal digit of any script made an ASCII digit. Letter case is kept; ASCII text is
    returned as it is."""
    if text.isascii():
        return text
    read = unicodedata.normalize("NFKC", text).translate(_INVISIBLE).translate(_TABLE)
    if read.isascii():
        return read
    return _DIGIT.sub(lambda m: str(unicodedata.decimal(m.group(), 0)), read)


def looks_alike(value: str) -> bool:
    """Whether ``value`` holds characters that only look like the ones it is read as (a dash
    other than ``-``, a Cyrillic or full-width letter, an invisible character)."""
    return not value.isascii() and fold(value) != value.strip().casefold()


def same(a: str, b: str) -> bool:
    """Whether two identifiers are the same once folded."""
    return fold(a) == fold(b)


def suffix_is(name: str, suffixes: tuple[str, ...]) -> bool:
    """Whether the file ``name`` ends with one of ``suffixes``, whatever the letter case."""
    return name.casefold().endswith(suffixes)
