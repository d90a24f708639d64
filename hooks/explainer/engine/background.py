"""The build's second process: it makes the open data and renders the story's pages, then
reads the links of each page MkDocs writes (and puts the theme's empty sitemap beside it),
while MkDocs converts Markdown on the first.

MkDocs builds on one core. For a large story this work is a good part of what MkDocs
itself needs for those pages (the README's performance table has the figures); on a
second core it costs next to nothing.
The process is forked once the story has been read and checked, so it starts with the
story in memory, and renders the pages in the order MkDocs reads them: MkDocs seldom has
to wait for one.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import queue
import threading
import traceback
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from explainer.content.story import Story
from explainer.data.open_data import export_files
from explainer.engine.link_check import LinkReader
from explainer.site.per_language import EmptySitemaps
from explainer.site.plan import PagePlan
from explainer.site.render import PageInputs, Renderer
from explainer.site.urls import Site

CHUNK = 100  # pages rendered per message
FIRST_CHUNK = 5  # pages in the first message: each next one holds twice as many, up to CHUNK
BATCH = 10  # built pages handed over per message


def cores() -> int:
    """The cores this process may run on (`taskset` and os.sched_setaffinity cap them)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def available() -> bool:
    """Whether a second process can help: it needs a second core, and fork to inherit the
    story, which is safe only while this process runs a single thread."""
    return cores() > 1 and "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


class BackgroundError(Exception):
    """The second process failed; the message is its traceback."""


class Background:
    """Makes the open data of `story` for `site`, renders its `plans` and checks the links of
    the pages built into `site_dir`, with `sitemaps` beside them, in a second process; see
    the module's docstring."""

    def __init__(
        self,
        story: Story,
        plans: list[PagePlan],
        site: Site,
        site_dir: Path,
        inputs: PageInputs,
        sitemaps: EmptySitemaps | None = None,
    ):
        self._order = {plan.src_uri: index for index, plan in enumerate(plans)}
        self._exports: dict[str, str] | None = None
        self._rendered: list[str] = []  # the Markdown of the first pages, as it arrives
        self._broken: list[str] | None = None
        self._built: list[str] = []  # built pages not yet handed over
        self._connection, theirs = multiprocessing.Pipe()
        context = multiprocessing.get_context("fork")
        self._process = context.Process(
            target=_work, args=(theirs, story, plans, site, site_dir, inputs, sitemaps), daemon=True
        )
        self._process.start()
        theirs.close()

    def exports(self) -> dict[str, str]:
        """The open data files (exports.export_files)."""
        while self._exports is None:
            self._receive()
        return self._exports

    def renders(self, src_uri: str) -> bool:
        return src_uri in self._order

    def markdown(self, src_uri: str) -> str:
        """The Markdown of the page `src_uri`, once it is rendered."""
        index = self._order[src_uri]
        while len(self._rendered) <= index:
            self._receive()
        return self._rendered[index]

    def page_built(self, path: str) -> None:
        """MkDocs is about to write a built page at `path`, or a worker has written it. MkDocs
        writes each page right after its post_page event: the pages before this one are
        written, and their links can be read."""
        self._built.append(path)
        if len(self._built) > BATCH:
            while self._connection.poll():  # pages MkDocs never asked for (excluded ones) must not block the pipe
                self._receive()
            self._connection.send(self._built[:-1])
            del self._built[:-1]

    def broken_links(self) -> list[str]:
        """The internal links of the built pages that lead nowhere, once MkDocs has written them all."""
        self._connection.send(self._built)
        self._connection.send(None)
        while self._broken is None:
            self._receive()
        self.stop()
        return self._broken

    def stop(self) -> None:
        if self._process.is_alive():
            self._process.kill()
        self._process.join()
        self._connection.close()

    def _receive(self) -> None:
        """Keep what the next message from the second process brings."""
        try:
            kind, payload = self._connection.recv()
        except EOFError:
            raise BackgroundError(f"the second process stopped (exit code {self._process.exitcode})") from None
        if kind == "error":
            raise BackgroundError(payload)
        if kind == "exports":
            self._exports = payload
        elif kind == "pages":
            self._rendered += payload
        else:
            self._broken = payload


def _work(
    connection: Connection,
    story: Story,
    plans: list[PagePlan],
    site: Site,
    site_dir: Path,
    inputs: PageInputs,
    sitemaps: EmptySitemaps | None,
) -> None:
    gc.freeze()  # as in a worker (workers.py): what this process inherits is not collected again
    outbox = _Outbox(connection)
    try:
        outbox.send(("exports", export_files(story, site)))  # MkDocs needs them before any page
        renderer = Renderer(story, inputs=inputs)
        start, size = 0, FIRST_CHUNK
        while start < len(plans):  # small chunks first, so that MkDocs soon has a page to read
            outbox.send(("pages", [renderer.render(plan).markdown for plan in plans[start : start + size]]))
            start, size = start + size, min(2 * size, CHUNK)
        outbox.send(("broken", _broken_links(connection, site_dir, sitemaps)))
    except BaseException:  # the first process reports it: this one has no one to tell
        outbox.send(("error", traceback.format_exc()))
    finally:
        outbox.close()


class _Outbox:
    """Sends messages in order from a thread of its own. A pipe holds only a few pages: sent
    directly, the pages would wait for MkDocs to read the ones before them, and this process
    could not render ahead of it."""

    def __init__(self, connection: Connection):
        self._connection = connection
        self._messages: queue.SimpleQueue[tuple[str, Any] | None] = queue.SimpleQueue()
        self._sender = threading.Thread(target=self._send_all, daemon=True)
        self._sender.start()

    def send(self, message: tuple[str, Any]) -> None:
        self._messages.put(message)

    def close(self) -> None:
        self._messages.put(None)
        self._sender.join()
        self._connection.close()

    def _send_all(self) -> None:
        while (message := self._messages.get()) is not None:
            self._connection.send(message)


def _broken_links(connection: Connection, site_dir: Path, sitemaps: EmptySitemaps | None) -> list[str]:
    reader = LinkReader(site_dir)
    while (built := connection.recv()) is not None:
        for page in map(Path, built):
            # 404.html is no page of the site (it is served at any address); MkDocs skips
            # writing a page whose HTML is empty.
            if page.name == "index.html" and page.is_file():
                reader.read(page)
                if sitemaps is not None:
                    sitemaps.beside(page)
    return reader.broken()
