"""Fuzz the checklist loader: whatever a file holds, the loader returns a checklist or raises
`ChecklistInvalid` (or `ConfigInvalid`) whose message renders in both languages. Nothing else
escapes. Mutations start from the shipped checklists, so they reach the checks behind the parser.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain.checklist import Checklist, parse_checklist
from app.domain.errors import AppError, ChecklistInvalid
from app.i18n import describe_error
from app.resources import checklists_dir
from app.store.catalog_files import CONFIG_FILES, checklist_paths, load_catalog
from tests.integration.fuzz_mutators import SLOW_MARK, budget, mutate_bytes, mutate_toml

pytestmark = SLOW_MARK
SHIPPED = checklist_paths(checklists_dir())
CASES: dict[str, int] = {}


def rendered(error: AppError) -> None:
    for lang in ("zh-CN", "en"):
        assert describe_error(error, lang).strip()


def test_mutated_checklists_are_parsed_or_refused_with_a_clear_reason():
    rng = random.Random(2026)
    texts = [p.read_text("utf-8") for p in SHIPPED]
    outcomes = {"parsed": 0, "refused": 0}
    cases = budget(2000)
    for case in range(cases):
        text = mutate_toml(rng.choice(texts), rng)
        try:
            result = parse_checklist(text, f"fuzz-{case}.toml")
        except ChecklistInvalid as error:
            rendered(error)
            outcomes["refused"] += 1
        else:
            assert isinstance(result, Checklist) and result.items
            outcomes["parsed"] += 1
    CASES["parse_checklist (mutated TOML)"] = cases
    print(f"checklist parser: {cases} mutated files, {outcomes}")
    assert outcomes["refused"] > cases // 2


@settings(max_examples=budget(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=400))
def test_any_text_is_parsed_or_refused(text):
    try:
        parse_checklist(text, "any.toml")
    except ChecklistInvalid as error:
        rendered(error)


def test_the_catalog_loader_refuses_damaged_files_and_nothing_escapes(tmp_path):
    rng = random.Random(7)
    source = checklists_dir()
    cases = budget(150)
    refused = 0
    for case in range(cases):
        folder = tmp_path / f"c{case}"
        folder.mkdir()
        for name in CONFIG_FILES:
            shutil.copy(source / name, folder / name)
        victim = rng.choice(SHIPPED)
        for path in [*rng.sample(SHIPPED, 3), victim]:
            shutil.copy(path, folder / path.name)
        data = victim.read_bytes()
        (folder / victim.name).write_bytes(mutate_bytes(data, rng) if rng.random() < 0.5
                                           else mutate_toml(data.decode(), rng).encode())
        try:
            load_catalog(Path(folder))
        except AppError as error:
            rendered(error)
            refused += 1
        shutil.rmtree(folder)
    CASES["load_catalog (damaged files)"] = cases
    print(f"catalog loader: {cases} damaged catalogs, {refused} refused")
    assert refused > cases // 2
