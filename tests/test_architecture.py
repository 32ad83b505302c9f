"""The layout is the architecture: imports run one way, and no module imports itself in a circle.

The packages and their order are documented in docs/architecture.md. Adapters (cli, web) may use
services; services use store, sources and transport; those use the pure domain packages; the domain
packages use config, errors and plural. A lazy import inside a function counts like any other: it
hides a circle, it does not break it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "rekindle"

# lower layers first; a module may import its own layer's packages and any lower layer
LAYERS: list[set[str]] = [
    {"config", "errors", "plural", "data"},
    {"identity", "history", "engine", "compose", "sample"},
    {"store", "sources", "transport", "exporters"},
    {"services"},
    {"cli", "web", "mcp", "__main__"},
]
# within the domain, the packages that may be used by the others (engine uses history and
# identity; compose uses engine's words; sample builds records)
DOMAIN_ORDER = ["identity", "history", "engine", "compose", "sample"]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in SRC.rglob("*.py") if "migrations" not in p.parts}


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """Every rekindle module ``name`` imports, at the top or inside a function."""
    found: set[str] = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            # ``from pkg import module`` imports that module; ``from pkg import name`` the package
            targets = [
                f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names
            ]
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name and target != "rekindle":
                found.add(target)
    return found


def graph() -> dict[str, set[str]]:
    mods = modules()
    known = set(mods)
    return {name: imports_of(name, path, known) for name, path in mods.items()}


def top_package(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def layer_of(module: str) -> int:
    pkg = top_package(module)
    for i, layer in enumerate(LAYERS):
        if pkg in layer:
            return i
    raise AssertionError(f"{module}: package {pkg!r} is in no layer of docs/architecture.md")


def find_cycle(g: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(g.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt) :] + [nxt]
            if nxt not in state:
                cycle = visit(nxt)
                if cycle:
                    return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(g):
        if node not in state:
            cycle = visit(node)
            if cycle:
                return cycle
    return None


def test_no_module_imports_itself_in_a_circle() -> None:
    cycle = find_cycle(graph())
    assert cycle is None, "import circle: " + " -> ".join(cycle or [])


def test_the_finder_sees_a_circle_through_a_function_local_import(tmp_path: Path) -> None:
    g = {"rekindle.a": {"rekindle.b"}, "rekindle.b": {"rekindle.c"}, "rekindle.c": {"rekindle.a"}}
    assert find_cycle(g) == ["rekindle.a", "rekindle.b", "rekindle.c", "rekindle.a"]
    lazy = tmp_path / "rekindle" / "x.py"
    lazy.parent.mkdir()
    lazy.write_text("def f():\n    from rekindle.y import z\n")
    assert imports_of("rekindle.x", lazy, {"rekindle.x", "rekindle.y"}) == {"rekindle.y"}


def test_imports_run_from_adapters_down_to_the_domain() -> None:
    wrong = []
    for name, targets in graph().items():
        for target in targets:
            if layer_of(target) > layer_of(name):
                wrong.append(f"{name} imports {target}")
    assert not wrong, "imports that run upwards:\n" + "\n".join(sorted(wrong))


def test_domain_packages_use_each_other_only_downwards() -> None:
    wrong = []
    for name, targets in graph().items():
        pkg = top_package(name)
        if pkg not in DOMAIN_ORDER:
            continue
        for target in targets:
            other = top_package(target)
            if other in DOMAIN_ORDER and DOMAIN_ORDER.index(other) > DOMAIN_ORDER.index(pkg):
                wrong.append(f"{name} imports {target}")
    assert not wrong, "domain imports that run upwards:\n" + "\n".join(sorted(wrong))


def test_the_domain_knows_no_database_framework_or_web() -> None:
    # (compose renders the user's message templates with Jinja's sandbox: that is its job)
    banned = ("sqlalchemy", "alembic", "fastapi", "starlette", "typer", "rich", "uvicorn")
    wrong = []
    for name, path in modules().items():
        if top_package(name) not in DOMAIN_ORDER or top_package(name) == "sample":
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            mods = []
            if isinstance(node, ast.Import):
                mods = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level:
                mods = [node.module or ""]
            wrong += [f"{name} imports {m}" for m in mods if m.split(".")[0] in banned]
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize(
    "package", sorted({p for layer in LAYERS for p in layer} - {"__main__", "data"})
)
def test_every_layer_package_exists(package: str) -> None:
    assert (SRC / package).is_dir() or (SRC / f"{package}.py").is_file()
