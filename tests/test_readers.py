"""What readers get: the attribution ledger, a timeline that shows what is known and filters
in the browser, glossary links on hand-written pages, sources to check, corrections, and
when each page's facts last changed.

A small story written here (its YAML below is the expected data) and the real story are
built with MkDocs and read as HTML; the filters and the layouts are driven in a real
headless Chromium, which also writes screenshots of the timeline and the ledger at 360 px
and 1280 px into tests/screenshots/ (not committed) for a person to look at.
"""

from __future__ import annotations

import base64
import os
import struct
import subprocess
import textwrap
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from conftest import REAL_CONTENT, ROOT, Build, mkdocs_build, originals, write_story
from explainer.commands.synth import write_story as write_synthetic_story
from explainer.content.dates import parse_date
from explainer.content.history import FileDates, file_history
from explainer.content.problems import ContentError
from explainer.content.story import load_story
from explainer.site.hand_written_terms import link_terms
from html_reading import Element, article, links, page, resolve, sections
from test_hardening import browser, load, real_address, serve_site  # noqa: F401  (fixtures)
from test_site import fold, heading_text

SCREENSHOTS = ROOT / "tests" / "screenshots"

# The story: a disputed strike with a thread of answers, a loop of statements answering each
# other, dates known to the day, the month or the year, a range, corrections, and a
# hand-written home page that mentions glossary terms where they may and may not be linked.
STORY = {
    "actors/north.yml": "name: Northland\nkind: state\n",
    "actors/south.yml": "name: Southland\nkind: state\n",
    "actors/north-ministry.yml": "name: Northland ministry\nkind: institution\nmember_of: north\n",
    "actors/berg.yml": "name: Anna Berg\nkind: person\nrole: Mayor of Eastport\n",
    "actors/watch.yml": "name: Harbour Watch\nkind: organization\n",
    "glossary/drone.yml": "term: drone\naliases: [drones]\ndefinition: An uncrewed aircraft.\n",
    "glossary/blockade.yml": "term: blockade\ndefinition: Closing a port by force.\n",
    "sources/gazette.yml": """
        title: Pier hit
        publisher: Harbour Gazette
        url: https://example.org/pier
        published: "2025-03-02"
        archive_url: https://archive.example.org/pier
        corrections:
          - date: "2025-04-01"
            text: The publisher's name was misspelt.
        """,
    "sources/radio.yml": "title: Evening news\npublisher: Coast Radio\nurl: https://example.org/radio\n",
    "incidents/pier-strike.yml": """
        title: Strike on the pier
        date: "2025-03-01"
        status: disputed
        actors: [north, south]
        summary: Something hit the pier, [[sources/gazette|the Gazette]] reports.
        sources: [gazette]
        corrections:
          - date: "2025-03-05"
            text: An earlier version named the wrong pier.
          - date: "2025-03-20"
            text: The time of the strike was removed.
        """,
    "incidents/bay-blockade.yml": """
        title: Blockade of the bay
        date: "2025-04"
        end_date: "2025-06"
        status: reported
        actors: [north]
        summary: Ships closed the bay.
        sources: [radio]
        """,
    "incidents/strike-season.yml": """
        title: A season of strikes
        date: "2024"
        actors: [watch]
        summary: Strikes went on all year.
        sources: [radio]
        """,
    "statements/watch-count.yml": """
        speaker: watch
        date: "2025-03-01"
        summary: Harbour Watch counted three craft.
        about: [pier-strike]
        sources: [radio]
        """,
    "statements/berg-blames.yml": """
        speaker: berg
        date: "2025-03-02"
        venue: Press conference at the town hall
        quote: They sent it on purpose.
        summary: Berg said Northland sent the craft.
        about: [pier-strike]
        attributes_to: [north]
        sources: [gazette]
        """,
    "statements/ministry-denies.yml": """
        speaker: north-ministry
        date: "2025-03"
        summary: The ministry said a southern missile fell on the pier.
        about: [pier-strike]
        responds_to: [berg-blames]
        attributes_to: [south]
        sources: [radio]
        corrections:
          - date: "2025-03-25"
            text: The ministry's name was corrected.
        """,
    "statements/south-replies.yml": """
        speaker: south
        date: "2025-03-10"
        quote: Nothing of ours fell there.
        about: [pier-strike]
        responds_to: [ministry-denies]
        sources: [radio]
        """,
    "statements/south-on-blockade.yml": """
        speaker: south
        date: "2025-04-02"
        summary: Southland said the blockade was the same bullying Berg described.
        about: [bay-blockade]
        responds_to: [berg-blames]
        attributes_to: [north]
        sources: [radio]
        """,
    "statements/loop-a.yml": 'speaker: north\ndate: "2024"\nsummary: A answers B.\n'
    "about: [strike-season]\nresponds_to: [loop-b]\nsources: [radio]\n",
    "statements/loop-b.yml": 'speaker: south\ndate: "2024"\nsummary: B answers A.\n'
    "about: [strike-season]\nresponds_to: [loop-a]\nsources: [radio]\n",
    "pages/index.md": """
        # Home

        ## The drone question

        A drone struck the pier. Later drones were seen again, and a [blockade report](timeline.md)
        came out with `blockade` in it.

        > A blockade, the navy called it.

        People spoke of "a blockade of the bay" at the time.

        The blockade lasted months.
        """,
    "pages/about.md": "# About\n\nA story for the readers' tests.\n",
    "pages/data.md": "# Data\n\nThe story as [data](data/explainer.json).\n",
}


def typed(relative: str) -> dict:
    """A file of STORY as YAML reads it: what the pages must show."""
    return yaml.safe_load(textwrap.dedent(STORY[relative]))


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> Build:
    folder = tmp_path_factory.mktemp("readers")
    build = mkdocs_build(write_story(folder / "content", STORY), folder / "site")
    assert build.result.returncode == 0, build.output
    return build


# --- The attribution ledger ------------------------------------------------------------------


def ledger(build: Build, incident: str) -> Element:
    ol = article(page(build, f"incidents/{incident}/")).find("ol", cls="explainer-ledger")
    assert ol is not None, f"incidents/{incident}/ has no ledger"
    return ol


def threads(ol: Element) -> list[tuple[str, list]]:
    """The ledger as (statement id, its responses) trees, in the order shown."""
    return [
        (li.attrs["id"].removeprefix("claim-"), threads(li.find("ol", cls="explainer-ledger") or Element("ol")))
        for li in ol.elements("li")
    ]


def card(build: Build, incident: str, statement: str) -> dict[str, Element]:
    """The fields of one claim's card, by their label."""
    claim = ledger(build, incident).find("li", id=f"claim-{statement}").find("article")
    return {fold(group.find("dt").text()): group.find("dd") for group in claim.find("dl").elements()}


def test_responses_are_threaded_under_the_claim_they_answer(story: Build) -> None:
    # ministry-denies is dated only to March, before what it answers, and still goes under it.
    assert threads(ledger(story, "pier-strike")) == [
        ("watch-count", []),
        ("berg-blames", [("ministry-denies", [("south-replies", [])])]),
    ]


def test_a_response_to_a_claim_about_another_incident_stands_on_its_own(story: Build) -> None:
    assert threads(ledger(story, "bay-blockade")) == [("south-on-blockade", [])]
    answers = card(story, "bay-blockade", "south-on-blockade")["Responds to"]
    assert links(answers, "incidents/bay-blockade/") == ["statements/berg-blames/"]


def test_statements_that_answer_each_other_are_each_shown_once(story: Build) -> None:
    shown = threads(ledger(story, "strike-season"))
    flat = []
    while shown:
        id, responses = shown.pop()
        flat.append(id)
        shown += responses
    assert sorted(flat) == ["loop-a", "loop-b"]


def test_each_claim_shows_speaker_date_venue_words_and_whom_it_blames(story: Build) -> None:
    url = "incidents/pier-strike/"
    for id in ("watch-count", "berg-blames", "ministry-denies", "south-replies"):
        data, fields = typed(f"statements/{id}.yml"), card(story, "pier-strike", id)
        assert links(fields["Who"], url)[0] == f"actors/{data['speaker']}/", id
        assert fields["When"].find("time").attrs["datetime"] == data["date"], id
        assert ("not known" in fold(fields["When"].text())) == (len(data["date"]) < 10), id
        said = fold(fields["What they said"].text())
        for words in (data.get("quote"), data.get("summary")):
            assert words is None or fold(words) in said, (id, words)
        assert "statements/" + id + "/" in links(fields["What they said"], url), id
        blamed = [f"actors/{actor}/" for actor in data.get("attributes_to", [])]
        assert links(fields["Holds responsible"], url) == blamed, id
        assert blamed or fold(fields["Holds responsible"].text()) == "No one named", id
        assert ("Where" in fields) == ("venue" in data), id
        if "venue" in data:
            assert fold(fields["Where"].text()) == data["venue"]
    assert links(card(story, "pier-strike", "ministry-denies")["Responds to"], url) == ["statements/berg-blames/"]


def test_the_ledger_shows_the_status_and_takes_no_side(story: Build) -> None:
    claims = [
        after
        for heading, after in sections(article(page(story, "incidents/pier-strike/")))
        if heading_text(heading) == "Who says what about it"
    ]
    assert claims, "no ledger section"
    text = fold(" ".join(node.text() for node in claims[0] if node.tag == "p"))
    assert "Disputed" in text and "does not decide" in text


def test_the_first_story_puts_the_accusation_beside_the_answers(real_site: Build) -> None:
    """Aliyev says Russia attacked deliberately; Russia's foreign ministry answers with a
    Patriot malfunction, threaded under him, and its earlier regret stands on its own."""
    statements = {
        path.stem: yaml.safe_load(path.read_text(encoding="utf-8")) for path in originals(REAL_CONTENT / "statements")
    }
    accusation = next(id for id, data in statements.items() if "deliberately attacked" in data.get("summary", ""))
    answer = next(
        id
        for id, data in statements.items()
        if "Patriot" in data.get("quote", "") and accusation in data.get("responds_to", [])
    )
    regret = next(id for id, data in statements.items() if "sincere regret" in data.get("quote", ""))
    incident = next(
        id
        for id in statements[regret]["about"]
        if id in statements[accusation]["about"] and id in statements[answer]["about"]
    )
    shown = dict(threads(ledger(real_site, incident)))
    assert (answer, []) in shown[accusation] and regret in shown
    assert "deliberately attacked" in fold(card(real_site, incident, accusation)["What they said"].text())
    assert "Patriot" in fold(card(real_site, incident, answer)["What they said"].text())


def test_every_response_in_the_first_story_is_under_what_it_answers(real_site: Build) -> None:
    statements = {
        path.stem: yaml.safe_load(path.read_text(encoding="utf-8")) for path in originals(REAL_CONTENT / "statements")
    }
    checked = 0
    for id, data in statements.items():
        for answered in data.get("responds_to", []):
            for incident in set(data.get("about", [])) & set(statements[answered].get("about", [])):
                under = ledger(real_site, incident).find("li", id=f"claim-{answered}")
                assert under.find("li", id=f"claim-{id}") is not None, (incident, id, answered)
                checked += 1
    assert checked


# --- The timeline ------------------------------------------------------------------------------


def entries(build: Build, url: str = "timeline/") -> dict[str, Element]:
    return {li.attrs["id"]: li for li in article(page(build, url)).find_all("li", cls="explainer-entry")}


def test_entries_say_when_the_day_or_month_is_not_known(story: Build) -> None:
    shown = entries(story)
    for key, li in shown.items():
        kind, id = key.split("-", 1)
        date = typed(f"{kind}/{id}.yml")["date"]
        note = li.find("span", cls="explainer-vague")
        expected = {1: "(month and day not known)", 2: "(day not known)", 3: None}[len(date.split("-"))]
        assert (fold(note.text()) if note else None) == expected, key
    assert len(shown) == len([name for name in STORY if name.startswith(("incidents/", "statements/"))])


def test_a_date_range_is_shown_as_a_range(story: Build) -> None:
    li = entries(story)["incidents-bay-blockade"]
    times = [(time.attrs["datetime"], fold(time.text())) for time in li.find_all("time")]
    assert times == [("2025-04", "April"), ("2025-06", "June 2025")]
    assert "April–June 2025" in fold(li.text())


def test_entries_carry_their_kind_and_actors_for_the_filters(story: Build) -> None:
    for key, li in entries(story).items():
        kind, id = key.split("-", 1)
        data = typed(f"{kind}/{id}.yml")
        actors = data["actors"] if kind == "incidents" else [data["speaker"], *data.get("attributes_to", [])]
        assert li.attrs["data-kind"] == kind, key
        assert li.attrs["data-actors"].split() == actors, key


def test_without_javascript_the_page_has_no_filter_controls(story: Build) -> None:
    """The script makes the controls from a hidden list of the page's actors, by name."""
    holder = article(page(story, "timeline/")).find("div", cls="explainer-filter")
    assert holder is not None and "hidden" in holder.attrs
    assert not holder.find_all("form") and not holder.find_all("input") and not holder.find_all("select")
    names = sorted(
        (typed(f"actors/{id}.yml")["name"], id) for id in ("north", "south", "north-ministry", "berg", "watch")
    )
    assert [(li.attrs["data-actor"], fold(li.text())) for li in holder.find_all("li")] == [
        (id, name) for name, id in names
    ]
    script = ROOT / "site_src" / "assets" / "explainer-filter.js"
    assert (story.site / "assets" / "explainer-filter.js").read_bytes() == script.read_bytes()
    assert '<script src="../assets/explainer-filter.js"></script>' in story.html("timeline/")


# --- Glossary links on hand-written pages -------------------------------------------------


def test_hand_written_pages_link_the_first_free_mention_of_each_term(story: Build) -> None:
    body = article(page(story, ""))
    terms = [
        (fold(a.text()), resolve("", a.attrs["href"]), a.attrs["title"])
        for a in body.find_all("a", cls="explainer-term")
    ]
    # "drone" in the heading is left alone, "drones" is a second mention; "blockade" in a
    # link, in code, in a quotation and in quotation marks is left alone.
    assert terms == [
        ("drone", "glossary/drone/", "An uncrewed aircraft."),
        ("blockade", "glossary/blockade/", "Closing a port by force."),
    ]
    paragraphs = [fold(p.text()) for p in body.find_all("p")]
    assert "The blockade lasted months." in paragraphs
    last = next(p for p in body.find_all("p") if fold(p.text()) == "The blockade lasted months.")
    assert last.find("a", cls="explainer-term") is not None


def test_hand_written_pages_keep_their_text_as_written(story: Build) -> None:
    html = story.html("")
    assert '<a href="timeline/">blockade report</a>' in html and "<code>blockade</code>" in html
    assert 'People spoke of "a blockade of the bay" at the time.' in html


def test_the_walker_hands_over_only_free_text_and_copies_the_rest() -> None:
    html = (
        '<h2 id="a">drone</h2><p>a drone &amp; <a href="#a">drone</a> <code>drone</code> <q>drone</q></p>'
        '<script>var x = "<p>drone</p>";</script><!-- drone --><blockquote><p>drone</p></blockquote>'
        "<p>He said “drone.</p><p>drone</p>"
    )
    runs: list[tuple[str, bool]] = []

    def mark(text: str, quoted: bool) -> str:
        runs.append((text, quoted))
        return f"[{text}]"

    linked = link_terms(html, mark)
    assert runs == [
        ("a drone ", False),
        ("He said “drone.", False),
        ("drone", False),
    ]  # a quotation ends with its paragraph
    assert linked == (
        '<h2 id="a">drone</h2><p>[a drone ]&amp; <a href="#a">drone</a> <code>drone</code> <q>drone</q></p>'
        '<script>var x = "<p>drone</p>";</script><!-- drone --><blockquote><p>drone</p></blockquote>'
        "<p>[He said “drone.]</p><p>[drone]</p>"
    )


# --- Sources you can check ---------------------------------------------------------------------


def test_pages_end_with_their_sources_with_publisher_date_and_archive(story: Build) -> None:
    heading, after = [
        (h, after) for h, after in sections(article(page(story, "incidents/pier-strike/"))) if h.tag == "h2"
    ][-1]
    assert heading_text(heading) == "Sources"
    source = typed("sources/gazette.yml")
    item = after[0].find("li")
    hrefs = [a.attrs["href"] for a in item.find_all("a")]
    assert source["url"] in hrefs and source["archive_url"] in hrefs
    assert item.find("time", datetime=source["published"]) is not None
    assert source["publisher"] in fold(item.text()) and source["title"] in fold(item.text())
    assert "sources/#gazette" in links(item, "incidents/pier-strike/")


def test_the_sources_page_lists_what_cites_each_source(story: Build) -> None:
    body = article(page(story, "sources/"))
    citing = {
        name.removesuffix(".yml") + "/"
        for name in STORY
        if name.endswith(".yml") and "radio" in typed(name).get("sources", [])
    }
    assert citing and set(links(body.find(id="radio"), "sources/")) >= citing


# --- Corrections and freshness -----------------------------------------------------------------


def test_the_corrections_page_lists_every_correction_newest_first(story: Build) -> None:
    made = [
        (item["date"], item["text"], name)
        for name in STORY
        if name.endswith(".yml")
        for item in typed(name).get("corrections", [])
    ]
    made.sort(reverse=True)
    items = article(page(story, "corrections/")).find("ul", cls="explainer-corrections").find_all("li")
    assert [li.find("time").attrs["datetime"] for li in items] == [date for date, _, _ in made]
    for li, (_, text, name) in zip(items, made, strict=False):
        kind, id = name.removesuffix(".yml").split("/")
        assert text in fold(li.text())
        assert links(li, "corrections/") == [f"sources/#{id}" if kind == "sources" else f"{kind}/{id}/"]


def test_an_entity_page_shows_its_corrections(story: Build) -> None:
    found = [
        after
        for heading, after in sections(article(page(story, "incidents/pier-strike/")))
        if heading_text(heading) == "Corrections"
    ]
    assert found, "no Corrections section"
    shown = [(li.find("time").attrs["datetime"], fold(li.text())) for li in found[0][0].find_all("li")]
    expected = sorted(
        ((item["date"], item["text"]) for item in typed("incidents/pier-strike.yml")["corrections"]), reverse=True
    )
    assert [date for date, _ in shown] == [date for date, _ in expected]
    assert all(text in words for (_, words), (_, text) in zip(shown, expected, strict=False))
    source = article(page(story, "sources/")).find(id="gazette")
    assert typed("sources/gazette.yml")["corrections"][0]["text"] in fold(source.text())


def test_a_correction_needs_a_date_and_a_text(tmp_path: Path) -> None:
    folder = write_story(
        tmp_path / "content",
        {
            **{name: text for name, text in STORY.items() if name.startswith("actors/")},
            "actors/berg.yml": "name: Anna Berg\nkind: person\ncorrections:\n"
            '  - date: "2025-13-01"\n  - text: Fixed.\n',
        },
    )
    with pytest.raises(ContentError) as error:
        load_story(folder)
    message = str(error.value)
    assert (
        "no month 13" in message
        and "missing required key 'text'" in message
        and "missing required key 'date'" in message
    )


def test_pages_without_git_history_show_no_change_date(story: Build) -> None:
    assert "explainer-dates" not in story.html("incidents/pier-strike/")  # written to a folder outside any repository


def git(folder: Path, *arguments: str, date: str | None = None) -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": date or "", "GIT_COMMITTER_DATE": date or ""}
    subprocess.run(
        ["git", "-c", "user.name=Editor", "-c", "user.email=editor@example.org", *arguments],
        cwd=folder,
        env=env,
        check=True,
        capture_output=True,
    )


def test_each_page_shows_when_its_yaml_was_last_committed(tmp_path: Path) -> None:
    folder = write_story(tmp_path / "repo" / "content", STORY)
    git(folder.parent, "init", "-q")
    git(folder.parent, "add", ".")
    git(folder.parent, "commit", "-q", "-m", "first", date="2025-01-02T23:30:00+00:00")
    write_story(folder, {"incidents/bay-blockade.yml": STORY["incidents/bay-blockade.yml"] + "tags: [bay]\n"})
    git(folder.parent, "commit", "-q", "-a", "-m", "second", date="2025-02-03T10:00:00+00:00")
    write_story(folder, {"incidents/not-committed.yml": STORY["incidents/strike-season.yml"]})
    os.utime(
        folder / "incidents" / "pier-strike.yml", (2_000_000_000, 2_000_000_000)
    )  # a modification time in 2033 must not count
    build = mkdocs_build(folder, tmp_path / "site")
    assert build.result.returncode == 0, build.output

    def dates(url: str) -> tuple[str | None, str | None]:
        """(first published, updated) as the page says them."""
        note = article(page(build, url)).find("p", cls="explainer-dates")
        if note is None:
            return None, None
        updated = note.find("span", cls="explainer-changed")
        return note.find("time").attrs["datetime"], updated.find("time").attrs["datetime"] if updated else None

    assert dates("incidents/bay-blockade/") == ("2025-01-02", "2025-02-03")
    assert (
        dates("incidents/pier-strike/")
        == dates("statements/berg-blames/")
        == dates("actors/north/")
        == dates("glossary/drone/")
        == ("2025-01-02", None)
    )
    assert dates("incidents/not-committed/") == (None, None)
    note = article(page(build, "incidents/bay-blockade/")).find("p", cls="explainer-dates")
    assert fold(note.text()) == "First published 2 January 2025. Updated 3 February 2025."


def test_change_dates_fall_back_silently_without_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = write_story(tmp_path / "content", {"actors/north.yml": STORY["actors/north.yml"]})
    git(folder, "init", "-q")
    git(folder, "add", ".")
    git(folder, "commit", "-q", "-m", "first", date="2025-01-02T12:00:00+00:00")
    day = parse_date("2025-01-02")
    assert file_history(folder) == {"actors/north.yml": FileDates(day, day), "story.yml": FileDates(day, day)}
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs-here"))
    assert file_history(folder) == {}
    assert file_history(tmp_path / "missing") == {}


# --- In the browser: the filters, with and without JavaScript --------------------------------


@pytest.fixture(scope="module")
def story_address(story: Build) -> Iterator[str]:
    with serve_site(story.site) as address:
        yield address


def visible(driver, selector: str) -> list[str]:
    return [
        element.get_attribute("id")
        for element in driver.find_elements("css selector", selector)
        if element.is_displayed()
    ]


def click(driver, selector: str) -> None:
    """Click a control as a reader would, once it is scrolled clear of the sticky header."""
    element = driver.find_element("css selector", selector)
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    element.click()


def choose(driver, actor: str) -> None:
    from selenium.webdriver.support.ui import Select

    click(driver, "select[name=actor]")
    Select(driver.find_element("css selector", "select[name=actor]")).select_by_value(actor)


def query(driver) -> dict[str, list[str]]:
    return parse_qs(urlsplit(driver.current_url).query)


def test_without_javascript_the_whole_timeline_shows_and_no_filter(browser, story: Build, story_address: str) -> None:
    browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
    try:
        load(browser, story_address + "timeline/?kind=incidents&actor=north")
        assert sorted(visible(browser, "li.explainer-entry")) == sorted(entries(story))
        assert not browser.find_element("css selector", ".explainer-filter").is_displayed()
        assert not browser.find_elements("css selector", ".explainer-filter form")
    finally:
        browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})


def test_the_script_makes_the_filter_controls(browser, story: Build, story_address: str) -> None:
    load(browser, story_address + "timeline/")
    form = browser.find_element("css selector", ".explainer-filter form")
    assert form.is_displayed()
    assert [
        radio.get_attribute("value") for radio in form.find_elements("css selector", "input[type=radio][name=kind]")
    ] == ["", "incidents", "statements"]
    assert form.find_element("css selector", "input[name=kind][value='']").is_selected()
    names = sorted(
        (typed(f"actors/{id}.yml")["name"], id) for id in ("north", "south", "north-ministry", "berg", "watch")
    )
    options = [
        (option.get_attribute("value"), option.text)
        for option in form.find_elements("css selector", "select[name=actor] option")
    ]
    assert options == [("", "Every actor")] + [(id, name) for name, id in names]
    assert form.find_element("css selector", "label[for=explainer-filter-actor]").text == "Concerning"


def test_filters_read_their_state_from_the_address(browser, story: Build, story_address: str) -> None:
    load(browser, story_address + "timeline/?kind=statements&actor=north")
    # Statements by Northland or holding it responsible.
    statements = {
        name.removesuffix(".yml").replace("/", "-"): typed(name) for name in STORY if name.startswith("statements/")
    }
    expected = {key for key, data in statements.items() if "north" in [data["speaker"], *data.get("attributes_to", [])]}
    assert set(visible(browser, "li.explainer-entry")) == expected
    assert browser.find_element("css selector", "input[name=kind][value=statements]").is_selected()
    assert browser.find_element("css selector", "select[name=actor]").get_attribute("value") == "north"
    assert (
        browser.find_element("css selector", ".explainer-filter__count").text
        == f"Showing {len(expected)} of {len(entries(story))} entries."
    )
    # A year or month with nothing left to show loses its heading, in the page and in its contents.
    months = {"y" + statements[key]["date"][:7] for key in expected}
    periods = sorted({month[:5] for month in months} | {month for month in months if len(month) == 8})
    assert visible(browser, ".explainer-period") == periods
    contents = [
        link.get_attribute("href").split("#")[1]
        for link in browser.find_elements("css selector", ".md-nav--secondary a")
        if link.is_displayed()
    ]
    assert [anchor for anchor in contents if anchor.startswith("y")] == periods


def test_changing_a_filter_updates_the_address_at_once(browser, story: Build, story_address: str) -> None:
    load(browser, story_address + "timeline/#y2025")
    assert len(visible(browser, "li.explainer-entry")) == len(entries(story))
    click(browser, "input[name=kind][value=incidents]")
    assert query(browser) == {"kind": ["incidents"]} and urlsplit(browser.current_url).fragment == "y2025"
    assert set(visible(browser, "li.explainer-entry")) == {
        key for key in entries(story) if key.startswith("incidents-")
    }
    choose(browser, "watch")
    assert query(browser) == {"kind": ["incidents"], "actor": ["watch"]}
    assert visible(browser, "li.explainer-entry") == ["incidents-strike-season"]
    shared = browser.current_url
    click(browser, "input[name=kind][value='']")
    choose(browser, "")
    assert query(browser) == {} and len(visible(browser, "li.explainer-entry")) == len(entries(story))
    load(browser, shared)  # the shared address opens the same view
    assert visible(browser, "li.explainer-entry") == ["incidents-strike-season"]


def test_an_address_naming_no_actor_of_the_page_shows_everything(browser, story: Build, story_address: str) -> None:
    load(browser, story_address + "timeline/?actor=nobody&kind=planets")
    assert len(visible(browser, "li.explainer-entry")) == len(entries(story))
    assert browser.find_element("css selector", ".explainer-filter__count").text == ""


@pytest.fixture(scope="module")
def long_story(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """A story long enough that the timeline goes by year."""
    folder = tmp_path_factory.mktemp("long-readers")
    write_synthetic_story(700, folder / "content", years=2)
    build = mkdocs_build(folder / "content", folder / "site")
    assert build.result.returncode == 0, build.output
    return build


def test_filters_work_on_each_year_of_a_long_timeline(browser, long_story: Build) -> None:
    years = sorted(path.parent.name for path in (long_story.site / "timeline").glob("*/index.html"))
    assert len(years) == 2 and article(page(long_story, "timeline/")).find("div", cls="explainer-filter") is None
    with serve_site(long_story.site) as address:
        for year in years:
            url = f"timeline/{year}/"
            assert article(page(long_story, url)).find("div", cls="explainer-filter") is not None
            load(browser, address + url + "?kind=incidents")
            shown = visible(browser, "li.explainer-entry")
            assert shown and set(shown) == {
                key for key, li in entries(long_story, url).items() if li.attrs["data-kind"] == "incidents"
            }, year


# --- Layout on a phone and on a desktop, with screenshots ------------------------------------


def at_width(driver, width: int, address: str) -> None:
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600},
    )
    load(driver, address)


def screenshot(driver, name: str, selector: str | None = None) -> Path:
    """A PNG of the whole page, or of one element, in tests/screenshots/."""
    clip = driver.execute_script(
        "if (!arguments[0]) return {x: 0, y: 0, width: innerWidth, "
        "height: document.documentElement.scrollHeight, scale: 1};"
        "const box = document.querySelector(arguments[0]).getBoundingClientRect();"
        "return {x: box.left + scrollX, y: box.top + scrollY, width: box.width, height: box.height, scale: 1};",
        selector,
    )
    data = driver.execute_cdp_cmd(
        "Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True, "clip": clip}
    )["data"]
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    path.write_bytes(base64.b64decode(data))
    return path


def png_width(path: Path) -> int:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">I", data[16:20])[0]


@pytest.fixture
def device(browser) -> Iterator[object]:
    yield browser
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def first_story_ledger() -> str:
    """The first story's incident with the most claims among those whose ledger threads a
    response under what it answers."""
    statements = {
        path.stem: yaml.safe_load(path.read_text(encoding="utf-8")) for path in originals(REAL_CONTENT / "statements")
    }
    threaded = {
        incident
        for data in statements.values()
        for answered in data.get("responds_to", [])
        for incident in set(data.get("about", [])) & set(statements[answered].get("about", []))
    }
    claims = {incident: sum(incident in data.get("about", []) for data in statements.values()) for incident in threaded}
    return max(sorted(threaded), key=claims.__getitem__)


@pytest.mark.parametrize("width", [320, 360, 1280])
def test_pages_fit_the_screen_without_sideways_scrolling(device, real_address: str, width: int) -> None:
    for url in ("timeline/", f"incidents/{first_story_ledger()}/", "who-said-what/"):
        at_width(device, width, real_address + url)
        assert device.execute_script("return document.documentElement.scrollWidth") <= width, (url, width)


def test_the_ledger_stacks_on_a_phone_and_lines_up_on_a_desktop(device, real_address: str) -> None:
    url = real_address + f"incidents/{first_story_ledger()}/"
    boxes = (
        "return ['who', 'said', 'blame']"
        ".map(name => document.querySelector('.explainer-ledger__' + name).getBoundingClientRect().toJSON())"
    )
    at_width(device, 360, url)
    who, said, blame = device.execute_script(boxes)
    assert who["bottom"] <= said["top"] and said["bottom"] <= blame["top"], (
        "fields of a card are not stacked on a phone"
    )
    at_width(device, 1280, url)
    who, said, blame = device.execute_script(boxes)
    assert who["right"] <= said["left"] and said["right"] <= blame["left"], "fields of a card are not side by side"
    assert abs(who["top"] - said["top"]) < 1 and abs(said["top"] - blame["top"]) < 1, (
        "fields of a card do not start on one line"
    )


@pytest.mark.parametrize("width", [360, 1280])
def test_screenshots_of_the_timeline_and_the_ledger(device, real_address: str, width: int) -> None:
    at_width(device, width, real_address + "timeline/?kind=statements")
    filtered = screenshot(device, f"timeline-filtered-{width}")
    at_width(device, width, real_address + "timeline/")
    whole = screenshot(device, f"timeline-{width}")
    at_width(device, width, real_address + f"incidents/{first_story_ledger()}/")
    ledger_shot = screenshot(device, f"ledger-{width}", "ol.explainer-ledger")
    page_shot = screenshot(device, f"incident-{width}")
    for path in (filtered, whole, page_shot):
        assert png_width(path) == width, path
    assert png_width(ledger_shot) < width
