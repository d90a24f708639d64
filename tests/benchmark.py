"""Benchmark: how a synthetic story of 1,000 and 10,000 entities builds, against the targets
of the performance issue. A script, not a test: `python tests/benchmark.py [--quick]`.

For each size it writes a story with `explainer synth`, then measures, as medians over
several runs, each in a fresh process:

- `explainer validate` of the story;
- the hook layer alone: reading the story and rendering every page to Markdown;
- the full `mkdocs build` with the hooks;
- the plain-MkDocs baseline: the same pages written out in advance by
  `explainer export-markdown` and built by a mkdocs.yml without hooks (same theme,
  extensions and nav);

and, of the last build of each kind, the peak memory of the process, the largest HTML page
and the size of the search index. Then, for `mkdocs serve` on the first story and `mkdocs
serve --dirty` on a 2,000-entity one, the time from saving an edit to a statement until the
server sends its page with the edit. It prints a Markdown table and whether each target
holds. `--quick` runs only the 1,000-entity story. At 10,000 entities a build takes one to
two minutes on two cores; the whole run takes about a quarter of an hour. `--cards-only`
measures the share cards alone: a 2,000-entity story built with every card to draw, with
every card cached, and with the cards turned off. `--workers-only` measures the build on
every core (engine/workers.py) at 2,000 and 10,000 entities: capped by affinity to 1, 2 and 4
cores where the machine has them, against plain MkDocs, with the peak memory of all the
build's processes together; and first the first story, which is too small for workers,
against plain MkDocs.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from conftest import project

ROOT = Path(__file__).resolve().parent.parent
SIZES = (1_000, 10_000)
RUNS = {1_000: 5, 10_000: 3}  # builds at 10,000 take minutes: three runs keep the total near 15
PREVIEW_SIZE = 2_000  # the story for `serve --dirty`
EDITS = 5  # edits saved in a row while serving
LANGUAGES = "en,ru,uk"  # a story in three languages, for the cost of languages
LANGUAGE_RUNS = {1_000: 3, 10_000: 2}
CARDS_SIZE = 2_000  # entities, for the cost of share cards
CARDS_RUNS = 3
WORKER_SIZES = (2_000, 10_000)
WORKER_RUNS = {2_000: 3, 10_000: 2}
WORKER_CORES = (1, 2, 4)  # one core builds without workers
WORKERS_TARGET = 0.75  # the build on two cores within this many times plain MkDocs
FIRST_STORY_RUNS = 5
FIRST_STORY_TARGET = 1.05  # the first story, too small for workers, within this many times plain MkDocs
CARDS_TARGET = 1.10  # a warm build (every card cached) within this many times the build without cards

# Reading and rendering, timed inside one fresh interpreter: what the hooks add to a build.
HOOK_LAYER = """
import json, sys, time
from pathlib import Path
start, start_cpu = time.perf_counter(), time.process_time()
from explainer.site.render import render_site
from explainer.content.story import load_story
story = load_story(Path(sys.argv[1]))
loaded, loaded_cpu = time.perf_counter(), time.process_time()
pages = render_site(story)
print(json.dumps({"load": loaded - start, "render": time.perf_counter() - loaded,
                  "cpu": time.process_time() - start_cpu, "pages": len(pages)}))
"""

MB = 1024 * 1024


@dataclass
class Run:
    seconds: float  # wall time
    cpu: float  # user and system time of the process: less sensitive to a busy machine
    peak_bytes: int
    stdout: str


@dataclass
class Figures:
    """What was measured for one size; times are medians."""

    size: int
    runs: int
    validate: float = 0.0
    validate_cpu: float = 0.0
    load: float = 0.0
    render: float = 0.0
    hook_layer_cpu: float = 0.0
    build: float = 0.0
    baseline: float = 0.0
    build_cpu: float = 0.0
    baseline_cpu: float = 0.0
    build_peak: int = 0
    baseline_peak: int = 0
    largest_page: tuple[int, str] = (0, "")
    baseline_largest_page: tuple[int, str] = (0, "")
    search_index: int = 0
    baseline_search_index: int = 0
    feeds: tuple[int, int] = (0, 0)  # bytes of feed.xml and feed.json
    pages: int = 0

    @property
    def hook_layer(self) -> float:
        return self.load + self.render


def run(command: list[str], env: dict[str, str] | None = None, cwd: Path = ROOT, cores: int | None = None) -> Run:
    """Run `command` to the end (on its first `cores` cores, if given): its wall time, output,
    and peak memory, the largest sum over the process and its descendants of their
    proportional set sizes (shared pages shared out), sampled every 0.1 s.

    The child is reaped with wait4, whose resource usage (CPU time) is the child's own."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        allowed = sorted(os.sched_getaffinity(0))[:cores] if cores else None
        process = subprocess.Popen(
            command,
            cwd=cwd,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})},
            stdout=out,
            stderr=err,
            text=True,
            preexec_fn=(lambda: os.sched_setaffinity(0, allowed)) if allowed else None,
        )
        peak = [0]
        sampler = threading.Thread(target=_sample_memory, args=(process.pid, peak), daemon=True)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped: Popen must not wait again
        out.seek(0), err.seek(0)
        if process.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{err.read()[-3000:]}")
        sampler.join()
        return Run(seconds, usage.ru_utime + usage.ru_stime, max(peak[0], usage.ru_maxrss * 1024), out.read())


def _sample_memory(pid: int, peak: list[int]) -> None:
    """Keep in peak[0] the largest memory of the process tree at `pid` seen, until it ends."""
    while Path(f"/proc/{pid}/stat").exists() and Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z":
        peak[0] = max(peak[0], _tree_memory(pid))
        time.sleep(0.1)


def _tree_memory(pid: int) -> int:
    """The proportional set size of `pid` and its descendants, in bytes (0 where /proc has none)."""
    total = 0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                total += int(line.split()[1]) * 1024
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:  # it ended meanwhile
        return total
    return total + sum(_tree_memory(int(child)) for child in children)


def largest_page(site: Path) -> tuple[int, str]:
    return max((path.stat().st_size, path.relative_to(site).as_posix()) for path in site.rglob("*.html"))


def measure(size: int, work: Path) -> Figures:
    runs = RUNS[size]
    figures = Figures(size, runs)
    content, export, site, baseline_site = work / "content", work / "export", work / "site", work / "baseline-site"
    python = sys.executable
    print(f"\n== {size:,} entities, {runs} runs of each", flush=True)
    run([python, "-m", "explainer", "synth", str(size), str(content)])
    committed(content)

    validations = [run([python, "-m", "explainer", "validate", str(content)]) for _ in range(runs)]
    figures.validate = statistics.median(v.seconds for v in validations)
    figures.validate_cpu = statistics.median(v.cpu for v in validations)
    print(f"validate        {figures.validate:7.2f} s (CPU {figures.validate_cpu:.2f} s)", flush=True)

    layers = [json.loads(run([python, "-c", HOOK_LAYER, str(content)]).stdout) for _ in range(runs)]
    figures.load = statistics.median(layer["load"] for layer in layers)
    figures.render = statistics.median(layer["render"] for layer in layers)
    figures.hook_layer_cpu = statistics.median(layer["cpu"] for layer in layers)
    figures.pages = layers[0]["pages"]
    print(
        f"hook layer      {figures.hook_layer:7.2f} s (load {figures.load:.2f}, render "
        f"{figures.render:.2f}; {figures.pages:,} pages)",
        flush=True,
    )

    story = {"EXPLAINER_CONTENT": str(content)}
    run([python, "-m", "explainer", "export-markdown", str(export), "-f", str(ROOT / "mkdocs.yml")], env=story)
    mkdocs = [python, "-m", "mkdocs", "build", "--quiet"]
    builds, baselines = [], []
    for _ in range(runs):  # alternated, so that a slow spell of the machine hits both alike
        builds.append(run([*mkdocs, "-f", str(ROOT / "mkdocs.yml"), "-d", str(site)], env=story))
        baselines.append(run([*mkdocs, "-f", str(export / "mkdocs.yml"), "-d", str(baseline_site)], cwd=export))
        print(f"build {builds[-1].seconds:7.2f} s, baseline {baselines[-1].seconds:7.2f} s", flush=True)
    figures.build, figures.baseline = (
        statistics.median(b.seconds for b in builds),
        statistics.median(b.seconds for b in baselines),
    )
    figures.build_cpu, figures.baseline_cpu = (
        statistics.median(b.cpu for b in builds),
        statistics.median(b.cpu for b in baselines),
    )
    figures.build_peak, figures.baseline_peak = max(b.peak_bytes for b in builds), max(b.peak_bytes for b in baselines)
    figures.largest_page, figures.baseline_largest_page = largest_page(site), largest_page(baseline_site)
    figures.search_index = (site / "search" / "search_index.json").stat().st_size
    figures.baseline_search_index = (baseline_site / "search" / "search_index.json").stat().st_size
    figures.feeds = ((site / "feed.xml").stat().st_size, (site / "feed.json").stat().st_size)
    return figures


def committed(content: Path) -> None:
    """The synthetic story as one commit of a repository, as a real story is: its pages get
    their dates, and its feeds an entry for each entity first published."""
    identity = ["-c", "user.name=Benchmark", "-c", "user.email=benchmark@example.org"]
    for arguments in (["init", "-q"], ["add", "."], ["commit", "-q", "-m", "synthetic story"]):
        run(["git", *identity, *arguments], cwd=content)


@dataclass
class Preview:
    """Seconds from saving an edit until `mkdocs serve` sends the edited page, for each edit."""

    story: str
    dirty: bool
    seconds: list[float]


def preview(content: Path, story: str, dirty: bool, language: str = "") -> Preview:
    """Serve `content`, then save EDITS edits to the summary of one statement in a row (of its
    translation into `language`, if given), each once the last is served, and time how long
    each takes to be served."""
    statements = sorted(path for path in (content / "statements").glob("*.yml") if path.name.count(".") == 1)
    statement = statements[len(statements) // 2]
    page = f"{language}/statements/{statement.stem}/" if language else f"statements/{statement.stem}/"
    if language:
        statement = statement.with_suffix(f".{language}.yml")
    original = statement.read_text(encoding="utf-8")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/{page}"
    command = [
        sys.executable,
        "-m",
        "mkdocs",
        "serve",
        "-a",
        f"127.0.0.1:{port}",
        "-f",
        str(ROOT / "mkdocs.yml"),
        *(["--dirty"] if dirty else []),
    ]
    env = {**os.environ, "EXPLAINER_CONTENT": str(content), "NO_MKDOCS_2_WARNING": "1"}
    seconds = []
    with tempfile.TemporaryFile("w+") as log:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            _served(url, "<h1", server, log, timeout=600)
            for edit in range(EDITS):
                marker = f"Benchmarkedit{edit}"
                # The first words of the summary, whether it is written on its key's line or in a block below.
                statement.write_text(
                    re.sub(r"(?m)^(summary: (?:[>|][-+]?\n\s+)?)", rf"\g<1>{marker} ", original, count=1),
                    encoding="utf-8",
                )
                start = time.perf_counter()
                _served(url, marker, server, log, timeout=120)
                seconds.append(time.perf_counter() - start)
                time.sleep(1)  # let the server settle before the next save
        finally:
            server.terminate()
            server.wait(timeout=30)
            statement.write_text(original, encoding="utf-8")
    return Preview(story, dirty, seconds)


def _served(url: str, text: str, server: subprocess.Popen, log, timeout: float) -> None:
    """Poll `url` until its page holds `text`."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if server.poll() is not None:
            log.seek(0)
            raise SystemExit(f"mkdocs serve stopped ({server.returncode}):\n{log.read()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if text in response.read().decode("utf-8"):
                    return
        except OSError:
            pass
        time.sleep(0.02)
    raise SystemExit(f"{url} did not show {text!r} within {timeout:.0f} s")


def previews(work: Path) -> list[Preview]:
    first = shutil.copytree(ROOT / "content", work / "first-story")
    long = work / "preview"
    run([sys.executable, "-m", "explainer", "synth", str(PREVIEW_SIZE), str(long)])
    results = [
        preview(first, "the first story", dirty=False),
        preview(long, f"{PREVIEW_SIZE:,} entities", dirty=True),
        preview_in_russian(work),
    ]
    for result in results:
        print(
            f"serve{' --dirty' if result.dirty else ''}, {result.story}: an edit is served in "
            f"{statistics.median(result.seconds):.2f} s "
            f"(median of {len(result.seconds)}: {', '.join(f'{second:.2f}' for second in result.seconds)})",
            flush=True,
        )
    return results


def preview_in_russian(work: Path) -> Preview:
    translated = work / "preview-languages"
    run([sys.executable, "-m", "explainer", "synth", str(PREVIEW_SIZE), str(translated), "--languages", LANGUAGES])
    return preview(translated, f"{PREVIEW_SIZE:,} entities in 3 languages, a Russian edit", dirty=True, language="ru")


DRAWINGS = """
import json, sys, tempfile, time
from pathlib import Path
from PIL import Image
from explainer.content.story import load_story
from explainer.content.images import inspect_image
from explainer.site import urls
from explainer.site.listings import places_of
from explainer.site.pictures import PictureMaker
from explainer.site.views import PageView
story = load_story(Path(sys.argv[1]))
figures = {}
start = time.perf_counter(); chart = PageView(story, "").overview(); figures["overview_s"] = time.perf_counter() - start
figures["overview_kb"] = len(chart.encode()) / 1024
places = places_of(story)
start = time.perf_counter()
drawn = PageView(story, "map/").story_map(places)
figures["map_s"] = time.perf_counter() - start
figures["map_kb"], figures["places"] = len(drawn.encode()) / 1024, len(places)
located = [incident for place in places for incident in place.incidents]
start = time.perf_counter()
sizes = [len(PageView(story, urls.entity_page(incident)).locator(incident).encode()) for incident in located]
figures["locators_s"] = time.perf_counter() - start
figures["locators"], figures["locator_kb"] = len(located), max(sizes) / 1024
with tempfile.TemporaryDirectory() as work:
    media = Path(work) / "media"; media.mkdir()
    for index in range(10):  # ten camera-sized photos
        Image.effect_noise((4000, 3000), 40 + index).convert("RGB").save(media / f"photo-{index}.jpg", quality=90)
    images = [inspect_image(media, f"photo-{index}.jpg") for index in range(10)]
    for label in ("cold", "warm"):
        maker = PictureMaker(Path(work) / "cache")
        start = time.perf_counter()
        for image in images:
            maker.picture(image)
        figures[f"pictures_{label}_s"] = time.perf_counter() - start
        figures[f"pictures_{label}_encoded"] = maker.encoded
print(json.dumps(figures))
"""


def drawings(work: Path) -> list[str]:
    """What the front page issue adds to a build, measured in a fresh process: the timeline
    overview, the map and every incident's locator at 2,000 and 10,000 entities, and ten
    4000×3000 photos made into variants with the cache cold, then warm."""
    lines = [
        "| story | overview | map | locators (each page) | pictures, cold / warm |",
        "| --- | --- | --- | --- | --- |",
    ]
    for size in (PREVIEW_SIZE, SIZES[-1]):
        content = work / f"drawings-{size}"
        run([sys.executable, "-m", "explainer", "synth", str(size), str(content)])
        f = json.loads(run([sys.executable, "-c", DRAWINGS, str(content)]).stdout)
        lines.append(
            f"| {size:,} entities | {f['overview_s']:.2f} s, {f['overview_kb']:.0f} KB | {f['map_s']:.2f} s, "
            f"{f['map_kb']:.0f} KB ({f['places']:,} places) | {f['locators_s']:.2f} s for {f['locators']:,} "
            f"(at most {f['locator_kb']:.1f} KB) | {f['pictures_cold_s']:.1f} s ({f['pictures_cold_encoded']} files) / "
            f"{f['pictures_warm_s']:.3f} s ({f['pictures_warm_encoded']} files) |"
        )
        print(lines[-1], flush=True)
    return lines


def table(results: list[Figures]) -> str:
    header = "| | " + " | ".join(f"{figures.size:,} entities" for figures in results) + " |"
    rows = [header, "| --- |" + " --- |" * len(results)]

    def row(label: str, cell) -> None:
        rows.append(f"| {label} | " + " | ".join(cell(figures) for figures in results) + " |")

    row("generated pages", lambda f: f"{f.pages:,}")
    row("`explainer validate` (CPU)", lambda f: f"{f.validate:.2f} s ({f.validate_cpu:.2f} s)")
    row("hook layer: read + render (CPU)", lambda f: f"{f.load:.1f} + {f.render:.1f} s ({f.hook_layer_cpu:.1f} s)")
    row("`mkdocs build` with the hooks", lambda f: f"{f.build:.1f} s")
    row("plain MkDocs, same pages", lambda f: f"{f.baseline:.1f} s")
    row("build / plain", lambda f: f"{f.build / f.baseline:.2f}")
    row(
        "build / plain, in CPU time",
        lambda f: f"{f.build_cpu / f.baseline_cpu:.2f} ({f.build_cpu:.0f} / {f.baseline_cpu:.0f} s)",
    )
    row("peak memory: build / plain", lambda f: f"{f.build_peak / MB:.0f} / {f.baseline_peak / MB:.0f} MB")
    row(
        "largest HTML page: build / plain",
        lambda f: (
            f"{f.largest_page[0] / 1024:.0f} KB ({f.largest_page[1]}) / {f.baseline_largest_page[0] / 1024:.0f} KB"
        ),
    )
    row("search index: build / plain", lambda f: f"{f.search_index / MB:.1f} / {f.baseline_search_index / MB:.1f} MB")
    row("feeds: Atom / JSON Feed", lambda f: f"{f.feeds[0] / 1024:.0f} / {f.feeds[1] / 1024:.0f} KB")
    return "\n".join(rows)


def verdicts(results: list[Figures], served: list[Preview]) -> list[str]:
    by_size = {figures.size: figures for figures in results}
    big, small = by_size.get(10_000), by_size.get(1_000)
    lines = []

    def target(name: str, holds: bool | None, shown: str) -> None:
        word = "not measured" if holds is None else "holds" if holds else "MISSED"
        lines.append(f"- {name}: {shown} — {word}")

    for result in served:
        median = statistics.median(result.seconds)
        target(
            f"`mkdocs serve{' --dirty' if result.dirty else ''}` serves an edit within 2 s, {result.story}",
            median <= 2.0,
            f"{median:.2f} s",
        )
    if big is None:
        lines.append("- (the build targets are set at 10,000 entities, which this run did not build)")
        return lines
    target(
        "build / plain MkDocs ≤ 1.10 at 10,000",
        big.build / big.baseline <= 1.10,
        f"{big.build / big.baseline:.2f} (in CPU time {big.build_cpu / big.baseline_cpu:.2f})",
    )
    if small is not None:
        for name, wall, cpu in (
            ("build", "build", "build_cpu"),
            ("validate", "validate", "validate_cpu"),
            ("hook layer", "hook_layer", "hook_layer_cpu"),
        ):
            ratio = getattr(big, wall) / getattr(small, wall)
            target(
                f"{name}: t(10,000) / t(1,000) ≤ 11",
                ratio <= 11,
                f"{ratio:.1f} (in CPU time {getattr(big, cpu) / getattr(small, cpu):.1f})",
            )
    target(
        "`explainer validate` ≤ 2 s at 10,000",
        big.validate <= 2.0,
        f"{big.validate:.2f} s (CPU {big.validate_cpu:.2f} s)",
    )
    target(
        "no HTML page over 1 MB at 10,000",
        big.largest_page[0] <= MB,
        f"largest {big.largest_page[0] / 1024:.0f} KB, {big.largest_page[1]}",
    )
    target(
        "search index no larger than plain MkDocs'",
        big.search_index <= big.baseline_search_index,
        f"{big.search_index / MB:.1f} MB against {big.baseline_search_index / MB:.1f} MB",
    )
    target("peak memory ≤ 1 GB at 10,000", big.build_peak <= 1024 * MB, f"{big.build_peak / MB:.0f} MB")
    return lines


def machine() -> str:
    cpuinfo = Path("/proc/cpuinfo")
    models = (
        [line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines() if line.startswith("model name")]
        if cpuinfo.exists()
        else []
    )
    return (
        f"{os.cpu_count()} cores ({models[0] if models else platform.processor()}), Python "
        f"{platform.python_version()}, "
        f"MkDocs {version('mkdocs')}, mkdocs-material {version('mkdocs-material')}, PyYAML {version('pyyaml')}"
    )


def languages(size: int, work: Path) -> tuple[float, float]:
    """The median build time of a story of `size` in one language and in three (every entity
    translated into two more), alternated."""
    one, three, site = work / f"one-{size}", work / f"three-{size}", work / f"site-{size}"
    run([sys.executable, "-m", "explainer", "synth", str(size), str(one)])
    run([sys.executable, "-m", "explainer", "synth", str(size), str(three), "--languages", LANGUAGES])
    mkdocs = [sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", str(ROOT / "mkdocs.yml"), "-d", str(site)]
    times: dict[Path, list[float]] = {one: [], three: []}
    for _ in range(LANGUAGE_RUNS[size]):
        for content in (one, three):
            times[content].append(run(mkdocs, env={"EXPLAINER_CONTENT": str(content)}).seconds)
    medians = statistics.median(times[one]), statistics.median(times[three])
    print(
        f"{size:,} entities: one language {medians[0]:.1f} s, three {medians[1]:.1f} s, "
        f"ratio {medians[1] / medians[0]:.2f} (runs: {times[one]}, {times[three]})",
        flush=True,
    )
    return medians


def workers(size: int, work: Path) -> list[str]:
    """The build of a story of `size` on 1, 2 and 4 cores (as many as the machine has), each
    alternated with plain MkDocs on the same pages: a line of medians for each, and the verdict."""
    content, export, site, baseline_site = (work / name for name in ("content", "export", "site", "baseline-site"))
    python = sys.executable
    run([python, "-m", "explainer", "synth", str(size), str(content)])
    committed(content)
    story = {"EXPLAINER_CONTENT": str(content)}
    run([python, "-m", "explainer", "export-markdown", str(export), "-f", str(ROOT / "mkdocs.yml")], env=story)
    mkdocs = [python, "-m", "mkdocs", "build", "--quiet"]
    counts = [count for count in WORKER_CORES if count <= len(os.sched_getaffinity(0))]
    builds: dict[int, list[Run]] = {count: [] for count in counts}
    baselines = []
    for _ in range(WORKER_RUNS[size]):
        for count in counts:
            builds[count].append(run([*mkdocs, "-f", str(ROOT / "mkdocs.yml"), "-d", str(site)], story, cores=count))
        baselines.append(run([*mkdocs, "-f", str(export / "mkdocs.yml"), "-d", str(baseline_site)], cwd=export))
        print(
            f"{size:,}: "
            + ", ".join(f"{count} cores {builds[count][-1].seconds:.1f} s" for count in counts)
            + f", plain {baselines[-1].seconds:.1f} s",
            flush=True,
        )
    plain = statistics.median(run.seconds for run in baselines)
    lines = []
    for count in counts:
        seconds = statistics.median(run.seconds for run in builds[count])
        peak = max(run.peak_bytes for run in builds[count])
        lines.append(
            f"- {size:,} entities on {count} core{'s' if count > 1 else ''}: {seconds:.1f} s, "
            f"{seconds / plain:.2f} × plain MkDocs ({plain:.1f} s), peak memory of all processes {peak / MB:.0f} MB"
        )
    if 2 in builds:
        ratio = statistics.median(run.seconds for run in builds[2]) / plain
        word = "holds" if ratio <= WORKERS_TARGET else "MISSED"
        lines.append(f"- build on 2 cores ≤ {WORKERS_TARGET} × plain MkDocs at {size:,}: {ratio:.2f} — {word}")
    if 4 not in builds:
        lines.append(f"- 4 cores: not measured, this machine lets the build use {len(os.sched_getaffinity(0))}")
    return lines


def first_story(work: Path) -> list[str]:
    """The first story (content/, below PARALLEL_FROM: no workers) built with the hooks,
    alternated with plain MkDocs on the same pages: the medians, and the verdict."""
    export, site, baseline_site = (work / name for name in ("export", "site", "baseline-site"))
    python = sys.executable
    run([python, "-m", "explainer", "export-markdown", str(export), "-f", str(ROOT / "mkdocs.yml")])
    mkdocs = [python, "-m", "mkdocs", "build", "--quiet"]
    builds, baselines = [], []
    for _ in range(FIRST_STORY_RUNS):
        builds.append(run([*mkdocs, "-f", str(ROOT / "mkdocs.yml"), "-d", str(site)]).seconds)
        baselines.append(run([*mkdocs, "-f", str(export / "mkdocs.yml"), "-d", str(baseline_site)], cwd=export).seconds)
    build, plain = statistics.median(builds), statistics.median(baselines)
    ratio = build / plain
    word = "holds" if ratio <= FIRST_STORY_TARGET else "MISSED"
    return [
        f"- the first story: {build:.2f} s, {ratio:.2f} × plain MkDocs ({plain:.2f} s); runs {builds} and {baselines}",
        f"- the first story ≤ {FIRST_STORY_TARGET} × plain MkDocs: {ratio:.2f} — {word}",
    ]


def cards(work: Path) -> tuple[float, float, float]:
    """Median build times of a story of CARDS_SIZE entities: with every card to draw (an empty
    card cache), with every card cached, and with the cards turned off; alternated."""
    content, site = work / f"cards-{CARDS_SIZE}", work / "cards-site"
    run([sys.executable, "-m", "explainer", "synth", str(CARDS_SIZE), str(content)])
    with_cards, without = project(work / "with-cards"), project(work / "without-cards", cards=False)
    mkdocs = [sys.executable, "-m", "mkdocs", "build", "--quiet", "-d", str(site)]
    story = {"EXPLAINER_CONTENT": str(content)}
    run([*mkdocs, "-f", str(without)], env=story, cwd=without.parent)  # the pictures' caches filled first
    run([*mkdocs, "-f", str(with_cards)], env=story, cwd=with_cards.parent)
    times: dict[str, list[float]] = {"cold": [], "warm": [], "off": []}
    for _ in range(CARDS_RUNS):
        shutil.rmtree(with_cards.parent / ".cache" / "cards")
        times["cold"].append(run([*mkdocs, "-f", str(with_cards)], env=story, cwd=with_cards.parent).seconds)
        times["warm"].append(run([*mkdocs, "-f", str(with_cards)], env=story, cwd=with_cards.parent).seconds)
        times["off"].append(run([*mkdocs, "-f", str(without)], env=story, cwd=without.parent).seconds)
        print(", ".join(f"{kind} {seconds[-1]:.1f} s" for kind, seconds in times.items()), flush=True)
    cold, warm, off = (statistics.median(times[kind]) for kind in ("cold", "warm", "off"))
    drawn = len(list((with_cards.parent / ".cache" / "cards").glob("*.png")))
    print(f"{CARDS_SIZE:,} entities, {drawn:,} cards: cold {cold:.1f} s, warm {warm:.1f} s, without cards {off:.1f} s")
    return cold, warm, off


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="only the 1,000-entity story")
    parser.add_argument(
        "--preview-only", action="store_true", help="only the times `mkdocs serve` takes to serve an edit"
    )
    parser.add_argument("--drawings-only", action="store_true", help="only the overview, map and pictures")
    parser.add_argument(
        "--languages-only", action="store_true", help="only a story in three languages against one, and its preview"
    )
    parser.add_argument("--workers-only", action="store_true", help="only the build on 1, 2 and 4 cores")
    parser.add_argument("--cards-only", action="store_true", help="only the share cards: cold, warm and turned off")
    arguments = parser.parse_args()
    sizes = SIZES[:1] if arguments.quick else SIZES
    print(f"machine: {machine()}; load average {os.getloadavg()[0]:.1f}")
    results = []
    with tempfile.TemporaryDirectory(prefix="explainer-benchmark-") as temporary:
        if arguments.workers_only:
            lines = first_story(Path(temporary) / "first-story")
            for size in WORKER_SIZES[:1] if arguments.quick else WORKER_SIZES:
                lines += workers(size, Path(temporary) / f"workers-{size}")
            print("\n".join(lines))
            return 0
        if arguments.cards_only:
            _, warm, off = cards(Path(temporary))
            ratio = warm / off
            print(
                f"- warm build within {CARDS_TARGET:.2f} × the build without cards at {CARDS_SIZE:,}: "
                f"{ratio:.2f} — {'holds' if ratio <= CARDS_TARGET else 'MISSED'}"
            )
            return 0
        if arguments.languages_only:
            for size in sizes:
                one, three = languages(size, Path(temporary))
                ratio = three / one
                print(
                    f"- three languages / one ≤ 3.3 at {size:,}: {ratio:.2f} — {'holds' if ratio <= 3.3 else 'MISSED'}"
                )
            served = [preview_in_russian(Path(temporary))]
            print(f"serve --dirty, {served[0].story}: {served[0].seconds}")
            print("\n".join(verdicts([], served)))
            return 0
        print("\n".join(drawings(Path(temporary))) + "\n")
        if arguments.drawings_only:
            return 0
        served = previews(Path(temporary))
        for size in [] if arguments.preview_only else sizes:
            results.append(measure(size, Path(temporary) / str(size)))
    if results:
        print("\n" + table(results) + "\n")
        print(
            f"Medians of {', '.join(f'{f.runs} runs at {f.size:,}' for f in results)}; load average at the "
            f"end {os.getloadavg()[0]:.1f}."
        )
    print("\n".join(verdicts(results, served)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
