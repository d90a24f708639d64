"""`explainer build`: build the site beside the output folder, and put it in place only when
the whole build succeeded.

`mkdocs build` writes into its output folder as it goes, so a template error, a strict-mode
warning or a broken link found after the last page leaves a half-written site there. Here
MkDocs builds into a new folder next to the output, and the output folder is replaced only
when MkDocs exits 0: a failure at any stage leaves the previous site exactly as it was.
"""

from __future__ import annotations

import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path


def build_command(site: Path, mkdocs_arguments: list[str]) -> int:
    """`mkdocs build --strict [mkdocs_arguments]` into a new folder, swapped in for `site` on success."""
    site = site.absolute()
    site.parent.mkdir(parents=True, exist_ok=True)
    # Beside the output, on the same file system, so the swap is two renames, not a copy.
    staging = Path(tempfile.mkdtemp(prefix=f".{site.name}-building-", dir=site.parent))
    try:
        # mkdtemp's folder is private (0700); the published site must be as readable as before.
        staging.chmod(stat.S_IMODE(site.stat().st_mode) if site.is_dir() else 0o755)
        # Ours come last so that they win: `--site-dir` is always the new folder.
        command = [sys.executable, "-m", "mkdocs", "build", "--strict", *mkdocs_arguments, "--site-dir", str(staging)]
        returncode = subprocess.run(command).returncode
        if returncode != 0:
            print(f"explainer build: the build failed; {site} is unchanged.", file=sys.stderr)
            return returncode
        _replace(site, staging)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    print(f"explainer build: the new site is in {site}")
    return 0


def _replace(site: Path, new: Path) -> None:
    """Put the folder `new` where `site` is; the old site is deleted only once the new one is in place."""
    if not site.exists():
        new.rename(site)
        return
    old = new.with_name(new.name.replace("-building-", "-previous-"))
    site.rename(old)
    new.rename(site)
    shutil.rmtree(old)
