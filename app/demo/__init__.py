"""The demo: a simulated campaign built through the services, as users would make it.

Above the services, beside the CLI: it uses the use cases and never the store directly, and only
entry points (`firesweep demo`, `firesweep app --demo`), tests and benchmarks use it.
"""

from .build import build_demo
from .enrollment import TABLETS, DemoTablet, tablets_dir
from .simulation import SCALES, DemoSummary

__all__ = ["build_demo", "DemoSummary", "SCALES", "TABLETS", "DemoTablet", "tablets_dir"]
