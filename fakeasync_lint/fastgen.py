"""Fast paths for the analysis walk, which rides on libcst's code generation.

The walk (``analysis._Walker``) is a ``CodegenState`` that emits nothing: it counts lines and columns
and records facts in ``before_codegen``/``after_codegen``.  Profiling the cold run on Home Assistant
showed most of its cost is libcst's generic machinery, not our handlers:

* 57 % of the nodes visited are whitespace (``SimpleWhitespace`` alone is 40 %), and every operator and
  bracket is a node too; each costs ``before_codegen`` + ``_codegen_impl`` + ``after_codegen`` although
  no handler ever looks at them;
* every expression opens ``_parenthesize`` and every statement ``record_syntactic_position``: both are
  ``@contextmanager`` generators (≈ 1 µs each, 340,000 of them for 300 files).

``install`` adds fast paths that apply **only when the state is the walker** (an exact class check):
any other ``CodegenState`` (``Module.code``, libcst's position providers, our fixers) takes libcst's
own path unchanged.  The fast paths emit exactly the tokens libcst would; ``tests/test_fastgen.py``
checks that summaries are identical with and without them.  If libcst's internals ever change shape
(the attributes below are missing), nothing is installed and the walk takes the ordinary path.
"""
from __future__ import annotations

import threading
from typing import List, Optional, Tuple

_installed: Optional[Tuple[type, List[Tuple[type, str, object, bool]]]] = None


class _Null:
    __slots__ = ()

    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


NULL = _Null()


class _Paren:
    """``_BaseParenthesizedNode._parenthesize`` without the generator (libcst's has no try/finally)."""

    __slots__ = ("node", "state")

    def __init__(self, node, state):
        self.node = node
        self.state = state

    def __enter__(self):
        for lpar in self.node.lpar:
            lpar._codegen(self.state)

    def __exit__(self, exc_type, *exc):
        if exc_type is None:
            for rpar in self.node.rpar:
                rpar._codegen(self.state)
        return False


def _leaf_classes():
    import libcst as cst
    from libcst._nodes import op, whitespace

    out = []
    for mod in (op, whitespace):
        for c in vars(mod).values():
            if isinstance(c, type) and issubclass(c, cst.CSTNode) and c.__module__ == mod.__name__ \
                    and not c.__name__.startswith(("_", "Base")) and "_codegen_impl" in dir(c):
                out.append(c)
    out += [cst.LeftParen, cst.RightParen, cst.LeftSquareBracket, cst.RightSquareBracket,
            cst.LeftCurlyBrace, cst.RightCurlyBrace]
    return out


def install(walker_cls: type, handlers: Tuple[dict, dict]) -> bool:
    """Install the fast paths for ``walker_cls``; ``handlers``: the walker's (before, after) tables
    {node type: handler} (types with a handler are never short-cut).  Returns whether they are installed."""
    global _installed
    if _installed is not None:
        return _installed[0] is walker_cls
    try:
        import libcst as cst
        from libcst._nodes.base import CSTNode
        from libcst._nodes.expression import _BaseParenthesizedNode

        base_codegen = CSTNode._codegen
        handled = set(handlers[0]) | set(handlers[1])
        orig_paren = _BaseParenthesizedNode.__dict__["_parenthesize"]
        leaves = [c for c in _leaf_classes() if c not in handled]
        if cst.Name in handled or not all("_codegen" not in vars(c) for c in leaves + [cst.Name]):
            return False
        getattr(cst.SimpleWhitespace, "_codegen_impl")
    except (ImportError, AttributeError, KeyError):  # pragma: no cover - another libcst layout
        return False

    W = walker_cls
    patches: List[Tuple[type, str, object, bool]] = []

    def patch(cls, name, fn):
        had = name in vars(cls)
        patches.append((cls, name, vars(cls).get(name), had))
        setattr(cls, name, fn)

    def leaf(cls):
        impl = cls._codegen_impl

        def _codegen(self, state, **kw):
            if state.__class__ is W:
                impl(self, state, **kw)  # no handler ever looks at a leaf: skip the hooks
            else:
                base_codegen(self, state, **kw)

        return _codegen

    for cls in leaves:
        if cls is cst.SimpleWhitespace:
            continue
        patch(cls, "_codegen", leaf(cls))

    def one_token_op(cls):
        token = [None]

        def _codegen(self, state, **kw):
            if state.__class__ is W:
                self.whitespace_before._codegen(state)  # SimpleWhitespace: its fast path below
                t = token[0]
                if t is None:
                    t = token[0] = self._get_token()
                state.add_token(t)
                self.whitespace_after._codegen(state)
            else:
                base_codegen(self, state, **kw)

        return _codegen

    from libcst._nodes.op import _BaseOneTokenOp

    for cls in leaves:
        if issubclass(cls, _BaseOneTokenOp) and "_get_token" in cls.__dict__ and "_codegen_impl" not in cls.__dict__:
            patch(cls, "_codegen", one_token_op(cls))

    def _trailing_codegen(self, state, **kw):
        if state.__class__ is W:
            self.whitespace._codegen(state)
            comment = self.comment
            if comment is not None:
                c = state.comments
                if c is not None:
                    c.append((state.line, state.col, comment.value))
                state.add_token(comment.value)
            v = self.newline.value
            state.add_token(state.default_newline if v is None else v)
        else:
            base_codegen(self, state, **kw)

    if cst.TrailingWhitespace in leaves and cst.Comment in leaves and cst.Newline in leaves:
        patch(cst.TrailingWhitespace, "_codegen", _trailing_codegen)

    def _comment_codegen(self, state, **kw):
        # comments are collected while walking (the suppression comments: ``noqa.from_comments``), so a
        # file that mentions `noqa` needs no second, tokenizing pass
        if state.__class__ is W:
            c = state.comments
            if c is not None:
                c.append((state.line, state.col, self.value))
            state.add_token(self.value)
        else:
            base_codegen(self, state, **kw)

    if cst.Comment in leaves:
        patch(cst.Comment, "_codegen", _comment_codegen)

    def _ws_codegen(self, state, **kw):
        if state.__class__ is W:
            v = self.value
            if v:
                if "\n" in v or "\r" in v:  # a backslash continuation
                    state.add_token(v)
                else:
                    state.col += len(v)
        else:
            base_codegen(self, state, **kw)

    patch(cst.SimpleWhitespace, "_codegen", _ws_codegen)

    def _name_codegen(self, state, **kw):
        if state.__class__ is W and not self.lpar:
            # no handler is registered for Name (checked above): only a pending hook may want it
            wb = state.want_before
            if wb:
                w = wb.pop(id(self), None)
                if w is not None:
                    w[0](state, self, w[1])
            state.col += len(self.value)
            wa = state.want_after
            if wa:
                w = wa.pop(id(self), None)
                if w is not None:
                    w[0](state, self, w[1])
        else:
            base_codegen(self, state, **kw)

    patch(cst.Name, "_codegen", _name_codegen)

    before, after = handlers

    def _node_codegen(self, state, **kw):
        # every other node: ``before_codegen``/``after_codegen`` inlined (same order: a pending hook for
        # this very node, then the per-type handler; after: the handler, then the pending hook)
        if state.__class__ is W:
            t = self.__class__
            wb = state.want_before
            if wb:
                w = wb.pop(id(self), None)
                if w is not None:
                    w[0](state, self, w[1])
            h = before.get(t)
            if h is not None:
                h(state, self)
            self._codegen_impl(state, **kw)
            h = after.get(t)
            if h is not None:
                h(state, self)
            wa = state.want_after
            if wa:
                w = wa.pop(id(self), None)
                if w is not None:
                    w[0](state, self, w[1])
        else:
            base_codegen(self, state, **kw)

    patch(CSTNode, "_codegen", _node_codegen)

    def _parenthesize(self, state):
        if state.__class__ is W:
            return _Paren(self, state) if (self.lpar or self.rpar) else NULL
        return orig_paren(self, state)

    patch(_BaseParenthesizedNode, "_parenthesize", _parenthesize)

    def record_syntactic_position(self, node, *, start_node=None, end_node=None):
        return NULL

    patch(W, "record_syntactic_position", record_syntactic_position)
    _installed = (W, patches)
    return True


def uninstall() -> None:
    """Restore libcst's own methods (for tests comparing both paths)."""
    global _installed
    if _installed is None:
        return
    for cls, name, old, had in reversed(_installed[1]):
        if had:
            setattr(cls, name, old)
        else:
            delattr(cls, name)
    _installed = None


def installed() -> bool:
    return _installed is not None


# ---- parsing without re-validation ---------------------------------------------------------------
#
# Every node libcst's parser builds runs ``CSTNode.__post_init__`` -> ``_validate()`` (balanced
# parentheses, whitespace shapes, ...): invariants the parser has just guaranteed.  libcst's own comment
# there: "It might make more sense to move validation work into the visitor, which would allow us to
# avoid validating the tree when parsing a file."  Measured: ~25 % of ``parse_module``.  ``parse_module``
# below skips it for the nodes built by *this thread's* parse only; every other node (fixes, tests,
# other threads) is validated as before.

_parsing = threading.local()
_validation_patched = False


def _install_validation_skip() -> bool:
    global _validation_patched
    if _validation_patched:
        return True
    try:
        from libcst._nodes.base import CSTNode

        original = CSTNode.__dict__["__post_init__"]
    except (ImportError, KeyError):  # pragma: no cover - another libcst layout
        return False
    local = _parsing

    def __post_init__(self) -> None:
        if not getattr(local, "on", False):
            self._validate()

    __post_init__.__wrapped__ = original  # type: ignore[attr-defined]
    CSTNode.__post_init__ = __post_init__
    _validation_patched = True
    return True


def parse_module(text: str):
    """``libcst.parse_module(text)`` without re-validating the parser's own output."""
    import libcst as cst

    if not _install_validation_skip():
        return cst.parse_module(text)
    _parsing.on = True
    try:
        return cst.parse_module(text)
    finally:
        _parsing.on = False
