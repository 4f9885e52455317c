"""A watchdog for Chromium renderers that spin: kill one that burns a core for too long.

Seen on two busy cores, about once per run of the browser tests: right after a page load or a
tap, the renderer of the Flutter web client goes to full CPU and never returns. Playwright's
calls into that page then wait for ever; even `wait_for_function`'s timeout is not kept, since
its polling runs in the page. Killing the renderer turns the hang into a crash that Playwright
reports at once: `open_app` then starts again in a fresh page, and a test caught mid-way fails
with that crash and is run once more (see `conftest.pytest_collection_modifyitems`).

Normal work never comes close: loading the client costs a few seconds of CPU, a screen a fraction.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
WINDOW = 45.0        # s of wall time looked at
BUSY_SHARE = 0.9     # of one core over the whole window: a renderer this busy for this long is stuck
POLL = 3.0           # s


def _cpu_seconds(pid: int) -> float | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS     # utime + stime


def _parents() -> dict[int, int]:
    found: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                found[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
    return found


def _cmdline(pid: int) -> str:
    try:
        return (Path(f"/proc/{pid}/cmdline").read_bytes()).replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def _renderers_of(marker: str) -> list[int]:
    """Renderer processes under the browser process started with `marker` on its command line."""
    parents = _parents()
    roots = {pid for pid in parents if marker in _cmdline(pid)}
    if not roots:
        return []
    children: dict[int, list[int]] = {}
    for pid, parent in parents.items():
        children.setdefault(parent, []).append(pid)
    found, stack = [], list(roots)
    while stack:
        pid = stack.pop()
        for child in children.get(pid, []):
            stack.append(child)
            if "--type=renderer" in _cmdline(child):
                found.append(child)
    return found


@dataclass
class RendererWatch:
    """Watches the renderers of one browser (found by `marker`) from a thread of its own."""

    marker: str
    window: float = WINDOW
    before_kill: Callable[[int], None] = lambda _pid: None   # e.g. take its JS stack first
    killed: list[int] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def __enter__(self) -> RendererWatch:
        self._thread = threading.Thread(target=self._run, name="renderer-watch", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(POLL * 2)

    def _run(self) -> None:
        history: dict[int, list[tuple[float, float]]] = {}
        while not self._stop.wait(POLL):
            now = time.monotonic()
            for pid in _renderers_of(self.marker):
                cpu = _cpu_seconds(pid)
                if cpu is None:
                    continue
                samples = [s for s in history.get(pid, []) if now - s[0] <= self.window + POLL] + [(now, cpu)]
                history[pid] = samples
                first_at, first_cpu = samples[0]
                if now - first_at >= self.window and (cpu - first_cpu) >= BUSY_SHARE * (now - first_at):
                    try:
                        self.before_kill(pid)
                        os.kill(pid, 9)
                        self.killed.append(pid)
                    except OSError:
                        pass
                    history.pop(pid, None)
