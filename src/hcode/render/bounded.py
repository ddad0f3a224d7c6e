"""Running a workspace's own template in a child process the operating system bounds.

A workspace template is code its authors wrote: Jinja's sandbox stops it reaching Python, files
or the network, and the operating system stops it using more than the processor time
(``RLIMIT_CPU``) or the memory beyond what hcode already holds (``RLIMIT_AS``) it is given,
however it goes about it. The child is a ``fork`` of hcode, so the report's
figures are not copied or re-read; it sends back the text (or the error) through a pipe.

Where the operating system has no ``fork`` or no ``resource`` module (Windows), :func:`available`
is false and the caller renders in its own process, bounded by the sandbox, its time limit and
its output limit alone.
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import sys
import time
from collections.abc import Callable
from typing import Any

from hcode.errors import HcodeError

#: A child that has neither finished nor used up its processor time after this long (it is
#: waiting on something: a template cannot sleep) is stopped.
WALL_SECONDS = 300.0


class Stopped(HcodeError):
    """The operating system stopped the template, or it ran out of what it may use (message says
    which, for people)."""


def available() -> bool:
    """Whether templates can be bounded by the operating system here (POSIX: fork and resource)."""
    if not hasattr(os, "fork") or sys.platform == "win32":
        return False
    try:
        import resource  # noqa: F401
    except ImportError:
        return False
    return True


def _address_space() -> int | None:
    """The bytes of address space this process holds now (None where it cannot be read)."""
    try:
        with open("/proc/self/statm", "rb") as handle:
            return int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def _cpu_message(seconds: float) -> str:
    return f"rendering took longer than {seconds:g} seconds of processor time (a loop without end?)"


def _memory_message(limit: int) -> str:
    return f"the template asks for too much: more than {limit // (1024 * 1024):,} MB of memory"


def _limit(cpu: float, memory: int) -> None:
    """In the child: the operating system's bounds, and a clear error when the time runs out."""
    import resource

    seconds = max(1, round(cpu))

    def out_of_time(signum: int, frame: Any) -> None:
        raise Stopped(_cpu_message(cpu))

    signal.signal(signal.SIGXCPU, out_of_time)
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    signal.setitimer(signal.ITIMER_REAL, 0)
    # soft: SIGXCPU (the error above); hard, a second later: the system ends the process (never
    # above a hard limit the process already has)
    _, cpu_hard = resource.getrlimit(resource.RLIMIT_CPU)
    if cpu_hard != resource.RLIM_INFINITY:
        seconds = max(1, min(seconds, cpu_hard - 1))
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1 if cpu_hard == resource.RLIM_INFINITY else cpu_hard))
    held = _address_space()
    if held is not None:
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        wanted = held + memory
        if hard != resource.RLIM_INFINITY:
            wanted = min(wanted, hard)
        resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))


def _picklable(exc: BaseException) -> BaseException:
    """``exc`` if it survives the pipe, else a Stopped with its text."""
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        return Stopped(f"{type(exc).__name__}: {exc}")
    return exc


def run(work: Callable[[], str], *, cpu: float, memory: int, on_error: Callable[[BaseException], BaseException]) -> str:
    """``work()`` in a child process within ``cpu`` seconds of processor time and ``memory``
    bytes more than this process holds; its text, or its exception raised here (``on_error``
    turns a :class:`Stopped` or any other exception into the caller's kind of error)."""
    read_end, write_end = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        code = 0
        try:
            os.close(read_end)
            try:
                _limit(cpu, memory)
                result: tuple[str, Any] = ("text", work())
            except MemoryError:
                result = ("error", Stopped(_memory_message(memory)))
            except BaseException as exc:
                result = ("error", _picklable(exc))
            data = pickle.dumps(result)
            view = memoryview(data)
            while view:
                view = view[os.write(write_end, view) :]
        except BaseException:
            code = 1
        finally:
            os._exit(code)
    os.close(write_end)
    chunks: list[bytes] = []
    deadline = time.monotonic() + WALL_SECONDS
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                os.kill(pid, signal.SIGKILL)
                break
            ready, _, _ = select.select([read_end], [], [], left)
            if ready:
                chunk = os.read(read_end, 1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
    finally:
        os.close(read_end)
        _, status, usage = os.wait4(pid, 0)
    if chunks and os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0:
        kind, value = pickle.loads(b"".join(chunks))
        if kind == "text":
            assert isinstance(value, str)
            return value
        raise on_error(value)
    used = usage.ru_utime + usage.ru_stime
    if used >= cpu:
        raise on_error(Stopped(_cpu_message(cpu)))
    if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL and time.monotonic() >= deadline:
        raise on_error(Stopped(f"rendering took longer than {WALL_SECONDS:g} seconds"))
    # killed or failed some other way: out of memory inside the interpreter or a library
    raise on_error(Stopped(_memory_message(memory)))
