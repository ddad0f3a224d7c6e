"""Sealed cache files: the cache may only make hcode faster, never change an answer.

Everything hcode keeps in ``.hcode-cache/`` (findings, derived results, bank holidays, the files
``fmt`` found canonical) is kept by one class, :class:`SealedCache`: a value under a key (a
digest of every input it depends on; hcode's version is added to it), written atomically, and
ignored (so rebuilt) when it is missing, broken, sealed by someone else or made for other
inputs. Typed results are stored and rebuilt as their dataclasses: rows of plain values as JSON
(:func:`rows_of`, :func:`rows_as`), any other typed result pickled (:data:`TYPED`), which only
the seal makes safe: a pickle is read only once its seal proves this user's hcode wrote it, and
even then it may build nothing but hcode's own data classes (:class:`_Unpickler`).

Each file is written with a keyed hash (HMAC-SHA-256) of its contents in the first line. The key is
a random secret kept outside the workspace, in the user's cache folder
(``$XDG_CACHE_HOME/hcode/cache-key``, else ``~/.cache/hcode/cache-key``, readable by the user
only). A cache file edited by hand, copied
from another machine or committed to a repository does not carry a valid seal, so it is ignored
and rebuilt. Where no key can be kept, hcode simply runs without a cache.
"""

from __future__ import annotations

import copyreg
import enum
import hashlib
import hmac
import io
import os
import pickle
import secrets
import types
import typing
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields, is_dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, Generic, TypeVar

import orjson

from hcode.store.atomic import WriteRefused, atomic_write, confine
from hcode.version import __version__

T = TypeVar("T")

MAGIC = b"hcode-sealed-2 "  # 1: sealed with a keyed BLAKE2b
KEY_ENV = "XDG_CACHE_HOME"


def key_path() -> Path:
    base = os.environ.get(KEY_ENV) or str(Path.home() / ".cache")
    return Path(base) / "hcode" / "cache-key"


@cache
def _secret_at(path: str) -> bytes | None:
    target = Path(path)
    try:
        data = target.read_bytes()
    except FileNotFoundError:
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(secrets.token_hex(32).encode())
        except FileExistsError:
            pass  # another hcode process made it just now
        except OSError:
            return None
        try:
            data = target.read_bytes()
        except OSError:
            return None
    except OSError:
        return None
    data = data.strip()
    return data if len(data) >= 32 else None


def secret() -> bytes | None:
    """This user's cache key (created on first use), or None where none can be kept."""
    return _secret_at(str(key_path()))


#: Bytes written or kept in parts, one after the other (a large value is never copied whole to
#: join them).
Parts = Sequence[bytes | memoryview]


def parts(value: bytes | memoryview | Parts) -> list[bytes | memoryview]:
    """Bytes, or their parts, as parts."""
    return [value] if isinstance(value, bytes | bytearray | memoryview) else list(value)


def _mac(key: bytes, body: bytes | memoryview | Parts) -> bytes:
    """HMAC-SHA-256 (OpenSSL's, with the processor's SHA instructions where it has them: twice
    the speed of a keyed BLAKE2b on the large answers a warm run reads, 0.06 s for 117 MB)."""
    h = hmac.new(key, digestmod="sha256")
    for part in parts(body):
        h.update(part)
    return h.hexdigest().encode()


def read_sealed(path: Path) -> bytes | None:
    """The body of a sealed file, or None when it is missing, damaged or not sealed by this user."""
    found = _read_sealed(path)
    return None if found is None else found[0][found[1] :]


def _read_sealed(path: Path) -> tuple[bytes, int] | None:
    """A sealed file's bytes and where its body starts (not copied), as :func:`read_sealed`."""
    key = secret()
    if key is None:
        return None
    if path.parent.is_symlink() or path.is_symlink():
        return None  # the cache is never read through a symbolic link
    try:
        data = path.read_bytes()
    except OSError:
        return None
    end = data.find(b"\n")
    if end < 0 or not data.startswith(MAGIC):
        return None
    if not hmac.compare_digest(data[len(MAGIC) : end], _mac(key, memoryview(data)[end + 1 :])):
        return None
    return data, end + 1


def write_sealed(path: Path, body: bytes | Parts) -> None:
    """Write ``body`` (or its parts, one after the other) sealed with this user's key (silently
    nothing when there is no key or the file cannot be written: a missing cache only costs time)."""
    key = secret()
    if key is None:
        return
    root = path.parent.parent  # every cache file is WORKSPACE/.hcode-cache/NAME
    try:
        confine(path, root)  # never through a link: checked before the folder is made
        path.parent.mkdir(exist_ok=True)
        if not (path.parent / ".gitignore").exists():
            atomic_write(path.parent / ".gitignore", "*\n", root=root)
        pieces = parts(body)
        atomic_write(path, [MAGIC + _mac(key, pieces) + b"\n", *pieces], root=root)
    except (OSError, WriteRefused):
        pass


def same_as(fingerprint: str | None) -> Callable[[bytes | None], bool]:
    """A test that bytes still have ``fingerprint`` (for a compare-before-write)."""
    return lambda data: data is not None and fingerprint is not None and digest(data) == fingerprint


# A file whose status changed less than this long before it was looked at is not trusted by its
# status alone: a second write within the same tick of the file system's clock would leave the
# status as it was (the "racy" file of git's index); its bytes are compared instead.
RACY_NS = 3_000_000_000


def file_stamps(base: str, rels: Iterable[str], since_ns: int) -> dict[str, str | None]:
    """Each file's stamp: its device, inode, size, modification and change times (``os.stat``),
    which any write, rename onto it, copy or ``touch -r`` changes (the change time cannot be set
    back). None where it cannot be trusted alone: the file changed within :data:`RACY_NS` of
    ``since_ns`` (or has a time in the future), or cannot be looked at."""
    out: dict[str, str | None] = {}
    limit = since_ns - RACY_NS
    stat = os.stat
    for rel in rels:
        try:
            out[rel] = stamp_of(stat(base + rel), limit)
        except OSError:
            out[rel] = None
    return out


def stamp_of(st: os.stat_result, limit: int) -> str | None:
    """A file's stamp from its status (:func:`file_stamps`); None when it changed at or after
    ``limit`` (nanoseconds since the epoch)."""
    if st.st_ctime_ns >= limit or st.st_mtime_ns >= limit:
        return None
    return f"{st.st_dev}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}"


def digest(data: bytes) -> str:
    """A short fingerprint of a file's bytes (what cache entries are keyed by)."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


# -- one class for every cached thing --------------------------------------------------------


@dataclass(frozen=True)
class Codec(Generic[T]):
    """How a cached value is kept and built back: as a JSON value, or (``binary``) as bytes (or
    their :data:`Parts`, for a large value: written as they are, not joined). ``decode`` raises
    ``ValueError``, ``TypeError``, ``KeyError`` or ``IndexError`` on what it cannot rebuild (the
    cache is then ignored)."""

    encode: Callable[[T], Any]
    decode: Callable[[Any], T]
    binary: bool = False


JSON: Codec[Any] = Codec(lambda value: value, lambda data: data)


def _mapping(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise TypeError("not a mapping")
    return data


MAPPING: Codec[dict[str, Any]] = Codec(lambda value: value, _mapping)  # a JSON object


def _is_date(hint: Any) -> bool:
    """Whether a field's type is ``date`` or ``date | None``."""
    if hint is date:
        return True
    return isinstance(hint, types.UnionType | typing._UnionGenericAlias) and date in typing.get_args(hint)  # type: ignore[attr-defined]


def rows_of(cls: type[T]) -> Codec[list[T]]:
    """A list of ``cls`` (a dataclass of plain values: text, numbers, booleans, dates, tuples)
    kept as one array of field values per item, in the order of its fields (dates as ISO text),
    and rebuilt as ``cls`` items."""
    assert is_dataclass(cls)
    hints = typing.get_type_hints(cls)
    names = [f.name for f in fields(cls)]
    dated = [i for i, name in enumerate(names) if _is_date(hints[name])]
    tupled = [i for i, name in enumerate(names) if typing.get_origin(hints[name]) is tuple]
    width = len(names)
    iso = date.fromisoformat

    def encode(items: list[T]) -> Any:
        return [[getattr(item, name) for name in names] for item in items]

    def decode(data: Any) -> list[T]:
        if not isinstance(data, list):
            raise TypeError("not a list of rows")
        out: list[T] = []
        for row in data:
            if len(row) != width:
                raise ValueError("not a row")
            for i in dated:
                if row[i] is not None:
                    row[i] = iso(row[i])
            for i in tupled:
                row[i] = tuple(row[i])
            out.append(cls(*row))
        return out

    return Codec(encode, decode)


def _proxy(items: dict[Any, Any]) -> types.MappingProxyType[Any, Any]:
    """A read-only mapping, as typed results hold them (how a pickled one is built back)."""
    return types.MappingProxyType(items)


_REDUCERS: dict[type, Callable[[Any], Any]] = {
    **copyreg.dispatch_table,
    # a read-only mapping (MappingProxyType) is kept as its items and built back by _proxy
    types.MappingProxyType: lambda m: (_proxy, (dict(m),)),
}


#: What a kept value may be built of besides hcode's own classes.
_STANDARD = {("datetime", "date"), ("datetime", "datetime"), ("datetime", "timedelta"), ("datetime", "timezone")}


class _Unpickler(pickle.Unpickler):
    """Builds hcode's data classes, enumerations and named tuples, read-only mappings and dates,
    and nothing else: no function is called, no other class made."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _STANDARD:
            return super().find_class(module, name)
        if module == "hcode" or module.startswith("hcode."):
            found = super().find_class(module, name)
            if found is _proxy or (
                isinstance(found, type) and (is_dataclass(found) or issubclass(found, (enum.Enum, tuple)))
            ):
                return found
        raise pickle.UnpicklingError(f"{module}.{name} is not kept in hcode's cache")


def _pickled(value: Any) -> bytes:
    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _REDUCERS
    pickler.dump(value)
    return out.getvalue()


def value_digest(value: Any) -> str:
    """A digest of a typed value (what :data:`TYPED` keeps) by what it holds: its classes and
    values, in order, whether or not equal pieces of it are one object (a value built afresh and
    the same value read back from the cache share their texts differently). Raises what pickling
    raises (``TypeError`` for what cannot be kept, ``RecursionError`` for a value that holds
    itself)."""
    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _REDUCERS
    pickler.fast = True  # no memo: each piece written where it is, shared or not
    pickler.dump(value)
    return hashlib.sha256(out.getvalue()).hexdigest()


def _unpickled(data: Any) -> Any:
    if not isinstance(data, bytes | memoryview):
        raise TypeError("not a pickle")
    try:
        return _Unpickler(io.BytesIO(data)).load()
    except Exception as exc:  # whatever it is, the kept value is not used (and is rebuilt)
        raise ValueError("the kept value cannot be built back") from exc


#: Any typed result (dataclasses of plain values, tuples, read-only mappings, dates) pickled: the
#: exact objects come back, fast. Kept in a :class:`SealedCache` only: see the module's text.
TYPED: Codec[Any] = Codec(_pickled, _unpickled, binary=True)


def _text(data: Any) -> str:
    if not isinstance(data, bytes | memoryview):
        raise TypeError("not text")
    return str(data, "utf-8")  # UnicodeDecodeError is a ValueError


#: A text (a large output, such as the export) kept as its UTF-8 bytes, not as a JSON string:
#: read back without unescaping, and without a second, escaped copy.
TEXT: Codec[str] = Codec(lambda text: text.encode("utf-8"), _text, binary=True)


def rows_as(to_row: Callable[[T], dict[str, Any]], from_row: Callable[[dict[str, Any]], T]) -> Codec[list[T]]:
    """A list of typed items kept as the rows their command prints as JSON (``to_row``) and
    rebuilt from them (``from_row``): for results whose JSON output is the rows themselves, which
    can then be read without building an item each (:meth:`SealedCache.load` ``encoded``)."""
    return Codec(lambda items: [to_row(item) for item in items], lambda rows: [from_row(row) for row in rows])


class SealedCache(Generic[T]):
    """One file of ``.hcode-cache/``: a value kept under a key, sealed with the user's key.

    ``load(key)`` gives the value only when the file is whole, sealed by this user, made by this
    version of hcode for the same ``key`` and rebuilt by the codec without complaint; else None,
    and the caller computes the value again and ``store``s it (atomically)."""

    def __init__(self, root: Path, name: str, codec: Codec[T] = JSON) -> None:
        self.path = root / ".hcode-cache" / name
        self.codec = codec

    def load(self, key: str) -> T | None:
        found = self.load_encoded(key)
        if found is None:
            return None
        try:
            return self.codec.decode(found[0])
        except (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError):
            return None

    def load_encoded(self, key: str) -> tuple[Any] | None:
        """The value as the codec encoded it (in a 1-tuple), not rebuilt; None as for
        :meth:`load` (what the codec would refuse is the caller's to check)."""
        found = _read_sealed(self.path)
        if found is None:
            return None
        data, start = found  # the body is data[start:], looked at in place (not copied)
        # a binary value follows a line of JSON that says what it was made for
        end = data.find(b"\n", start) if self.codec.binary else len(data)
        try:
            doc = orjson.loads(memoryview(data)[start:end] if end >= 0 else b"")
        except (ValueError, RecursionError):
            return None
        if not isinstance(doc, dict) or doc.get("key") != key or doc.get("hcode") != __version__:
            return None
        if self.codec.binary:
            return (memoryview(data)[end + 1 :],) if end >= 0 and doc.get("value") == "binary" else None
        return (doc["value"],) if "value" in doc else None

    def store(self, key: str, value: T) -> None:
        self.store_encoded(key, self.codec.encode(value))

    def store_encoded(self, key: str, encoded: Any) -> None:
        """Keep a value already encoded by the codec (JSON values, or bytes for a binary codec)."""
        if self.codec.binary:
            head = orjson.dumps({"hcode": __version__, "key": key, "value": "binary"})
            write_sealed(self.path, [head + b"\n", *parts(encoded)])
        else:
            write_sealed(self.path, orjson.dumps({"hcode": __version__, "key": key, "value": encoded}))
