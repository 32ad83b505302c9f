"""Reading the members of an uploaded zip with a cap on what it expands to.

The upload limit counts compressed bytes; a zip of a megabyte can expand to gigabytes (a zip
bomb, or a crafted export). Every member is checked before it is read (its declared size
and compression ratio) and counted while it is read (declared sizes can lie), so reading a
zip costs at most :data:`MAX_EXPANDED` bytes of work and a buffer of memory."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from typing import IO

#: bytes all the members read from one zip may expand to (a LinkedIn export: a few MB)
MAX_EXPANDED = 1 << 30
#: a member expanding more than this many times its compressed size (past a megabyte) is refused
MAX_RATIO = 200
_RATIO_FLOOR = 1 << 20


class ZipTooLarge(OSError):
    """A member expands past the cap: the zip is refused, nothing more of it is read."""


def _mb(n: int) -> str:
    return f"{n / (1 << 20):,.0f} MB"


def member_problem(
    info: zipfile.ZipInfo, left: int = MAX_EXPANDED, limit: int = MAX_EXPANDED
) -> str | None:
    """Why a member is not to be expanded, ``left`` bytes of ``limit`` still to read (None:
    it may be)."""
    if info.file_size > left:
        return (
            f"{info.filename} expands to {_mb(info.file_size)}, past the {_mb(limit)} "
            "Rekindle reads from one zip"
        )
    if info.file_size > _RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        return (
            f"{info.filename} expands {info.file_size // max(info.compress_size, 1):,} times "
            f"its compressed size (a zip bomb?); more than {MAX_RATIO} times is refused"
        )
    return None


class _Counted(io.RawIOBase):
    def __init__(self, inner: IO[bytes], name: str, budget: list[int], limit: int) -> None:
        self.inner = inner
        self.name_in_zip = name
        self.budget = budget
        self.limit = limit

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        view = memoryview(buffer)
        data = self.inner.read(min(len(view), 1 << 16))
        self.budget[0] -= len(data)
        if self.budget[0] < 0:
            raise ZipTooLarge(
                f"{self.name_in_zip} expands past the {_mb(self.limit)} Rekindle reads "
                "from one zip; the rest of the zip was not read"
            )
        view[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self.inner.close()
        super().close()


class BoundedZip:
    """Opens members of one zip, all of them together expanding at most ``limit`` bytes."""

    def __init__(self, zf: zipfile.ZipFile, limit: int = MAX_EXPANDED) -> None:
        self.zf = zf
        self.limit = limit
        self.budget = [limit]

    def opener(self, member: str) -> Callable[[], IO[bytes]]:
        def open_member() -> IO[bytes]:
            info = self.zf.getinfo(member)
            problem = member_problem(info, self.budget[0], self.limit)
            if problem:
                raise ZipTooLarge(problem)
            counted = _Counted(self.zf.open(info), member, self.budget, self.limit)
            return io.BufferedReader(counted)

        return open_member
