"""One job run by a process of its own: file copying beside Python work that holds the interpreter lock.

A bundle's photo and PDF files are read, hashed and written: C code, but on a second thread of
the same interpreter each file's many calls waited for the lock the records' decoding held (see
`pack_copy`, which measured it). A child process runs them on the other core.

The child is the same interpreter running one of our modules that import only the standard
library and a few small store modules (`python -m app.store.<module>`), so it starts in ~60 ms.
It inherits the open files it needs as descriptors, reads its job as one JSON document on stdin
and answers one JSON line on stdout (`serve`). Where no child can be started (Android and iOS embed Python with no
interpreter to run; Windows cannot hand a child open files) callers do the work themselves.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

__all__ = ["CHILD_MIN_BYTES", "ChildJob", "can_start", "serve", "parent_gone"]

# From this many bytes of files a child copies them: starting it costs ~60 ms, about what
# 10 MB of files take to copy in the caller.
CHILD_MIN_BYTES = 10 * 1024 * 1024

_APP_ROOT = str(Path(__file__).resolve().parent.parent.parent)   # the folder holding the `app` package


def can_start() -> bool:
    executable = Path(sys.executable or "")
    return (os.name == "posix" and sys.platform not in ("android", "ios") and not getattr(sys, "frozen", False)
            and executable.name.startswith("python") and executable.is_file())


def _feed(pipe: IO[bytes] | None, data: bytes) -> None:
    assert pipe is not None
    with contextlib.suppress(BrokenPipeError), pipe:   # (a child that died is reported by its outcome)
        pipe.write(data)


class ChildJob:
    """`module` (e.g. "app.store.pack_copy") started on `job`, with the descriptors `fds` open in it."""

    def __init__(self, module: str, job: dict[str, Any], fds: tuple[int, ...]):
        path = os.pathsep.join(filter(None, (_APP_ROOT, os.environ.get("PYTHONPATH"))))
        self._process = subprocess.Popen([sys.executable, "-m", module], stdin=subprocess.PIPE,
                                         stdout=subprocess.PIPE, pass_fds=fds, env={**os.environ, "PYTHONPATH": path})
        # fed from a thread: a pipe holds 64 KB, and until the child has started a big job's write
        # would block the work it is meant to run beside (~70 ms in a unit-month's import)
        threading.Thread(target=_feed, args=(self._process.stdin, json.dumps(job).encode()), daemon=True).start()

    def outcome(self) -> dict[str, Any]:
        """Wait for the child's answer; OSError if it stopped without one."""
        assert self._process.stdout is not None
        with self._process.stdout:
            out = self._process.stdout.read()
        self._process.wait()
        try:
            answer = json.loads(out)
        except ValueError:
            raise OSError(f"the file copy stopped (exit status {self._process.returncode})") from None
        return answer

    def stop(self) -> None:
        self._process.kill()
        self._process.wait()
        if self._process.stdout is not None:
            self._process.stdout.close()


def serve(run: Callable[[dict[str, Any]], dict[str, Any]]) -> int:
    """The child's side: `run` the job read from stdin and write its answer to stdout."""
    answer = run(json.loads(sys.stdin.buffer.read()))
    sys.stdout.write(json.dumps(answer) + "\n")
    sys.stdout.flush()
    return 0


def parent_gone(parent: int) -> bool:
    """In the child: its parent (the import or export) was killed, so nothing will use its work."""
    return os.getppid() != parent
