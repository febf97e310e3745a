"""Keep libcst's native parser (and the walk over its tree) from crashing the process on deep input.

libcst's parser is Rust code that recurses once per nesting level and overflows the C stack: with the
8 MB main-thread stack, ``x = a and a and ...`` with ~7,000 operands (valid Python), ~1,500 nested
brackets (a 3 KB file) or ~12,000 ``not``s end the process with SIGSEGV, which no ``try`` catches.
Two layers keep that from happening (a third, in ``runner``, isolates a worker that dies anyway):

1. :func:`call` runs a function (``analysis.analyze``: parse *and* walk, which recurses as deeply) on
   one dedicated thread with a large stack (:data:`STACK_SIZES`; virtual memory: only the pages a deep
   file actually touches are ever committed).  The thread is started once per process, lazily; a call
   costs a hand-over through a queue and a lock (a few microseconds), not a thread.
2. :func:`precheck` asks CPython first, but only for files that could be deep enough to matter (big,
   more than :data:`MAX_BRACKETS` nested brackets, a very long line or a very long bracketed
   statement; a cheap byte scan decides, see :func:`suspicious`).  CPython parses ~12x faster than
   libcst, has its own limits (200 nested brackets, ~3,000 nested expressions, 100 indentation levels)
   and fails cleanly.  A file it refuses for depth is reported at once instead of being handed to
   libcst, whose time and memory grow quadratically with depth on such input (measured: 16,000 ``not``s
   take 97 s and 14 GB once the stack is big enough not to crash; 2,000 nested brackets 16 s and
   3.8 GB).

Measured with libcst 1.9.0 on x86-64 Linux (stack touched by ``parse_module`` per nesting level):
~1.0-1.5 KB for chains (``and``/``or``, ``elif``, ``not``, unary ``-``, ``+``, ``|``, ``**``,
attributes, calls, subscripts, conditional expressions), ~2.4 KB for ``lambda``, ~5.2-7.5 KB per
bracket level (lists, tuples, calls, dicts, f-strings).  Per byte of source the worst shapes are nested
brackets (~3.4 KB of stack per byte) and unary minus chains (~1.05 KB per byte).
"""
from __future__ import annotations

import _thread
import ast
import operator
import os
import queue
import threading
import warnings
from array import array
from itertools import accumulate, compress
from typing import Callable, List, Optional, Tuple, TypeVar

T = TypeVar("T")

# Stack sizes tried for the parse thread, largest first (a platform or a memory limit may refuse one).
# 512 MB holds ~400,000 chain levels or ~70,000 bracket levels, far beyond anything libcst parses in a
# reasonable time; pages are committed only when touched.
STACK_SIZES = (512 << 20, 256 << 20, 64 << 20)
# stack per source byte of the worst shape that is not bracket nesting (a unary minus chain: 1.05 KB),
# rounded up; files longer than stack / this are always pre-checked
STACK_PER_BYTE = 1100
# the stack of a thread we did not create (the fallback when no thread can be started): 8 MB is the
# usual main-thread limit
DEFAULT_STACK = 8 << 20
# CPython refuses more nested brackets than this (MAXLEVEL in its tokenizer)
MAX_BRACKETS = 200
# a physical line this long can hold a chain of ~2,000 unary operators (libcst: 0.4 s, 230 MB)
LONG_LINE = 2000
# a bracketed statement this long can hold a chain deeper than CPython's ~3,000-level limit
LONG_STATEMENT = 64 << 10

_lock = threading.Lock()
_queue: Optional["queue.SimpleQueue"] = None
_thread_id: Optional[int] = None
_stack = 0  # the stack size of the parse thread; 0 until started, -1 if none could be started


def _reset_after_fork() -> None:
    # the parse thread does not exist in a forked child: start another one there when needed
    global _lock, _queue, _thread_id, _stack
    _lock = threading.Lock()
    _queue = None
    _thread_id = None
    _stack = 0


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_reset_after_fork)


def _serve(q: "queue.SimpleQueue") -> None:
    while True:
        box = q.get()
        try:
            box[3] = box[1](*box[2])
        except BaseException as e:  # noqa: BLE001 - handed back to the caller, raised there
            box[4] = e
        finally:
            box[0].release()
        del box


def _start() -> None:
    global _queue, _thread_id, _stack
    with _lock:
        if _stack:
            return
        q: "queue.SimpleQueue" = queue.SimpleQueue()
        for size in STACK_SIZES:
            try:
                old = threading.stack_size(size)
            except (ValueError, RuntimeError):  # size refused, or stack sizes not supported
                continue
            try:
                t = threading.Thread(target=_serve, args=(q,), name="fakeasync-parse", daemon=True)
                t.start()
            except RuntimeError:  # "can't start new thread": e.g. a memory limit
                continue
            finally:
                threading.stack_size(old)
            _queue, _thread_id, _stack = q, t.ident, size
            return
        _stack = -1


def on_parse_thread() -> bool:
    """True on the big-stack parse thread (where deep recursion is safe)."""
    return _thread_id is not None and threading.get_ident() == _thread_id


def stack_size() -> int:
    """The stack available to :func:`call` (the parse thread's, or :data:`DEFAULT_STACK` without one)."""
    if not _stack:
        _start()
    return _stack if _stack > 0 else DEFAULT_STACK


def call(fn: Callable[..., T], *args) -> T:
    """``fn(*args)`` on the parse thread (big stack); its result, or its exception raised here."""
    if not _stack:
        _start()
    q = _queue
    if q is None or threading.get_ident() == _thread_id:  # no thread, or already on it
        return fn(*args)
    done = _thread.allocate_lock()
    done.acquire()
    box: List = [done, fn, args, None, None]
    q.put(box)
    done.acquire()
    err = box[4]
    if err is not None:
        box.clear()
        raise err
    return box[3]


# ---- the pre-check ----------------------------------------------------------------------------------

_OPEN_CLOSE = bytes(40 if c in b"([{" else 41 if c in b")]}" else c for c in range(256))  # -> "(" / ")"
_NOT_BRACKET = bytes(c for c in range(256) if c not in b"()[]{}")
_NOT_BRACKET_OR_NL = bytes(c for c in range(256) if c not in b"()[]{}\n")
_SIGN = bytes(1 if c in b"([{" else 255 if c in b")]}" else 0 for c in range(256))  # 255: -1 as signed
_IS_NL = bytes(1 if c == 10 else 0 for c in range(256))


def suspicious(data: bytes) -> bool:
    """True if ``data`` might nest deeply enough to matter: it is big for the parse thread's stack, or
    (brackets in strings and comments count too, so these over-estimate) it nests more than
    :data:`MAX_BRACKETS` brackets, has a line of :data:`LONG_LINE` bytes or more, or a statement spanning
    lines inside brackets of :data:`LONG_STATEMENT` bytes or more.  Costs ~4 ns a byte (measured on
    Home Assistant; a libcst parse and walk cost ~1,500)."""
    n = len(data)
    if n >= stack_size() // STACK_PER_BYTE:
        return True
    if bracket_depth(data, MAX_BRACKETS) > MAX_BRACKETS:
        return True
    if n < LONG_LINE:
        return False
    lines = data.split(b"\n") if b"\n" in data or b"\r" not in data else data.split(b"\r")
    if max(map(len, lines)) >= LONG_LINE:
        return True
    return n >= LONG_STATEMENT and _long_statement(data, lines)


def bracket_depth(data: bytes, limit: int) -> int:
    """How deeply brackets nest in ``data`` (all kinds alike, unmatched ones ignored), counted up to
    ``limit + 1``: matched pairs are removed innermost first, one level a round."""
    s = data.translate(_OPEN_CLOSE, _NOT_BRACKET)
    depth = 0
    while s and depth <= limit:
        inner = s.replace(b"()", b"")
        if len(inner) == len(s):
            break
        depth += 1
        s = inner
    return depth


def _long_statement(data: bytes, lines: List[bytes]) -> bool:
    """A run of lines that end inside brackets adds up to :data:`LONG_STATEMENT` bytes or more."""
    kept = data.translate(None, _NOT_BRACKET_OR_NL)
    totals = list(accumulate(array("b", kept.translate(_SIGN)), initial=0))
    # the nesting at the end of each line; a closing bracket with nothing open is ignored
    depths = map(operator.sub, totals, accumulate(totals, min))
    inside = list(map(bool, compress(depths, b"\x00" + kept.translate(_IS_NL))))
    lens = list(map(len, lines))
    if sum(compress(lens, inside)) < LONG_STATEMENT:
        return False
    run = 0
    for length, open_ in zip(lens, inside):
        run += length + 1
        if run >= LONG_STATEMENT:
            return True
        if not open_:
            run = 0
    return False


_NESTING_MESSAGES = ("too many nested parentheses", "too many levels of indentation", "too many statically nested blocks")


def precheck(data: bytes, text: str, path: str) -> Optional[List]:
    """For a :func:`suspicious` file that CPython refuses because it nests too deeply: the FAK000
    ``[line, column, message]``; else None (parse it with libcst)."""
    if not suspicious(data):
        return None
    why = _cpython_refuses(text, path)
    if why is None:
        return None
    line, col, reason = why
    return [line, col, f"nested too deeply for the parser ({reason})"]


def _cpython_refuses(text: str, path: str) -> Optional[Tuple[int, int, str]]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the file's own SyntaxWarnings are not ours to print
            compile(text, path, "exec", ast.PyCF_ONLY_AST, dont_inherit=True)
    except RecursionError:
        return 1, 1, "Python: maximum recursion depth exceeded"
    except MemoryError:  # CPython's parser reports running out of its own stack so
        return 1, 1, "Python: too complex to parse"
    except SyntaxError as e:  # IndentationError included
        msg = str(e.msg or "")
        if any(m in msg for m in _NESTING_MESSAGES):
            return max(1, e.lineno or 1), max(1, e.offset or 1), f"Python: {msg}"
        return None  # an ordinary syntax error (or syntax newer than this Python): libcst decides
    except ValueError:  # e.g. null bytes (decode_source reports those first)
        return None
    return None
