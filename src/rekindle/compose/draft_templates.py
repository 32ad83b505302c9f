"""Where draft templates live: the user's copies first, then the ones shipped with Rekindle.

Templates are Jinja2 files laid out by language, intent and medium::

    templates/en/catch-up/email-1.txt.j2
    templates/en/catch-up/linkedin-1.txt.j2
    templates/en/_common.j2            macros shared by one language's templates

A user copies the defaults into ``<data dir>/templates`` and edits them there; a file with
the same name wins over the shipped one, and new numbers add variants. Other languages are
new folders beside ``en``.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from rekindle.compose.vocabulary import INTENTS, MEDIA
from rekindle.errors import UserError

#: the templates shipped with Rekindle
PACKAGE_ROOT = Path(__file__).resolve().parent.parent / "data" / "templates"


def user_root(data_dir: Path) -> Path:
    """Where the user's own templates live: ``<data dir>/templates``."""
    return data_dir / "templates"


DEFAULT_LANGUAGE = "en"
_VARIANT = re.compile(r"^(?P<medium>[a-z]+)-(?P<n>\d+)\.txt\.j2$")


#: media drafted with another medium's templates (a video call gets the call brief)
TEMPLATE_MEDIUM = {"video": "call"}


def template_name(language: str, intent: str, medium: str, variant: int) -> str:
    """The loader name of one template: ``en/catch-up/email-1.txt.j2``."""
    return f"{language}/{intent}/{TEMPLATE_MEDIUM.get(medium, medium)}-{variant}.txt.j2"


@dataclass(frozen=True)
class TemplateSet:
    """Template folders searched in order (the user's first) and the environment over them."""

    roots: tuple[Path, ...]

    @classmethod
    def with_user_root(cls, user_root: Path | None) -> TemplateSet:
        roots = [user_root] if user_root is not None and user_root.is_dir() else []
        return cls((*roots, PACKAGE_ROOT))

    def languages(self) -> list[str]:
        found = {
            p.name
            for root in self.roots
            if root.is_dir()
            for p in root.iterdir()
            if p.is_dir() and not p.name.startswith((".", "_"))
        }
        return sorted(found)

    def variants(self, language: str, intent: str, medium: str) -> list[int]:
        """The variant numbers available for one intent and medium, in any root."""
        numbers: set[int] = set()
        for root in self.roots:
            folder = root / language / intent
            if not folder.is_dir():
                continue
            for p in folder.iterdir():
                m = _VARIANT.match(p.name)
                if m and m.group("medium") == TEMPLATE_MEDIUM.get(medium, medium):
                    numbers.add(int(m.group("n")))
        return sorted(numbers)

    def path_of(self, name: str) -> Path | None:
        """The file a template name resolves to (the first root that has it)."""
        for root in self.roots:
            candidate = root / name
            if candidate.is_file():
                return candidate
        return None

    def environment(self) -> SandboxedEnvironment:
        """A sandboxed environment: templates cannot reach Python objects or files beyond these."""
        env = SandboxedEnvironment(
            loader=FileSystemLoader([str(r) for r in self.roots]),
            undefined=StrictUndefined,
            autoescape=False,
            trim_blocks=False,
            lstrip_blocks=True,
            keep_trailing_newline=False,
        )
        return env

    def check_choice(self, language: str, intent: str, medium: str) -> list[int]:
        """The variants for a choice, or a user error saying what exists."""
        if intent not in INTENTS:
            raise UserError(f"unknown intent {intent!r}", hint="intents: " + ", ".join(INTENTS))
        if medium not in MEDIA:
            raise UserError(f"unknown medium {medium!r}", hint="media: " + ", ".join(MEDIA))
        if language not in self.languages():
            raise UserError(
                f"no templates in language {language!r}",
                hint="languages: " + ", ".join(self.languages()),
            )
        found = self.variants(language, intent, medium)
        if not found:
            raise UserError(
                f"no {medium} template for {intent!r} in {language!r}",
                hint=f"add one as templates/{template_name(language, intent, medium, 1)}",
            )
        return found


def copy_defaults(dest: Path, force: bool = False) -> tuple[list[Path], list[Path]]:
    """Copy the shipped templates under ``dest``; (copied, kept because they exist already)."""
    copied: list[Path] = []
    kept: list[Path] = []
    for src in sorted(PACKAGE_ROOT.rglob("*.j2")):
        target = dest / src.relative_to(PACKAGE_ROOT)
        if target.exists() and not force:
            kept.append(target)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, target)
        copied.append(target)
    return copied, kept


def shipped_names() -> Sequence[str]:
    """Every shipped template as a loader name (for tests and `templates list`)."""
    return [p.relative_to(PACKAGE_ROOT).as_posix() for p in sorted(PACKAGE_ROOT.rglob("*.j2"))]
