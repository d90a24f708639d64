"""Build the story's detail pages on every core.

MkDocs builds on one core, and converting Markdown, filling the theme's template and
writing the HTML are most of its time. Once the files and the nav are known, the build
forks one worker per core. Each builds, a chunk at a time, the pages that are in no nav
(the pages of the entities and their embeds) as MkDocs would, with MkDocs' own functions, and
writes them. What MkDocs keeps of a page for later (its table of contents, title, anchors
and warnings) comes back to the first process, with the page's entries in the search index,
which MkDocs then hands a page that needs no template and no file of its own. The page's
HTML stays with the worker that wrote it: the first process has no use for it, and at
10,000 entities it would hold some 150 MB of it (a plugin that reads `page.content` after
the page is built finds it empty).
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import traceback
from collections.abc import Callable, Iterator, MutableMapping
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.sharedctypes import Synchronized
from typing import Any

from mkdocs.commands.build import _build_page, _populate_page
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import TableOfContents

from explainer.site.plan import PagePlan

PARALLEL_FROM = 400  # pages for the workers: a smaller story builds faster without forking them
CHUNK = 20  # pages a worker hands over per message
SEARCH_PLUGIN = "material/search"  # its index of the pages gets their entries from the workers


class WorkerError(Exception):
    """A worker failed; the message is its traceback."""


@dataclass
class Built:
    """What MkDocs keeps of a page a worker built (Page.render's results but the HTML, and its warnings)."""

    toc: TableOfContents
    meta: MutableMapping[str, Any]
    title: str | None
    anchor_ids: set[str] | None
    links_to_anchors: dict[str, dict[str, str]] | None  # by the src_uri of the page linked to
    logged: list[tuple[str, int, str]]  # (logger, level, message) of each warning
    search_entries: list[dict[str, Any]]  # what the search plugin indexed of it

    def install(self, page: Page, files: Files) -> None:
        """Give `page` what rendering it would have given it, and log its warnings here,
        where MkDocs counts them for --strict."""
        page.content = ""  # written already, by the worker
        page.toc = self.toc
        page.meta = self.meta
        page._title_from_render = self.title
        page.present_anchor_ids = self.anchor_ids
        if self.links_to_anchors is not None:
            page.links_to_anchors = {
                file: links
                for src_uri, links in self.links_to_anchors.items()
                if (file := files.get_file_from_path(src_uri)) is not None
            }
        for name, level, message in self.logged:
            logging.getLogger(name).log(level, message)


def search_index(config: MkDocsConfig) -> list[dict[str, Any]] | None:
    """The entries of Material's search index, which the workers add to; None without it."""
    plugin = config.plugins.get(SEARCH_PLUGIN)
    entries = getattr(getattr(plugin, "search_index", None), "entries", None)
    return entries if isinstance(entries, list) else None


@dataclass(frozen=True)
class Build:
    """What the workers take of the build they are forked from."""

    config: MkDocsConfig
    files: Files
    nav: Navigation
    forked: Callable[[], None]  # called first in each worker: the build's state there is its own


class Workers:
    """Builds the pages of `plans` in `count` worker processes; see the module's docstring."""

    def __init__(self, plans: list[PagePlan], count: int, build: Build):
        self._built: dict[str, Built] = {}
        self._search_entries: dict[str, list[dict[str, Any]]] = {}
        self._connections: list[Connection] = []
        self._processes = []
        context = multiprocessing.get_context("fork")
        # Each worker takes the next chunk when it is free: the pages arrive about in the order
        # MkDocs reads them, and the workers end together however long their pages take.
        chunks = _Chunks(plans, context.Value("i", 0))
        for _ in range(count):
            ours, theirs = multiprocessing.Pipe(duplex=False)
            process = context.Process(target=_work, args=(theirs, chunks, build), daemon=True)
            process.start()
            theirs.close()
            self._connections.append(ours)
            self._processes.append(process)
        self._all = list(self._connections)  # _connections keeps those still building
        self._index_what_workers_built(build.config)

    def take(self, src_uri: str) -> Built:
        """What the worker that built `src_uri` kept of it, once it is built."""
        while src_uri not in self._built:
            if not self._connections:
                raise WorkerError(f"no worker built {src_uri}")
            for connection in wait(self._connections):
                self._receive(connection)  # type: ignore[arg-type]  # wait() gives back what it was given
        built = self._built.pop(src_uri)
        self._search_entries[src_uri] = built.search_entries
        return built

    def _index_what_workers_built(self, config: MkDocsConfig) -> None:
        """The search plugin, which indexes each page as MkDocs builds it, takes the entries a
        worker made of its pages rather than reading them again."""
        entries = search_index(config)
        assert entries is not None, "Workers need the search plugin's index"
        events = config.plugins.events["page_context"]
        index = next(i for i, method in enumerate(events) if config.plugins._event_origins.get(method) == SEARCH_PLUGIN)
        indexing = events[index]

        def on_page_context(context: Any, *, page: Page, config: MkDocsConfig, nav: Navigation) -> Any:
            if page.file.src_uri not in self._search_entries:
                return indexing(context, page=page, config=config, nav=nav)
            entries.extend(self._search_entries.pop(page.file.src_uri))
            return context

        events[index] = on_page_context
        config.plugins._event_origins[on_page_context] = SEARCH_PLUGIN

    def stop(self) -> None:
        for process in self._processes:
            if process.is_alive():
                process.kill()
            process.join()
        for connection in self._all:
            connection.close()

    def _receive(self, connection: Connection) -> None:
        try:
            kind, payload = connection.recv()
        except EOFError:
            codes = ", ".join(str(process.exitcode) for process in self._processes)
            raise WorkerError(f"a worker stopped (exit codes {codes})") from None
        if kind == "error":
            raise WorkerError(payload)
        if kind == "done":
            self._connections.remove(connection)
        else:
            self._built.update(payload)


class _Warnings(logging.Handler):
    """Keeps the warnings of a worker's page, for the first process to log."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.logged: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.logged.append((record.name, record.levelno, record.getMessage()))


@dataclass(frozen=True)
class _Chunks:
    """The plans, in chunks that the workers take in turn (`taken` is shared between them)."""

    plans: list[PagePlan]
    taken: Synchronized[int]  # how many chunks the workers have taken

    def __iter__(self) -> Iterator[list[PagePlan]]:
        while True:
            with self.taken.get_lock():
                start = self.taken.value * CHUNK
                self.taken.value += 1
            if start >= len(self.plans):
                return
            yield self.plans[start : start + CHUNK]


def _work(connection: Connection, chunks: _Chunks, build: Build) -> None:
    # What the worker inherits stays as it is: the collector need not walk it again (nor
    # copy the memory it would touch) for every page's garbage.
    gc.freeze()
    try:
        build.forked()
        config, files = build.config, build.files
        warnings = _Warnings()
        logger = logging.getLogger("mkdocs")
        logger.handlers, logger.propagate = [warnings], False
        entries = search_index(config)
        assert entries is not None, "Workers need the search plugin's index"
        env = config.plugins.on_env(config.theme.get_env(), config=config, files=files)
        doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)
        for chunk in chunks:
            built = {}
            for plan in chunk:
                file = files.get_file_from_path(plan.src_uri)
                assert file is not None, f"{plan.src_uri} is one of the build's files"
                page = Page(None, file, config)  # its Markdown arrives in the hooks' on_pre_page
                warnings.logged, indexed = [], len(entries)
                _populate_page(page, config, files)
                _build_page(page, config, doc_files, build.nav, env)
                assert page.content is not None and page.toc is not None
                built[plan.src_uri] = Built(
                    page.toc,
                    page.meta,
                    page._title_from_render,
                    page.present_anchor_ids,
                    {file.src_uri: links for file, links in page.links_to_anchors.items()}
                    if page.links_to_anchors is not None
                    else None,
                    warnings.logged,
                    entries[indexed:],
                )
                del entries[indexed:]
                file.content_string, file.page = "", None  # only what the first process needs stays
            connection.send(("built", built))
        connection.send(("done", None))
    except BaseException:  # the first process reports it: this one has no one to tell
        connection.send(("error", traceback.format_exc()))
    finally:
        connection.close()
