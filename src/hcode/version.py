"""hcode's version (one place: the package, its cache keys and its reports read it from here)."""

__version__ = "0.1.0"
