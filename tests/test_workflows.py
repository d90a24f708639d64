"""The GitHub Actions workflows, read as data: we cannot run GitHub here, so these tests hold
the workflows to what keeps the deploy safe and the build reproducible, and zizmor audits them."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.y*ml"))
SITE = ROOT / ".github" / "workflows" / "site.yml"
LOCK = ROOT / "requirements" / "lock.txt"
# `uses: owner/repo@<40 hex digits> # vX.Y.Z`: a commit SHA cannot be moved the way a tag can.
PINNED_USES = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$")


def load(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def triggers(workflow: dict[str, Any]) -> dict[str, Any]:
    # YAML 1.1 reads the key `on` as the boolean true.
    return workflow[True]


def steps_using(job: dict[str, Any], action: str) -> list[dict[str, Any]]:
    return [step for step in job["steps"] if step.get("uses", "").split("@")[0] == action]


def run_lines(job: dict[str, Any]) -> list[str]:
    return [line.strip() for step in job["steps"] for line in step.get("run", "").splitlines()]


@pytest.fixture(scope="module")
def site() -> dict[str, Any]:
    return load(SITE)


def test_the_site_workflow_runs_on_pull_requests_and_pushes_to_main(site):
    assert triggers(site) == {"pull_request": None, "push": {"branches": ["main"]}}


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_no_workflow_runs_pull_request_code_with_the_base_repository_s_rights(path):
    assert "pull_request_target" not in triggers(load(path))
    assert "pull_request_target" not in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_workflows_grant_nothing_by_default(path):
    assert load(path)["permissions"] == {}


def test_the_build_job_can_only_read_the_repository(site):
    assert site["jobs"]["build"]["permissions"] == {"contents": "read"}


def test_the_deploy_job_has_only_the_pages_rights(site):
    deploy = site["jobs"]["deploy"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["concurrency"] == {"group": "pages", "cancel-in-progress": False}


def test_the_deploy_job_needs_the_build_and_runs_only_for_a_push_to_main(site):
    deploy = site["jobs"]["deploy"]
    assert deploy["needs"] in ("build", ["build"])
    condition = deploy["if"]
    assert "github.event_name == 'push'" in condition and "github.ref == 'refs/heads/main'" in condition
    assert "||" not in condition


def test_the_deploy_job_runs_no_code_from_the_repository(site):
    deploy = site["jobs"]["deploy"]
    assert [step["uses"].split("@")[0] for step in deploy["steps"]] == ["actions/deploy-pages"]
    assert run_lines(deploy) == []


def test_the_build_job_uploads_the_site_for_pages(site):
    build = site["jobs"]["build"]
    [upload] = steps_using(build, "actions/upload-pages-artifact")
    assert upload["with"]["path"].rstrip("/") == "site"
    # One engine's build is the site; the default artifact name is what deploy-pages takes.
    assert upload["if"] == "matrix.engine == 'mkdocs'"
    assert "name" not in upload["with"]


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_every_action_is_pinned_to_a_commit_with_its_release_in_a_comment(path):
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if re.match(r"\s*(- )?uses:", line)]
    uses = [step["uses"] for job in load(path)["jobs"].values() for step in job.get("steps", []) if "uses" in step]
    assert len(lines) == len(uses) > 0
    for line in lines:
        reference = line.split("uses:", 1)[1].strip()
        assert PINNED_USES.match(reference), f"{path.name}: not pinned to a commit SHA with '# vX.Y.Z': {line.strip()}"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_checkouts_keep_no_credentials(path):
    for job in load(path)["jobs"].values():
        for step in steps_using(job, "actions/checkout"):
            assert step["with"]["persist-credentials"] is False


def test_the_build_runs_the_readme_s_test_command_then_validates_and_builds_strictly(site):
    build = site["jobs"]["build"]
    commands = run_lines(build)
    assert "bash tests/run" in ROOT.joinpath("README.md").read_text(encoding="utf-8")
    test, validate, build_site = (
        commands.index("bash tests/run"),
        commands.index(".venv/bin/explainer validate"),
        commands.index('".venv/bin/$EXPLAINER_ENGINE" build --strict -f mkdocs.yml'),
    )
    assert test < validate < build_site


def test_the_build_installs_only_hashed_pins(site):
    """CI's install is the README's: tests/run installs the lock file with --require-hashes,
    then the project itself without dependencies."""
    installs = [
        line for line in ROOT.joinpath("tests", "run").read_text(encoding="utf-8").splitlines() if "pip install" in line
    ]
    assert len(installs) == 2
    assert "--require-hashes -r requirements/lock.txt" in installs[0]
    assert "--no-deps -e ." in installs[1]


def test_the_lock_file_pins_every_dependency_with_hashes():
    text = LOCK.read_text(encoding="utf-8")
    requirements = re.split(
        r"\n(?=\S)", "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#")).strip()
    )
    pinned = {}
    for requirement in requirements:
        name, _, version = requirement.split(" ")[0].partition("==")
        assert version, f"not pinned: {requirement.splitlines()[0]}"
        assert "--hash=sha256:" in requirement, f"no hash: {requirement.splitlines()[0]}"
        pinned[name.lower()] = version
    project = tomllib.loads(ROOT.joinpath("pyproject.toml").read_text(encoding="utf-8"))["project"]
    for requirement in project["dependencies"] + project["optional-dependencies"]["test"]:
        name = re.match(r"[A-Za-z0-9_.-]+", requirement).group().lower().replace("_", "-")
        assert name in pinned, f"{name} is in pyproject.toml but not in {LOCK.name}: refresh it (README)"


def test_the_build_runs_on_both_engines(site):
    build = site["jobs"]["build"]
    assert build["strategy"]["matrix"]["engine"] == ["mkdocs", "properdocs"]
    assert build["strategy"]["fail-fast"] is False
    assert build["env"]["EXPLAINER_ENGINE"] == "${{ matrix.engine }}"


def test_the_build_links_to_the_repository_and_dates_the_site_by_the_last_commit(site):
    build = site["jobs"]["build"]
    assert build["env"]["EXPLAINER_REPO_URL"] == "${{ github.server_url }}/${{ github.repository }}"
    commands = run_lines(build)
    assert 'SOURCE_DATE_EPOCH="$(git log -1 --format=%ct)"' in commands
    assert commands.index("export SOURCE_DATE_EPOCH") < commands.index(
        '".venv/bin/$EXPLAINER_ENGINE" build --strict -f mkdocs.yml'
    )


def test_zizmor_finds_nothing_offline():
    zizmor = Path(sys.executable).parent / "zizmor"
    assert zizmor.exists(), "zizmor is in the test extra: install with `bash tests/run`"
    result = subprocess.run(
        [str(zizmor), "--offline", "--format", "json", str(ROOT / ".github" / "workflows")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout) == []


def test_external_links_are_checked_weekly_with_read_only_rights():
    links = load(ROOT / ".github" / "workflows" / "links.yml")
    assert set(triggers(links)) == {"schedule", "workflow_dispatch"}
    [job] = links["jobs"].values()
    assert job["permissions"] == {"contents": "read"}
    commands = run_lines(job)
    assert commands.index(".venv/bin/explainer build") < commands.index(".venv/bin/explainer check-links")
    assert any("--require-hashes -r requirements/lock.txt" in command for command in commands)


def test_the_build_checks_out_the_whole_history_for_each_page_s_last_change(site):
    [checkout] = steps_using(site["jobs"]["build"], "actions/checkout")
    assert checkout["with"]["fetch-depth"] == 0
