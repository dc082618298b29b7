"""The layer contracts in pyproject.toml (tool.importlinter) hold, and would catch an
import that runs back up: checked on a copy of the tree with one such import added."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from infra.adapters.settings import PROJECT_ROOT

PACKAGES = ("domain", "projections", "consumers", "api", "infra")
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def copy_of_the_tree(target: Path) -> Path:
    for package in PACKAGES:
        shutil.copytree(
            PROJECT_ROOT / package,
            target / package,
            ignore=lambda _dir, names: [n for n in names if n == "__pycache__"],
        )
    shutil.copy(PROJECT_ROOT / "pyproject.toml", target / "pyproject.toml")
    return target


def lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(tree / "pyproject.toml"), "--no-cache"],
        cwd=tree,
        env={**os.environ, "PYTHONPATH": str(tree)},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_tree_keeps_its_contracts(tmp_path: Path) -> None:
    result = lint_imports(copy_of_the_tree(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "back_up_import", "contract"),
    [
        ("domain/rules.py", "import infra.bootstrap", "Layers"),
        ("projections/register.py", "import api.app", "Layers"),
        ("consumers/apply.py", "import infra.cli.main", "Layers"),
        ("infra/adapters/database.py", "import infra.workers.relay", "Layers"),
        ("domain/appeal.py", "import psycopg", "The domain imports no infrastructure"),
    ],
)
def test_an_import_back_up_breaks_a_contract(
    tmp_path: Path, module: str, back_up_import: str, contract: str
) -> None:
    tree = copy_of_the_tree(tmp_path)
    source = tree / module
    source.write_text(source.read_text() + f"\n{back_up_import}  # noqa\n")
    result = lint_imports(tree)
    assert result.returncode != 0, result.stdout
    assert "0 broken" not in result.stdout
    broken = result.stdout.split("Broken contracts")[-1]
    assert contract in broken
    assert module.removesuffix(".py").replace("/", ".") in broken
