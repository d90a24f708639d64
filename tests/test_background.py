"""The build's second process (background.py): it gives the open data and the pages that
rendering in this process gives, finds the broken links of the built pages it is handed,
and a failure in it reaches this process with its traceback. A real process, no MkDocs:
the builds of the other tests run through it."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT
from explainer.content.story import load_story
from explainer.data.open_data import Site, export_files
from explainer.engine.background import Background, BackgroundError
from explainer.site.plan import PagePlan, plan_site
from explainer.site.render import PageInputs, render_site

MINIMAL = ROOT / "tests" / "fixtures" / "minimal"
SITE = Site("A story", "What happened", None)


def test_the_second_process_gives_the_data_and_pages_this_one_would(tmp_path: Path) -> None:
    story = load_story(MINIMAL)
    plans = plan_site(story)
    background = Background(story, plans, SITE, tmp_path, PageInputs())
    try:
        assert background.exports() == export_files(story, SITE)
        rendered = {page.src_uri: page.markdown for page in render_site(story)}
        # The last page first: asking for a page waits for it and keeps those before it.
        assert {plan.src_uri: background.markdown(plan.src_uri) for plan in reversed(plans)} == rendered
        assert background.broken_links() == []
    finally:
        background.stop()


def test_the_second_process_finds_the_broken_links_of_the_pages_built(tmp_path: Path) -> None:
    site = tmp_path / "site"
    pages = [site / f"page-{number}" / "index.html" for number in range(120)]  # more than one batch
    for number, page in enumerate(pages):
        page.parent.mkdir(parents=True)
        target = "../nowhere/" if number == 77 else f"../page-{(number + 1) % len(pages)}/#top"
        page.write_text(f'<h1 id="top">Page {number}</h1><a href="{target}">next</a>', encoding="utf-8")
    (site / "404.html").write_text('<a href="/gone/">home</a>', encoding="utf-8")  # served at any address: not read
    story = load_story(MINIMAL)
    background = Background(story, plan_site(story), SITE, site, PageInputs())
    try:
        for page in [*pages, site / "404.html"]:
            background.page_built(str(page))
        assert background.broken_links() == ["/page-77/: ../nowhere/ (target does not exist)"]
    finally:
        background.stop()


def test_a_failure_in_the_second_process_is_raised_here_with_its_traceback(tmp_path: Path) -> None:
    story = load_story(MINIMAL)
    background = Background(story, [PagePlan("broken.md", "no-such-template.md.j2")], SITE, tmp_path, PageInputs())
    try:
        with pytest.raises(BackgroundError, match=r"(?s)Traceback.*TemplateNotFound: .*no-such-template"):
            background.markdown("broken.md")
    finally:
        background.stop()
