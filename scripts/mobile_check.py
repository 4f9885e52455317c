"""Can `flet build apk` install this project's dependencies? Checked here, without the Flutter SDK.

    python scripts/mobile_check.py                      # check pyproject.toml; exit 1 naming each problem
    python scripts/mobile_check.py --pyproject P.toml   # check another copy
    python scripts/mobile_check.py --constraints        # print the pins for the Python 3.13 test venv
    python scripts/mobile_check.py --installed          # is this interpreter that venv, with those versions?

`flet build` installs `[project].dependencies` (plus `[tool.flet.android].dependencies`) with pip
`--only-binary :all:` and Flet's mobile index as an extra index; it bundles the highest Python that
`requires-python` allows. A binary package needs a wheel on that index at a version the requirements
allow; scripts/mobile_index.toml lists the index's versions (with where and when they were read).

Which packages are binary is read from the wheels installed in this environment (their WHEEL tags),
walking the dependency tree with markers evaluated as on Android, so a new binary dependency is
found without anyone listing it. A package that is not installed here cannot be judged and is
reported. The tree is that of the versions installed here (the desktop pins): a mobile version's own
requirements are not seen, which the Python 3.13 test run (scripts/mobile_tests.sh) covers.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import tomllib
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
INDEX = ROOT / "scripts" / "mobile_index.toml"
# the binary packages an Android build of this app takes from the mobile index
MOBILE_BINARIES = ("pillow", "cryptography", "cffi", "orjson", "msgpack")


@dataclass(frozen=True)
class MobileIndex:
    python: str
    bundled: dict[str, str]
    wheels: dict[str, str]
    pure_on_pypi: dict[str, str]
    no_wheel: frozenset[str]
    source: str
    as_of: str

    @classmethod
    def load(cls, path: Path) -> MobileIndex:
        data = tomllib.loads(path.read_text("utf-8"))
        names = {canonicalize_name(k): v for k, v in data["wheels"].items()}
        pure = {canonicalize_name(k): v for k, v in data.get("pure_wheel_on_pypi", {}).items()}
        none = frozenset(canonicalize_name(k) for k in data.get("no_mobile_wheel", {}))
        return cls(data["python"], data["bundled_python"], names, pure, none, data["source"], data["recipes_as_of"])

    def describe(self) -> str:
        return f"the mobile index (mobile-forge recipes as of {self.as_of})"


def android_environment(index: MobileIndex) -> dict[str, str]:
    """Marker values as pip sees them under `flet build apk`: serious_python's sitecustomize makes
    `platform.system()` say Android; the rest is the bundled Python's."""
    env = default_environment()
    env.update(platform_system="Android", python_version=index.python,
               python_full_version=index.bundled.get(index.python, f"{index.python}.0"),
               implementation_name="cpython", platform_python_implementation="CPython", os_name="posix")
    return env


def bundled_python(requires_python: str | None, index: MobileIndex) -> str:
    """The Python `flet build` picks: the highest bundled release `requires-python` allows."""
    spec = SpecifierSet(requires_python or "")
    allowed = [short for short, full in index.bundled.items() if Version(full) in spec]
    return max(allowed, key=Version) if allowed else ""


def _is_binary(dist: metadata.Distribution) -> bool:
    wheel = dist.read_text("WHEEL") or ""
    tags = [line.split(":", 1)[1].strip() for line in wheel.splitlines() if line.startswith("Tag:")]
    pure = "Root-Is-Purelib: true" in wheel and all(tag.endswith("-none-any") for tag in tags)
    return not pure


@dataclass
class Walk:
    """The dependency tree as on Android: every package and every specifier asked of it."""

    env: dict[str, str]
    asked: dict[str, list[tuple[str, str]]] = field(default_factory=dict)   # name → [(who asks, spec)]
    missing: set[str] = field(default_factory=set)
    walked: set[tuple[str, str]] = field(default_factory=set)              # (name, extra) seen

    def add(self, requirement: Requirement, asker: str, extras: frozenset[str] = frozenset()) -> None:
        if requirement.marker and not any(
                requirement.marker.evaluate({**self.env, "extra": extra}) for extra in (extras or {""})):
            return
        name = canonicalize_name(requirement.name)
        self.asked.setdefault(name, []).append((asker, str(requirement.specifier)))
        wanted = {(name, extra) for extra in {"", *requirement.extras}} - self.walked
        if not wanted:
            return
        self.walked |= wanted
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            self.missing.add(name)
            return
        for line in dist.requires or []:
            self.add(Requirement(line), name, frozenset(extra for _, extra in wanted))


def android_walk(project: dict, asker: str, index: MobileIndex) -> Walk:
    """What `flet build apk` would install: [project].dependencies and [tool.flet.android].dependencies."""
    lines = list(project["project"].get("dependencies", []))
    lines += project.get("tool", {}).get("flet", {}).get("android", {}).get("dependencies", [])
    walk = Walk(android_environment(index))
    for line in lines:
        walk.add(Requirement(line), asker)
    return walk


def check(pyproject: Path, index: MobileIndex) -> list[str]:
    """Every reason `flet build apk` would fail to install the dependencies of `pyproject`."""
    project = tomllib.loads(pyproject.read_text("utf-8"))
    problems = []
    requires = project["project"].get("requires-python")
    chosen = bundled_python(requires, index)
    if chosen != index.python:
        problems.append(f"requires-python {requires!r} makes flet build bundle Python {chosen or 'none'}; "
                        f"the mobile versions in {INDEX.name} are for Python {index.python}")
    walk = android_walk(project, pyproject.name, index)
    for name in sorted(walk.asked):
        asks = walk.asked[name]
        if name in index.no_wheel:
            problems.append(f"{name}: a binary package with no wheel on {index.describe()} "
                            f"(asked by {', '.join(sorted({who for who, _ in asks}))})")
            continue
        if name in walk.missing:
            problems.append(f"{name}: not installed here, so whether it is a binary package is unknown "
                            "(install the project's dependencies first)")
            continue
        if name in index.pure_on_pypi or not _is_binary(metadata.distribution(name)):
            continue
        version = index.wheels.get(name)
        if version is None:
            problems.append(f"{name}: a binary package with no wheel on {index.describe()} "
                            f"(asked by {', '.join(sorted({who for who, _ in asks}))})")
            continue
        refused = [f"{who} asks {spec}" for who, spec in asks if spec and Version(version) not in SpecifierSet(spec)]
        if refused:
            problems.append(f"{name}: {index.describe()} has {version} for Python {index.python}, "
                            f"but {'; '.join(refused)}")
    return problems


def mobile_constraints(desktop: Path, pyproject: Path, index: MobileIndex) -> str:
    """The desktop pins, with the index's version of every package an Android build takes from it
    (not of those only the desktop needs, such as the web server's)."""
    project = tomllib.loads(pyproject.read_text("utf-8"))
    mobile = android_walk(project, pyproject.name, index).asked.keys() & index.wheels.keys()
    out = []
    for raw in desktop.read_text("utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        name = canonicalize_name(Requirement(line).name)
        out.append(f"{name}=={index.wheels[name]}" if name in mobile else line)
    return "\n".join(out) + "\n"


def check_installed(index: MobileIndex) -> list[str]:
    """This interpreter is the mobile Python, with the index's versions of what is installed."""
    problems = []
    here = f"{sys.version_info.major}.{sys.version_info.minor}"
    if here != index.python:
        problems.append(f"this is Python {here}, not {index.python}")
    for name in MOBILE_BINARIES:
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            problems.append(f"{name} is not installed")
            continue
        if installed != index.wheels[name]:
            problems.append(f"{name} {installed} is installed, the mobile index has {index.wheels[name]}")
    with contextlib.suppress(metadata.PackageNotFoundError):
        problems.append(f"pillow-heif {metadata.version('pillow-heif')} is installed; the mobile index has none")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pyproject", type=Path, default=ROOT / "pyproject.toml")
    parser.add_argument("--index", type=Path, default=INDEX)
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--constraints", type=Path, nargs="?", const=ROOT / "constraints.txt",
                      help="print these desktop pins with the mobile index's versions in place")
    mode.add_argument("--installed", action="store_true", help="check the running environment instead")
    args = parser.parse_args(argv)
    index = MobileIndex.load(args.index)
    if args.constraints:
        sys.stdout.write(mobile_constraints(args.constraints, args.pyproject, index))
        return 0
    if args.installed:
        problems = check_installed(index)
        what = f"Python {sys.version.split()[0]} with the mobile index's versions"
    else:
        problems = check(args.pyproject, index)
        what = f"{args.pyproject.name}: every binary dependency has a wheel on {index.describe()}, {index.source}"
    if problems:
        print(f"mobile check FAILED ({len(problems)}):", *problems, sep="\n  ", file=sys.stderr)
        return 1
    versions = ", ".join(f"{n} {metadata.version(n)}" for n in MOBILE_BINARIES)
    print(f"mobile check passed: {what}" + (f" ({versions}; no pillow-heif)" if args.installed else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
