"""`build_demo`: a demo data set, built in one process or in parts side by side.

The bureau's campaign (36 units) is built in two parts (`simulation.PARTS`), because one process
uses one core. Each part simulates its own units with its own random stream, in a data directory
of its own, as the same device; then the parts are joined into the data set, by renames
(`bootstrap.join_parts`). Part 0 runs in this process and the others each in a process of their
own, when this machine can start one (`bootstrap.can_start_process`); otherwise they run here,
one after the other. The content is the same either way.

Every part issues the bureau's notices, which are numbered in one series: each part numbers in a
block of it of its own (`PART_SERIALS`), as the bureau's enrolled tablets do.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import shutil
import tempfile
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from app import bootstrap
from app.domain.clock import FixedClock
from app.domain.errors import InvalidInput
from app.domain.issuers import NumberBlock
from app.services import issuers
from app.services.context import Context

from .simulation import PARTS, SCALES, DemoSummary, finish, simulate

__all__ = ["build_demo", "PART_SERIALS"]

PART_SERIALS = 5000   # a part's block of the bureau's series: a campaign's bureau issues ~750 notices
_START = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def build_demo(data_dir: Path, scale: str, seed: int = 1,
               progress: Callable[[str], None] | None = None, parts: int | None = None) -> DemoSummary:
    """Build the demo data set `scale` into `data_dir`; refuse a directory that holds inspections.

    `progress` is called with each simulated month ("2026-07") as the build (its part 0) reaches
    it. `parts` (default: the scale's) is how many parts the units are split in; the same seed and
    parts give the same content.
    """
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}")
    clock = FixedClock(_START)
    ctx = bootstrap.build(Path(data_dir), clock=clock, actor="demo")
    if ctx.repo.inspections():
        raise InvalidInput("data", "not_empty", path=str(data_dir))
    count = parts or PARTS[scale]
    with bootstrap.bulk_build():   # one sync at the end: the build is all new, made again if lost
        if count == 1:
            summary = simulate(ctx, clock, scale, seed, progress)
        else:
            summary = _in_parts(ctx, clock, scale, seed, progress, count)
            ctx = bootstrap.build(Path(data_dir), clock=clock, actor="demo")   # the joined store, read anew
        return finish(ctx, clock, summary)


def _in_parts(ctx: Context, clock: FixedClock, scale: str, seed: int, progress: Callable[[str], None] | None,
              count: int) -> DemoSummary:
    root = ctx.repo.root
    folders: list[Path] = []
    started: list[tuple[Any, Connection]] = []
    try:
        for i in range(1, count):   # beside the data: on its file system, so that joining is renames
            folders.append(Path(tempfile.mkdtemp(prefix=f".{root.name}-part{i}-", dir=root.parent)))
            bootstrap.new_part(ctx, folders[-1], i)
        if bootstrap.can_start_process():
            started = [_start(folder, scale, seed, i, count) for i, folder in enumerate(folders, 1)]
        ctx.number_blocks = _blocks(ctx, 0)
        summaries = [simulate(ctx, clock, scale, seed, progress, 0, count)]
        if started:
            summaries += [_result(i, *child) for i, child in enumerate(started, 1)]
        else:
            summaries += [build_part(str(folder), scale, seed, i, count) for i, folder in enumerate(folders, 1)]
        bootstrap.join_parts(root, folders)
    finally:
        for process, _ in started:   # a part still running when another one failed: stopped first
            process.terminate()
            process.join()
        for folder in folders:
            shutil.rmtree(folder, ignore_errors=True)
    return _merged(summaries)


def _blocks(ctx: Context, part: int) -> dict[str, NumberBlock]:
    return {issuers.bureau_office(ctx).prefix: NumberBlock(part * PART_SERIALS + 1, (part + 1) * PART_SERIALS)}


def build_part(folder: str, scale: str, seed: int, part: int, parts: int) -> DemoSummary:
    """Part `part` of a build into `folder` (made by `bootstrap.new_part`); what it made."""
    clock = FixedClock(_START)
    ctx = bootstrap.build(Path(folder), clock=clock, actor="demo")
    ctx.number_blocks = _blocks(ctx, part)
    with bootstrap.bulk_build():
        return simulate(ctx, clock, scale, seed, None, part, parts)


def _start(folder: Path, scale: str, seed: int, part: int, parts: int) -> tuple[Any, Connection]:
    """Part `part` built in a process of its own (spawned: a fork would copy this process's threads' locks)."""
    spawn = multiprocessing.get_context("spawn")
    receive, send = spawn.Pipe(duplex=False)
    process = spawn.Process(target=_part_process, args=(send, str(folder), scale, seed, part, parts),
                            name=f"demo-part-{part}", daemon=True)
    process.start()
    send.close()   # ours: the pipe ends (EOFError) when the child's end closes, even if it is killed
    return process, receive


def _part_process(send: Connection, *args: Any) -> None:
    try:
        send.send(("done", build_part(*args)))
    except BaseException:
        send.send(("failed", traceback.format_exc()))
        raise


def _result(part: int, process: Any, receive: Connection) -> DemoSummary:
    try:
        status, value = receive.recv()
    except EOFError:
        process.join()
        raise RuntimeError(f"demo part {part} stopped without finishing (exit code {process.exitcode})") from None
    process.join()
    if status != "done":
        raise RuntimeError(f"demo part {part} failed:\n{value}")
    return value


def _merged(summaries: list[DemoSummary]) -> DemoSummary:
    """One summary of the parts' (they share the scale, seed and date)."""
    first = summaries[0]

    def total(name: str) -> int:
        return sum(getattr(s, name) for s in summaries)

    def by(name: str) -> dict[str, int]:
        return {key: sum(getattr(s, name)[key] for s in summaries) for key in getattr(first, name)}

    return DemoSummary(
        scale=first.scale, seed=first.seed, today=first.today, units=total("units"),
        inspections=total("inspections"), drafts=total("drafts"), areas=total("areas"), responses=total("responses"),
        hazards=total("hazards"), notices=total("notices"), by_status=by("by_status"), by_severity=by("by_severity"),
        by_flag=by("by_flag"), overdue=total("overdue"),
    )
