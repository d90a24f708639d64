"""`explainer check-links`: ask every web address the built site links to whether it still
answers, and offer an archived copy for each that does not. It needs the network, so it is
a command for a scheduled job, never part of a build."""

from __future__ import annotations

import sys
import urllib.error
import urllib.request
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

from explainer.content.problems import ContentError
from explainer.content.story import load_story
from explainer.engine.link_check import read_site

WEB_SCHEMES = {"http", "https"}
USER_AGENT = "explainer-check-links (+https://github.com/explainer-news/explainer)"


@dataclass(frozen=True)
class DeadLink:
    url: str
    reason: str  # "HTTP 404", "unreachable: ..."
    pages: tuple[str, ...]  # the site-relative URLs of the pages that link it
    suggestion: str  # where the page may still be read

    def __str__(self) -> str:
        shown = ", ".join(f"/{page}" for page in self.pages[:3]) + (
            f" and {len(self.pages) - 3} more" if len(self.pages) > 3 else ""
        )
        return f"{self.url}: {self.reason}; linked from {shown}; {self.suggestion}"


def web_links(site: Path) -> dict[str, list[str]]:
    """Every http(s) address the pages link to, with the pages that link it."""
    found: dict[str, list[str]] = defaultdict(list)
    for url, web in read_site(Path(site)).web.items():
        for link in web:
            if urlsplit(link).scheme.lower() in WEB_SCHEMES:
                found[link].append(url)
    return {url: sorted(set(pages)) for url, pages in sorted(found.items())}


def dead_web_links(
    links: dict[str, list[str]], archives: dict[str, str], timeout: float = 20, workers: int = 8
) -> list[DeadLink]:
    """The `links` (from `web_links`) that no longer answer, each with an archived copy to link
    instead: `archives[url]` (a source's `archive_url`) where the story has one, else a
    Wayback Machine search."""
    with ThreadPoolExecutor(max_workers=workers) as pool:
        reasons = dict(zip(links, pool.map(lambda url: _fetch_failure(url, timeout), links), strict=False))
    dead = []
    for url, reason in reasons.items():
        if reason is None:
            continue
        archived = archives.get(url)
        if archived and reasons.get(archived) is None:
            suggestion = f"archived copy: {archived}"
        else:
            suggestion = f"look for an archived copy: https://web.archive.org/web/*/{quote(url, safe=':/?&=%#+@,;~')}"
        dead.append(DeadLink(url, reason, tuple(links[url]), suggestion))
    return dead


def _fetch_failure(url: str, timeout: float) -> str | None:
    """Why `url` cannot be read, or None if it answers. Many servers refuse HEAD: GET is tried next."""
    reason = None
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=timeout):
                return None
        except urllib.error.HTTPError as error:
            reason = f"HTTP {error.code}"
        except (urllib.error.URLError, OSError, ValueError) as error:
            return f"unreachable: {getattr(error, 'reason', error)}"
    return reason


def check_links_command(site: Path, content: Path, timeout: float) -> int:
    """Print the dead web links of the built `site`, with archived copies; 1 if there are any."""
    if not (site / "index.html").is_file():
        print(f"{site}: no built site here: run `explainer build` first, or pass --site", file=sys.stderr)
        return 1
    try:
        story = load_story(content)
    except ContentError as error:
        print(error, file=sys.stderr)
        return 1
    archives = {
        source.fields["url"]: source.fields["archive_url"]
        for source in story.all("sources")
        if source.fields["archive_url"]
    }
    links = web_links(site)
    dead = dead_web_links(links, archives, timeout)
    for link in dead:
        print(link)
    print(f"{len(dead)} of {len(links)} web links are dead" if dead else f"all {len(links)} web links answer")
    return 1 if dead else 0
