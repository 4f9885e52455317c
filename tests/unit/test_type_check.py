"""The type checker holds services to the repository port: a call the protocol does not declare fails.

`make test` runs mypy over app/ with the configuration in pyproject.toml. These tests run the same
mypy, with the same configuration, on two small modules written for the purpose: one calls
`ctx.repo.not_declared()`, the other uses declared members (the sync surface included) and hands
both repositories where a `Repository` is wanted. One run checks both; it reuses the repository's
mypy cache (.mypy_cache, filled by `make test`'s own run just before), so it takes a second or two
once app/ has been checked, under a minute from nothing.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

UNDECLARED = '''\
from app.services.context import Context


def export_everything(ctx: Context) -> None:
    ctx.repo.not_declared()
'''

DECLARED = '''\
from pathlib import Path

from app.domain.repository import Repository
from app.services.context import Context
from app.store.memory import MemoryRepository
from app.store.tinystore import TinyRepository


def sync_surface(ctx: Context) -> Path:
    with ctx.repo.transaction():
        ctx.repo.save_device({**ctx.repo.devices().get("tab01", {}), "id": "tab01"})
        ctx.repo.save_peer({"id": "tab01", "vector": ctx.repo.rev_vector()})
        ctx.repo.stage_file("photos/ab/x.jpg", lambda fh: fh.write(b"x"))
    for _table, docs in ctx.repo.raw_docs(newer_than={}, unit="U01"):
        assert all(isinstance(doc["rev"], int) for doc in docs)
    reveal_type(ctx.repo.rev_vector())
    return ctx.repo.root / "keys"


def both_backends(memory: MemoryRepository, tiny: TinyRepository) -> list[Repository]:
    return [memory, tiny]
'''


@pytest.fixture(scope="module")
def checked(tmp_path_factory) -> tuple[int, str]:
    """(exit status, report) of one mypy run over both probe modules, from the repository root."""
    folder = tmp_path_factory.mktemp("typecheck")
    (folder / "probe_undeclared.py").write_text(UNDECLARED, "utf-8")
    (folder / "probe_declared.py").write_text(DECLARED, "utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml"), "--no-error-summary",
         "--show-error-codes", str(folder / "probe_undeclared.py"), str(folder / "probe_declared.py")],
        cwd=ROOT, capture_output=True, text=True, timeout=240,
    )
    return run.returncode, run.stdout + run.stderr


def errors_in(report: str, module: str) -> list[str]:
    return [line for line in report.splitlines() if f"{module}.py:" in line and ": error:" in line]


def test_a_service_calling_an_undeclared_repository_member_fails_the_check(checked):
    status, report = checked
    assert status == 1, report
    errors = errors_in(report, "probe_undeclared")
    assert len(errors) == 1, report
    assert re.search(r'probe_undeclared\.py:5: error: "Repository" has no attribute "not_declared"\s+\[attr-defined\]',
                     errors[0]), report


def test_declared_members_and_both_repositories_pass_the_check(checked):
    _, report = checked
    assert errors_in(report, "probe_declared") == [], report
    # and it was checked, with the declared types: the probe asks mypy what one member returns
    assert re.search(r'probe_declared\.py:\d+: note: Revealed type is "(builtins\.)?dict\[(builtins\.)?str, '
                     r'(builtins\.)?int\]"', report), report
    assert "Traceback" not in report and "INTERNAL ERROR" not in report, report
