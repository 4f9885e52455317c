"""`firesweep demo`: build a deterministic demo data set (being written)."""

from __future__ import annotations

import argparse


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("demo", help="生成演示数据 / build demo data")
    parser.set_defaults(handler=lambda args, t: 2)
