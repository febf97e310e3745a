import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# the tests are hermetic: the venv that runs them is not the analysed projects' environment (the library
# facts tests make their own environments and pass them with --python)
os.environ.pop("VIRTUAL_ENV", None)
FIXTURES = ROOT / "fixtures"


@pytest.fixture
def root():
    return ROOT


def run_cli(args, cwd=None, input=None):
    """Run the real CLI in-process with click's CliRunner; returns (exit_code, stdout, stderr)."""
    from click.testing import CliRunner

    from fakeasync_lint.cli import main

    runner = CliRunner()
    old = os.getcwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        res = runner.invoke(main, args, input=input, catch_exceptions=False)
    finally:
        os.chdir(old)
    return res.exit_code, res.stdout, res.stderr
