"""Plain values taken directly (rekindle.cli.coercion) come out as Typer's Pydantic check
makes them, and every other value gets Typer's own result or error."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from typer import _coercion
from typer.main import get_command

import rekindle.cli.lazy  # noqa: F401  (installs the plain coercion)

VALUES: list[Any] = [
    "12", "-4", "0", "-0", "007", "1_000", " 5", "5 ", "+5", "1.0", "abc", "", "१२",
    "99999999999999999999", "123456789012345678", 12, 0, True, False, 1.5, "true", "no",
]  # fmt: skip


def sample_command() -> Any:
    app = typer.Typer()

    @app.command()
    def cmd(
        n: int = 3,
        name: str = "x",
        flag: bool = False,
        maybe: int | None = None,
        label: Annotated[str | None, typer.Option("--label")] = None,
        bounded: Annotated[int, typer.Option(min=1)] = 2,
    ) -> None:
        pass

    return get_command(app)


def outcome(runtime: Any, value: Any, param: Any, ctx: Any) -> tuple[str, Any, str]:
    try:
        value = runtime.coerce(value, param=param, ctx=ctx)
    except Exception as exc:  # the error a user would see
        return ("error", type(exc).__name__, str(exc.format_message()))
    return ("ok", value, type(value).__name__)


def test_every_value_comes_out_as_typer_makes_it() -> None:
    command = sample_command()
    ctx = typer.Context(command)
    compared = 0
    for param in command.params:
        if param.name == "help":
            continue
        fast = param.get_runtime_param()
        full = _coercion.build_runtime_param(param.type_descriptor)
        for value in VALUES:
            mine = outcome(fast, value, param, ctx)
            theirs = outcome(full, value, param, ctx)
            assert mine == theirs, (param.name, value)
            compared += 1
    assert compared >= 6 * len(VALUES)  # every parameter above was compared


def test_plain_values_build_no_validator() -> None:
    command = sample_command()
    ctx = typer.Context(command)
    params = {p.name: p for p in command.params}
    assert params["n"].get_runtime_param().coerce("42", param=params["n"], ctx=ctx) == 42
    assert params["name"].get_runtime_param().coerce("Ann", param=params["name"], ctx=ctx) == "Ann"
    assert type(params["n"].get_runtime_param()).__name__ == "PlainRuntimeParam"
    assert "_rekindle_full" not in vars(params["n"]) and "_rekindle_full" not in vars(
        params["name"]
    )
    # a bounded one is Typer's from the start
    assert type(params["bounded"].get_runtime_param()).__name__ == "AdapterRuntimeParam"
