"""What a build makes once and keeps for the next: in memory, and in a folder beside
mkdocs.yml (under `.cache/`, git-ignored) once `keep_in` names one."""

from __future__ import annotations

from pathlib import Path

from explainer.site.pictures import write_atomically


class Kept:
    """Bytes by name. Kept bytes are not checked again: the name must change with whatever
    made them (a hash of it), or their reader must check them (Jinja does its own)."""

    def __init__(self) -> None:
        self._made: dict[str, bytes] = {}
        self._folder: Path | None = None

    def keep_in(self, folder: Path) -> None:
        self._folder = folder

    def get(self, name: str) -> bytes | None:
        """What was kept as `name`, or None."""
        if name not in self._made and self._folder is not None:
            try:
                self._made[name] = (self._folder / name).read_bytes()
            except OSError:
                return None
        return self._made.get(name)

    def put(self, name: str, data: bytes) -> None:
        self._made[name] = data
        if self._folder is not None:
            write_atomically(self._folder / name, data)  # a preview and a build may write it at once
