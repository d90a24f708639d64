"""`explainer schemas`: regenerate the JSON Schema files and the editor guide's model reference."""

from __future__ import annotations

from explainer.data.editor_schemas import GUIDE, write_generated


def schemas_command() -> int:
    changed = write_generated(GUIDE)
    print("\n".join(f"updated {path}" for path in changed) or "schemas and guide were up to date")
    return 0
