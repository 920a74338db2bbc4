"""docs/cli.md and the shell completion are generated from the parser (issue 19)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gridapp.cli.cmd_completion import reference

ROOT = Path(__file__).resolve().parents[2]


def test_docs_cli_md_is_current():
    current = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert current == reference(), (
        "docs/cli.md differs from the parser: run "
        "`.venv/bin/python -m gridapp.cli.cmd_completion > docs/cli.md`")


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_bash_completion_completes_commands_and_sub_commands(tmp_path):
    script = tmp_path / "gridapp.bash"
    made = subprocess.run([sys.executable, str(ROOT / "main.py"), "completion", "bash"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert made.returncode == 0, made.stderr
    script.write_text(made.stdout)
    probe = (f"source {script}; complete_line() {{ COMP_LINE=\"$*\"; "
             "COMP_WORDS=($*); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 )); "
             "COMP_POINT=${#COMP_LINE}; COMPREPLY=(); _shtab_gridapp; echo \"${COMPREPLY[*]}\"; }; "
             "complete_line gridapp resto; complete_line gridapp tasks ev; "
             "complete_line gridapp backup --ke")
    out = subprocess.run(["bash", "-c", probe], capture_output=True, text=True, timeout=60)
    assert out.stdout.splitlines() == ["restore", "evaluate", "--keep"], out.stderr


def test_zsh_completion_is_generated():
    made = subprocess.run([sys.executable, str(ROOT / "main.py"), "completion", "zsh"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert made.returncode == 0 and made.stdout.startswith("#compdef gridapp")
    assert "'restore'" in made.stdout or "restore:" in made.stdout
