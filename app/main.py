"""The Flet entry point: `flet run` / `flet build` find `main` here; `firesweep app` serves it."""

from __future__ import annotations

import flet as ft

from app.ui.shell import start


async def main(page: ft.Page) -> None:
    await start(page)


if __name__ == "__main__":
    ft.run(main)
