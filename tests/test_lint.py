"""Undefined names and unused imports fail the suite, not a reviewer's eye."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_code_has_no_undefined_names_or_unused_imports():
    ruff = Path(sys.executable).parent / "ruff"
    result = subprocess.run([str(ruff), "check", "--select", "F,E9", "--output-format", "concise",
                             "forum_app", "tests", "config.py", "benchmarks", "migrations"],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
