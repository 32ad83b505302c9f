"""Plain command-line values taken as they are, without building a Pydantic validator.

Typer checks every parameter's value with a Pydantic ``TypeAdapter`` it builds when the
command runs: importing Pydantic and building the adapters cost ~0.1 s of every command's
start, though nearly all of Rekindle's values are a text taken as given, a whole number, a
flag or an option left out. Here a parameter of type ``str``, ``int`` or ``bool`` without
bounds or parser takes a value that is already of its type, or a text of digits for an
``int``, directly;
any other value (a wrong one included) goes to Typer's own adapter, so what is accepted,
and every error message, is Typer's (``tests/test_cli_coercion.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_DIGITS = re.compile(r"-?(?:0|[1-9][0-9]{0,17})")


def install() -> None:
    """Make Typer's parameters coerce plain values directly (once; a Typer without the hook
    this relies on is left as it is)."""
    try:
        from typer import _coercion, core
    except ImportError:  # pragma: no cover - another Typer
        return
    param_class = getattr(core, "_TyperParameter", None)
    build = getattr(_coercion, "build_runtime_param", None)
    base = getattr(_coercion, "RuntimeParam", None)
    if param_class is None or build is None or base is None:  # pragma: no cover
        return
    if getattr(param_class, "_rekindle_plain", False):
        return
    full_param: Any = build  # Typer's own: for every value not taken directly

    @dataclass(frozen=True)
    class PlainRuntimeParam(base):  # type: ignore[misc, valid-type]
        """``str``, ``int`` or ``bool`` without constraints: plain values directly, the rest by Typer."""

        descriptor: Any

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            if type(value) is self.annotation:
                return value
            if self.annotation is int and isinstance(value, str) and _DIGITS.fullmatch(value):
                return int(value)
            full = param.__dict__.get("_rekindle_full")
            if full is None:
                full = full_param(self.descriptor)
                param.__dict__["_rekindle_full"] = full
            return full._coerce_value(value, param=param, ctx=ctx)

    def get_runtime_param(self: Any) -> Any:
        if self._runtime_param is None:
            descriptor = self.type_descriptor
            if _plain(descriptor):
                self._runtime_param = PlainRuntimeParam(
                    annotation=descriptor.annotation,
                    parameter_info=descriptor.parameter_info,
                    descriptor=descriptor,
                )
            else:
                self._runtime_param = build(descriptor)
        return self._runtime_param

    param_class.get_runtime_param = get_runtime_param
    param_class._rekindle_plain = True


def _plain(descriptor: Any) -> bool:
    """A ``str``, ``int`` or ``bool`` parameter with no bounds, parser, Click type or file."""
    info = descriptor.parameter_info
    return (
        descriptor.annotation in (str, int, bool)
        and descriptor.file_annotation is None
        and getattr(info, "min", None) is None
        and getattr(info, "max", None) is None
        and not getattr(info, "clamp", False)
        and getattr(info, "parser", None) is None
        and getattr(info, "click_type", None) is None
    )
