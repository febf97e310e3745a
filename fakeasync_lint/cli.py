"""Command line: ``fakeasync-lint check|rules|rule|report``.

Exit codes (ruff's convention): 0 clean, 1 violations, 2 usage/config/internal error.
"""
from __future__ import annotations

import os
from pathlib import Path
import sys
import time

import click

from . import __version__

FORMAT_CHOICES = ["text", "concise", "full", "json", "json-lines", "sarif", "github", "gitlab", "mermaid"]


class UsageFailure(Exception):
    pass


def _fail(message: str) -> None:
    click.echo(f"fakeasync-lint: error: {message}", err=True)
    sys.exit(2)


class _LazyGroup(click.Group):
    """Subcommands whose modules are imported only when used (keeps `check` start-up small)."""

    lazy = {"report": ("fakeasync_lint.report", "report_command"),
            "server": ("fakeasync_lint.server", "server_command")}

    def list_commands(self, ctx):
        return sorted(set(super().list_commands(ctx)) | set(self.lazy))

    def get_command(self, ctx, name):
        if name in self.lazy and name not in self.commands:
            import importlib

            mod, attr = self.lazy[name]
            self.add_command(getattr(importlib.import_module(mod), attr), name)
        return super().get_command(ctx, name)


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="fakeasync-lint")
def main() -> None:
    """Find fake-async Python: blocking I/O inside `async def`, traced from endpoint to blocking line."""


def entry() -> None:
    """The process entry point (console script and ``python -m fakeasync_lint``).

    A one-shot run builds millions of acyclic objects (summaries, project facts): the cyclic collector
    is paused for the whole process (it would sweep them again and again, measured at several seconds
    on Home Assistant), and once the output is flushed the process ends without freeing them one by one
    (``os._exit``), as a compiled linter would.  ``main`` itself (click's CliRunner, the tests) keeps
    the ordinary behaviour."""
    import gc

    gc.disable()
    try:
        main()
        code = 0
    except SystemExit as e:
        code = e.code
    if code is None:
        code = 0
    elif not isinstance(code, int):
        try:
            print(code, file=sys.stderr)
        except Exception:  # noqa: BLE001 - a closed stderr must not turn into a traceback
            pass
        code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:  # noqa: BLE001 - e.g. a closed pipe (`| head`): nothing more to say
            pass
    os._exit(code)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "--output-format", "fmt", type=click.Choice(FORMAT_CHOICES), default=None,
              help="Output format (default: text).")
@click.option("--select", multiple=True, help="Rule codes or prefixes to enable (replaces the config's selection).")
@click.option("--extend-select", multiple=True, help="Rule codes or prefixes to enable in addition.")
@click.option("--ignore", multiple=True, help="Rule codes or prefixes to disable.")
@click.option("--per-file-ignores", multiple=True, help="GLOB:CODES pairs, e.g. 'tests/**:FAK103'.")
@click.option("--extend-exclude", multiple=True, help="Extra globs to exclude from discovery.")
@click.option("--config", "config_file", type=click.Path(), default=None, help="Use this config file.")
@click.option("--isolated", is_flag=True, help="Ignore all configuration files.")
@click.option("--no-cache", is_flag=True, help="Do not read or write the cache.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, help="Worker processes (default: usable CPUs).")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when violations are found.")
@click.option("--statistics", is_flag=True, help="Show counts per rule instead of each violation.")
@click.option("--quiet", "-q", is_flag=True, help="Print diagnostics only, no summary line.")
@click.option("--show-fixes", is_flag=True, help="Show each diagnostic's fix in text output.")
@click.option("--fix", is_flag=True, help="Apply safe fixes.")
@click.option("--unsafe-fixes", is_flag=True, help="With --fix/--diff: also apply unsafe fixes.")
@click.option("--diff", is_flag=True, help="Print the fixes as a unified diff; change nothing.")
@click.option("--stdin-filename", default=None, help="Lint standard input as this file ('-' as PATH).")
@click.option("--force-exclude", is_flag=True, help="Apply excludes to files passed explicitly too.")
@click.option("--baseline", "baseline_file", type=click.Path(), default=None,
              help="Report only violations not recorded in this baseline file.")
@click.option("--strict-baseline", is_flag=True, help="With --baseline: also fail on stale (fixed) entries.")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto", help="Colour the output.")
@click.option("--output-file", "-o", type=click.Path(), default=None, help="Write the report to this file.")
@click.option("--group-by", type=click.Choice(["root"]), default=None,
              help="Text output: print each root cause (a blocking call) once, with the findings it explains.")
@click.option("--python", "python", default=None, metavar="PATH",
              help="The project's interpreter or environment directory: library facts are derived from its "
                   "installed packages (default: $VIRTUAL_ENV, else .venv/ or venv/ at the project root).")
@click.option("--verbose", "-v", is_flag=True, help="Say where library facts came from (environment, shipped).")
@click.option("--watch", "-w", is_flag=True,
              help="Check again whenever a Python file of the project (or its config) changes; Ctrl-C stops.")
def check(paths, fmt, select, extend_select, ignore, per_file_ignores, extend_exclude, config_file, isolated,
          no_cache, jobs, exit_zero, statistics, quiet, show_fixes, fix, unsafe_fixes, diff, stdin_filename,
          force_exclude, baseline_file, strict_baseline, color, output_file, group_by, python, verbose, watch):
    """Check PATHS (default: the current directory) for blocking calls in async code."""
    args = dict(locals())
    del args["watch"]
    if watch:
        if stdin_filename is not None or list(paths) == ["-"]:
            _fail("--watch checks files on disk; it cannot be used with standard input")
        if diff:
            _fail("--watch cannot be used with --diff")
        sys.exit(_watch(args))
    try:
        code = _check(**args)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        click.echo("fakeasync-lint: interrupted", err=True)
        code = 2
    except Exception as e:  # never a traceback for users; set FAKEASYNC_DEBUG=1 to see it
        if os.environ.get("FAKEASYNC_DEBUG"):
            raise
        click.echo(f"fakeasync-lint: internal error: {type(e).__name__}: {e}\n"
                   "Please report it with the file that triggered it (FAKEASYNC_DEBUG=1 shows the traceback).",
                   err=True)
        code = 2
    sys.exit(code)


def _say_libraries() -> None:
    from . import libfacts
    from .runner import LAST_ENV

    env = LAST_ENV.get("env")
    if env is None:
        click.echo("fakeasync-lint: no environment found (--python, $VIRTUAL_ENV, .venv/, venv/): "
                   "library facts from the catalog and the shipped facts only", err=True)
    else:
        click.echo(f"fakeasync-lint: environment {env.prefix} (found by {env.how}); "
                   f"{len(env.dists())} distributions", err=True)
        for p in env.problems:
            click.echo(f"fakeasync-lint: environment: {p}", err=True)
    for root, label in sorted(libfacts.LIB_OF_ROOT.items()):
        click.echo(f"fakeasync-lint: library facts for {root}: {label}", err=True)
    if libfacts.STATE.derived_modules:
        click.echo(f"fakeasync-lint: {libfacts.STATE.derived_modules} library modules summarised", err=True)
    for line in libfacts.STATE.notes:
        click.echo(f"fakeasync-lint: {line}", err=True)


def _check(paths, fmt, select, extend_select, ignore, per_file_ignores, extend_exclude, config_file, isolated,
           no_cache, jobs, exit_zero, statistics, quiet, show_fixes, fix, unsafe_fixes, diff, stdin_filename,
           force_exclude, baseline_file, strict_baseline, color, output_file, group_by=None, python=None,
           verbose=False) -> int:
    from .config import ConfigError, settings_from_cli
    from .output import render
    from .runner import run

    fmt = fmt or "text"
    human = fmt in ("text", "full")
    paths = list(paths)
    stdin_text = None
    if stdin_filename is not None or paths == ["-"]:
        if paths not in ([], ["-"]):
            _fail("with --stdin-filename, pass '-' (or nothing) as the path")
        stdin_filename = stdin_filename or "stdin.py"
        stdin_text = _read_stdin()
        paths = []
    elif not paths:
        paths = ["."]
    try:
        settings = settings_from_cli([stdin_filename] if stdin_filename else paths, config_file, isolated=isolated,
                                     select=select, extend_select=extend_select, ignore=ignore,
                                     per_file_ignores=per_file_ignores, extend_exclude=extend_exclude)
    except ConfigError as e:
        _fail(str(e))
    if python:
        settings.python = python

    use_color = color == "always" or (color == "auto" and output_file is None and color_wanted())
    progress = _progress_bar() if sys.stderr.isatty() and human and not quiet else None

    from .environment import EnvironmentError_

    try:
        result = run(paths, settings, stdin_text=stdin_text, stdin_filename=stdin_filename, jobs=jobs,
                     use_cache=not no_cache, force_exclude=force_exclude, progress=progress,
                     need_facts=bool(fix or diff))
    except EnvironmentError_ as e:
        _fail(str(e))
    if progress is not None:
        progress.close()
    if verbose:
        _say_libraries()
    for err in result.errors:
        click.echo(f"fakeasync-lint: error: {err}", err=True)

    diags = result.diagnostics
    changed = False
    fix_errors = []
    if fix or diff:
        from .apply import apply_fixes

        outcome = apply_fixes(result, unsafe=unsafe_fixes, write=fix and not diff, stdin=stdin_filename is not None,
                              settings=settings, use_cache=not no_cache)
        if diff:
            sys.stdout.write(outcome.diff)
            return 1 if outcome.diff else (2 if result.errors else 0)
        changed = bool(outcome.fixed)
        fix_errors = outcome.errors  # apply_fixes has printed them
        if stdin_filename is not None:
            _write_bytes(outcome.stdin_bytes if outcome.stdin_bytes is not None else stdin_text or b"")
            return 2 if result.errors else (1 if outcome.remaining else 0)
        if changed:
            # re-check: report what is left, as ruff does
            result = run(paths, settings, jobs=jobs, use_cache=not no_cache, force_exclude=force_exclude)
            diags = result.diagnostics
            if not quiet and human:
                click.echo(f"Fixed {outcome.fixed} error{'s' if outcome.fixed != 1 else ''}.", err=True)

    stale = 0
    if baseline_file is not None:
        from .baseline import BaselineError, apply_baseline

        try:
            diags, stale = apply_baseline(diags, baseline_file, checked=result.checked)
        except BaselineError as e:
            _fail(str(e))

    shown = diags
    if baseline_file is not None and fmt not in ("json", "json-lines", "sarif"):
        # human and annotation formats list only new violations; json/sarif carry the state
        shown = [d for d in diags if d.baseline != "baselined"]
    try:
        if group_by == "root":
            if fmt not in ("text", "full", "concise") or statistics:
                raise ValueError("--group-by root works with the text, full and concise formats")
            from .output.text import render_grouped

            text = render_grouped(shown, color=use_color, summary=not quiet)
        else:
            text = render(shown, fmt, color=use_color, show_fixes=show_fixes, statistics=statistics,
                          summary=not quiet and not (result.errors and not shown), tool_version=__version__,
                          source_lines=_source_lines(result.sources) if fmt == "full" else None)
    except ValueError as e:
        _fail(str(e))
    if output_file:
        try:
            with open(output_file, "w", encoding="utf-8") as fh:
                fh.write(text)
        except OSError as e:
            _fail(f"cannot write {output_file}: {e.strerror or e}")
    else:
        sys.stdout.write(text)
    if baseline_file is not None and not quiet:
        hidden = len(diags) - len(shown)
        if hidden and human:
            click.echo(f"{hidden} baselined violation{'s' if hidden != 1 else ''} not shown.", err=True)
        if stale:
            from .baseline import stale_message

            click.echo(stale_message(stale), err=True)
    if result.errors or fix_errors:
        return 2
    new = [d for d in diags if d.baseline != "baselined"]
    if exit_zero:
        return 0
    if new:
        return 1
    if stale and strict_baseline:
        return 1
    return 0


# --watch: how often the project's files are polled (seconds; more on big projects), how often the project
# is walked again for new files; a change is checked once it has settled
WATCH_INTERVAL = 0.3
WATCH_WALK = 2.0


def _watch_files(paths, config_file, isolated, extend_exclude):
    """The files ``--watch`` polls: the project's Python files (the whole index, whatever the paths: a
    change to a callee elsewhere changes the findings) and its config file; None while the configuration
    cannot be read (the caller keeps polling the last good list, config file included)."""
    from .config import ConfigError, settings_from_cli
    from .discovery import discover

    try:
        settings = settings_from_cli(list(paths), config_file, isolated=isolated, extend_exclude=extend_exclude)
    except ConfigError:
        return None
    import dataclasses

    roots = list(paths) + ([str(settings.project_root)] if not settings.loose else [])
    index_settings = dataclasses.replace(settings, extend_exclude=list(settings.index_exclude))
    found, _errors = discover(roots, index_settings)
    files = [os.path.abspath(str(f)) for f in found]
    if settings.config_path is not None:
        files.append(os.path.abspath(str(settings.config_path)))
    elif config_file:
        files.append(os.path.abspath(config_file))
    return files


def _stat_all(files) -> dict:
    """{path: (mtime_ns, size), or None when it is gone}."""
    out = {}
    for f in files:
        try:
            st = os.stat(f)
            out[f] = (st.st_mtime_ns, st.st_size)
        except OSError:
            out[f] = None
    return out


def _watch(args) -> int:
    """``check --watch``: check, then poll the project's files and check again after each change (the
    cache's incremental state makes a re-check cost about the edited files).  Ctrl-C ends it with 0."""
    paths = list(args["paths"]) or ["."]
    human = (args["fmt"] or "text") in ("text", "full", "concise") and not args["output_file"]
    quiet = args["quiet"]

    def note(text: str) -> None:
        if quiet:
            return
        # the results go to stdout; for machine formats the separators go to stderr (stdout stays parseable)
        click.echo(text, err=not human)

    def once() -> None:
        try:
            _check(**args)
        except SystemExit:  # a usage or config error (already printed): keep watching for the fix
            pass
        except Exception as e:  # noqa: BLE001 - as `check`: no traceback, keep watching
            if os.environ.get("FAKEASYNC_DEBUG"):
                raise
            click.echo(f"fakeasync-lint: internal error: {type(e).__name__}: {e}", err=True)
        sys.stdout.flush()

    def stamp() -> str:
        return time.strftime("%H:%M:%S")

    import signal

    try:  # Ctrl-C stops watching, even when started with SIGINT ignored (a background job)
        signal.signal(signal.SIGINT, signal.default_int_handler)
    except (ValueError, OSError):  # not the main thread
        pass

    try:
        note(f"[{stamp()}] Watching {', '.join(paths)} for changes (Ctrl-C to stop).")
        # the files as they are before the first check: an edit made while it runs is checked next
        files = _watch_files(paths, args["config_file"], args["isolated"], args["extend_exclude"]) or []
        snap = _stat_all(files)
        walked = time.monotonic()
        interval = WATCH_INTERVAL
        try:
            _check(**args)
        except SystemExit as e:  # a usage or config error at the start: nothing to watch yet
            return e.code if isinstance(e.code, int) else 2
        except Exception as e:  # noqa: BLE001 - as `check`: no traceback
            if os.environ.get("FAKEASYNC_DEBUG"):
                raise
            click.echo(f"fakeasync-lint: internal error: {type(e).__name__}: {e}", err=True)
            return 2
        sys.stdout.flush()

        def snapshot(walk: bool) -> dict:
            """The files' stats; with ``walk`` the project is walked again first (new and removed files).
            Walking costs more than stat-ing a known list (Home Assistant: 0.3 s against 0.05 s), so it is
            done every ``WATCH_WALK`` seconds, and the interval grows with the cost of a poll."""
            nonlocal files, walked, interval
            start = time.monotonic()
            if walk:
                now = _watch_files(paths, args["config_file"], args["isolated"], args["extend_exclude"])
                if now is not None:
                    files = now
                walked = time.monotonic()
            out = _stat_all(files)
            if not walk:
                interval = max(WATCH_INTERVAL, 4 * (time.monotonic() - start))
            return out

        while True:
            time.sleep(interval)
            now = snapshot(time.monotonic() - walked >= WATCH_WALK)
            if now == snap:
                continue
            time.sleep(WATCH_INTERVAL)  # let an editor or a checkout finish writing
            settled = snapshot(True)
            changed = sorted(p for p in set(snap) | set(settled) if snap.get(p) != settled.get(p))
            snap = settled
            if not changed:
                continue
            shown = ", ".join(os.path.relpath(p) for p in changed[:3]) + (f" and {len(changed) - 3} more"
                                                                       if len(changed) > 3 else "")
            note(f"\n{'-' * 20} [{stamp()}] {len(changed)} file{'s' if len(changed) != 1 else ''} changed "
                 f"({shown}): checking again {'-' * 20}")
            once()
    except KeyboardInterrupt:
        note(f"[{stamp()}] Stopped watching.")
        return 0


def _source_lines(sources):
    """``--format full``: a diagnostic's file as lines (standard input as read; other files from disk,
    decoded as the analysis decodes them), read once per file; None when it cannot be read."""
    import re

    from .analysis import decode_source

    memo = {}

    def lines(d):
        key = d.filename
        if key not in memo:
            data = sources.get(key)
            if data is None:
                try:
                    with open(key, "rb") as fh:
                        data = fh.read()
                except OSError:
                    data = None
            text = decode_source(data)[0] if data is not None else None
            # lines as Python counts them (not str.splitlines: form feeds and U+2028 end no line)
            memo[key] = re.split(r"\r\n|\r|\n", text) if text is not None else None
        return memo[key]

    return lines


def _read_stdin() -> bytes:
    """Standard input as bytes: decoded later exactly as a file's (BOM, coding cookie)."""
    return sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode()


def _write_bytes(data: bytes) -> None:
    """The --fix output of --stdin-filename: the buffer in its own encoding, byte for byte."""
    out = getattr(sys.stdout, "buffer", None)
    if out is None:
        sys.stdout.write(data.decode("utf-8", "surrogateescape"))
        return
    sys.stdout.flush()
    out.write(data)
    out.flush()


class _progress_bar:
    """A minimal progress line on stderr, shown only once a run has taken more than a second."""

    def __init__(self):
        self.start = time.monotonic()
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        if time.monotonic() - self.start < 1.0 and not self.shown:
            return
        self.shown = True
        width = 30
        filled = int(width * done / max(total, 1))
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} files")
        sys.stderr.flush()

    def close(self) -> None:
        if self.shown:
            sys.stderr.write("\r" + " " * 60 + "\r")
            sys.stderr.flush()


@main.command("rules")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def rules_cmd(fmt):
    """List every rule."""
    from .rules import ALL_RULES

    if fmt == "json":
        import json

        click.echo(json.dumps([
            {"code": r.code, "name": r.name, "summary": r.summary, "default": r.default_enabled,
             "fix": r.fix, "severity": r.severity, "url": r.url} for r in ALL_RULES.values()
        ], indent=2))
        return
    width = max(len(r.name) for r in ALL_RULES.values())
    for r in ALL_RULES.values():
        flag = "" if r.default_enabled else "  (opt-in)"
        click.echo(f"{r.code}  {r.name.ljust(width)}  {r.summary}{flag}")


@main.command("explain")
@click.argument("target")
@click.option("--python", "python", default=None, metavar="PATH",
              help="The project's interpreter or environment directory (default: as `check` finds it).")
@click.option("--config", "config_file", type=click.Path(), default=None, help="Use this config file.")
def explain_cmd(target, python, config_file):
    """Why a call is or is not blocking: TARGET is a name (`stripe.Customer.create`) or PATH:LINE.

    Prints what it resolves to, the chain down to the blocking primitive and where the fact comes from
    (the catalog, derived from the installed package, the shipped library facts, the project)."""
    import re as _re

    from .config import ConfigError, settings_from_cli
    from .environment import EnvironmentError_
    from .explain import explain_line, explain_value, resolve_name
    from .runner import run

    m = _re.match(r"^(.+\.pyi?):(\d+)$", target)
    paths = [m.group(1)] if m else ["."]
    if m and not os.path.isfile(m.group(1)):
        _fail(f"{m.group(1)}: no such file")
    try:
        settings = settings_from_cli(paths, config_file)
    except ConfigError as e:
        _fail(str(e))
    if python:
        settings.python = python
    try:
        if m:
            result = run(paths, settings, use_cache=False, need_facts=True)
            lines = explain_line(result, m.group(1), int(m.group(2)), lambda p: os.path.realpath(p))
        else:
            if not _re.match(r"^[A-Za-z_][\w.]*$", target):
                _fail(f"{target!r}: expected a dotted name (`stripe.Customer.create`) or PATH:LINE")
            from . import libfacts
            from .runner import _library_facts

            _library_facts(settings, Path(settings.project_root), [], True)
            libfacts.STATE.project_roots = frozenset()
            lines = explain_value(target, resolve_name(target))
    except EnvironmentError_ as e:
        _fail(str(e))
    click.echo("\n".join(lines))


@main.command("rule")
@click.argument("code")
def rule_cmd(code):
    """Show the documentation of rule CODE (e.g. FAK101)."""
    from .rules import ALL_RULES

    r = ALL_RULES.get(code.upper())
    if r is None:
        import difflib

        close = difflib.get_close_matches(code.upper(), list(ALL_RULES), n=1)
        hint = f" (did you mean {close[0]}?)" if close else ""
        _fail(f"unknown rule code: {code}{hint}; `fakeasync-lint rules` lists them")
    click.echo(f"# {r.name} ({r.code})\n")
    from .rules import REACH_RULES, SEVERITY_BY_REACH

    click.echo(f"Default: {'on' if r.default_enabled else 'off (opt-in)'} · Severity: {r.severity} · Fix: {r.fix}\n")
    click.echo(r.doc.strip())
    if r.code in REACH_RULES:
        click.echo("\n## Severity by reach\n\n" + SEVERITY_BY_REACH.strip())


from .baseline import baseline_command  # noqa: E402

main.add_command(baseline_command)


if __name__ == "__main__":  # pragma: no cover
    main()


def color_wanted(stream=None) -> bool:
    """``--color auto``: NO_COLOR (any value) turns colour off, FORCE_COLOR (any value but "0") turns it
    on even when the output is not a terminal (CI logs), else colour when the output is a terminal."""
    if os.environ.get("NO_COLOR"):
        return False
    force = os.environ.get("FORCE_COLOR")
    if force is not None and force not in ("", "0"):
        return True
    return (stream or sys.stdout).isatty()
