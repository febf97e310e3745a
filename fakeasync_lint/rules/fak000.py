"""FAK000: the file could not be analysed."""
from .base import Rule

RULE = Rule(
    code="FAK000",
    name="unanalysable-file",
    summary="File could not be parsed or decoded, so nothing in it was checked",
    default_enabled=True,
    severity="error",
    fix="none",
    doc='''
## What it does
Reports a Python file that fakeasync-lint could not analyse: a syntax error, bytes that are not
valid in the file's declared encoding (UTF-8 unless a PEP 263 coding cookie says otherwise), or a
construct the parser does not support. The diagnostic points at the first offending position.

## Why is this bad?
Every other rule needs the syntax tree. An unparseable file is skipped as a whole, so any blocking
call inside its `async def` functions, and any chain that passes through it, goes unreported. A
silent skip would look like a clean result; FAK000 makes the gap visible.

## Example
```python
async def handler(request):
    rows = cursor.fetchall(   # unclosed parenthesis: the whole file is skipped
```

## Use instead
```python
async def handler(request):
    rows = await cursor.fetchall()
```

## Fix safety
There is no automatic fix. A syntax or decoding error has to be repaired by hand so that Python can
parse it. Two messages mean the file itself is fine: "valid Python, but beyond libcst's parser
limits" and "the parser crashed on this file" (a worker process died on it, the rest of the run
went on): exclude the file, and please report it. "Nested too deeply for the parser" means Python
refuses it too, or would take minutes: flatten the deepest expression.

## Known limitations
The parser accepts the Python grammar of the `target-version` and newer releases that libcst
supports. Code that only a newer Python can parse (for example syntax released after the installed
libcst) is reported here even though the interpreter may accept it.
''',
)
