"""The hooks keep their state on one object per build: two different stories built one after
the other in one process give exactly the sites that two fresh processes give."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from conftest import ENGINE, ROOT, files_of, mkdocs_build

FIXTURES = ROOT / "tests" / "fixtures"
STORIES = ("minimal", "hostile")
# The same sitemap dates in every build, wherever and whenever it runs.
FIXED = {"SOURCE_DATE_EPOCH": "1767225600", "NO_MKDOCS_2_WARNING": "1"}

IN_ONE_PROCESS = textwrap.dedent("""
    import os, sys
    from pathlib import Path
    {prelude}
    from {engine}.commands.build import build
    from {engine}.config import load_config

    config_file, *pairs = sys.argv[1:]
    for content, site in zip(pairs[::2], pairs[1::2]):
        os.environ["EXPLAINER_CONTENT"] = content
        config = load_config(config_file=config_file, site_dir=site, strict=True)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
""")


def test_two_stories_in_one_process_build_as_in_two(tmp_path: Path, monkeypatch) -> None:
    for name, value in FIXED.items():
        monkeypatch.setenv(name, value)
    pairs = [str(part) for name in STORIES for part in (FIXTURES / name, tmp_path / "together" / name)]
    # ProperDocs' command line points `mkdocs.*` at its own modules first, so that themes and
    # plugins written for MkDocs load: its Python API needs the same.
    prelude = "import properdocs.replacement" if ENGINE == "properdocs" else ""
    script = IN_ONE_PROCESS.format(engine=ENGINE, prelude=prelude)
    result = subprocess.run(
        [sys.executable, "-c", script, str(ROOT / "mkdocs.yml"), *pairs],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **FIXED},
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    for name in STORIES:
        alone = mkdocs_build(FIXTURES / name, tmp_path / "alone" / name)
        assert alone.result.returncode == 0, alone.output
        together, separate = files_of(tmp_path / "together" / name), files_of(alone.site)
        assert together.keys() == separate.keys(), (
            f"{name}: files differ: {sorted(together.keys() ^ separate.keys())[:10]}"
        )
        changed = [path for path in together if together[path] != separate[path]]
        assert not changed, (
            f"{name}: built second in one process, these files differ from a fresh build: {changed[:10]}"
        )
    # The second story is its own: nothing of the first one's pages is left in it.
    first_only = (
        files_of(tmp_path / "together" / STORIES[0]).keys() - files_of(tmp_path / "together" / STORIES[1]).keys()
    )
    assert any(path.startswith("incidents/") for path in first_only)
