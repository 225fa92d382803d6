"""deploy/Dockerfile.app and Dockerfile.rasa, read as text (no daemon): pinned bases on the
Python each environment needs, a non-root final user, installs from the lock files only, and
every file they copy present and not excluded by .dockerignore; runtime.lock agrees with
dev.lock and holds every runtime dependency."""

from __future__ import annotations

import fnmatch
import re
import subprocess
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from assistant.settings import PROJECT_ROOT
from tests.deploy.manifests import DEPLOY

PINNED = re.compile(r":\d+\.\d+\.\d+[\w.-]*(@sha256:[0-9a-f]{64})?$|@sha256:[0-9a-f]{64}$")


@dataclass
class Stage:
    base: str
    lines: list[str] = field(default_factory=list)


def stages(dockerfile: Path) -> list[Stage]:
    """The build stages, bases with their ARG defaults substituted, continuation lines joined."""
    text = re.sub(r"\\\n\s*", " ", dockerfile.read_text())
    args: dict[str, str] = {}
    found: list[Stage] = []
    for line in (raw.strip() for raw in text.splitlines()):
        if not line or line.startswith("#"):
            continue
        word, _, rest = line.partition(" ")
        if word == "ARG" and "=" in rest and not found:
            name, value = rest.split("=", 1)
            args[name] = value
        elif word == "FROM":
            image = re.sub(r"\$\{(\w+)\}", lambda m: args[m.group(1)], rest.split()[0])
            found.append(Stage(image))
        elif found:
            found[-1].lines.append(line)
    return found


def copied_sources(stage: Stage) -> list[str]:
    return [src for line in stage.lines if line.startswith("COPY ") and "--from=" not in line
            for src in line.split()[1:-1]]


def ignored(path: str) -> bool:
    """Docker's reading of .dockerignore for the paths we copy: the last matching line wins."""
    verdict = False
    for pattern in (PROJECT_ROOT / ".dockerignore").read_text().splitlines():
        if not pattern or pattern.startswith("#"):
            continue
        keep = pattern.startswith("!")
        pattern = pattern.lstrip("!").rstrip("/")
        parts = Path(path.rstrip("/")).parts
        if any(fnmatch.fnmatch("/".join(parts[:n]), pattern) for n in range(1, len(parts) + 1)):
            verdict = not keep
    return verdict


def pins(lock: str) -> dict[str, str]:
    lines = (PROJECT_ROOT / "requirements" / lock).read_text().splitlines()
    return {normal(n): v for n, _, v in (line.partition("==") for line in lines
                                         if "==" in line and not line.startswith("#"))}


def normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name.split("[")[0]).lower().strip()


IMAGES = {"Dockerfile.app": ("3.11", "runtime.lock"), "Dockerfile.rasa": ("3.10", "rasa.lock")}


@pytest.mark.parametrize(("name", "python", "lock"), [(n, *v) for n, v in IMAGES.items()])
def test_image_is_pinned_non_root_and_installs_only_its_lock(name: str, python: str,
                                                             lock: str) -> None:
    built = stages(DEPLOY / name)
    assert len(built) >= 2, "multi-stage: the build tools stay out of the final image"
    for stage in built:
        assert PINNED.search(stage.base), f"{stage.base} is not an exact tag or a digest"
        assert stage.base.startswith(f"python:{python}."), stage.base
    final = built[-1]
    users = [line.split()[1] for line in final.lines if line.startswith("USER ")]
    assert users and users[-1].split(":")[0] not in ("root", "0"), users
    installs = " ".join(line for s in built for line in s.lines if line.startswith("RUN "))
    assert f"uv pip sync --python /opt/venv/bin/python /tmp/{lock}" in installs
    assert re.findall(r"pip install (\S+)", installs) == ["uv==0.13.9"]
    assert f"requirements/{lock}" in copied_sources(built[0])


@pytest.mark.parametrize("name", IMAGES)
def test_everything_an_image_copies_is_in_the_build_context(name: str) -> None:
    for stage in stages(DEPLOY / name):
        for source in copied_sources(stage):
            assert (PROJECT_ROOT / source).exists(), source
            assert not ignored(source), f"{source} is excluded by .dockerignore"
    assert ignored(".venv-rasa") and ignored(".env") and ignored("assistant/__pycache__")


def test_app_image_holds_every_package_and_rasa_image_every_pipeline_component() -> None:
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())
    packages = {p.rstrip("*") for p in project["tool"]["setuptools"]["packages"]["find"]["include"]}
    app = {s.rstrip("/") for s in copied_sources(stages(DEPLOY / "Dockerfile.app")[-1])}
    assert packages <= app
    config = yaml.safe_load((PROJECT_ROOT / "config.yml").read_text())
    custom = {c["name"].split(".")[0] for c in config["pipeline"] + config["policies"]
              if "." in c["name"]}
    rasa = {s.rstrip("/") for s in copied_sources(stages(DEPLOY / "Dockerfile.rasa")[-1])}
    assert custom | {"rasa_addons", "config.yml", "domain.yml", "models"} <= rasa


def test_runtime_lock_is_dev_lock_without_the_tools() -> None:
    runtime, dev = pins("runtime.lock"), pins("dev.lock")
    assert {n: v for n, v in runtime.items() if dev.get(n) != v} == {}, "differs from dev.lock"
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]
    needed = {normal(re.split(r"[<>=!~;\s]", d)[0]) for d in project["dependencies"]}
    assert needed - set(runtime) == set(), "make lock refreshes runtime.lock too"
    assert {"pytest", "playwright", "mypy"} & set(runtime) == set()


def test_rasa_entrypoint_is_valid_sh_and_passes_the_token_as_one_argument() -> None:
    script = DEPLOY / "rasa" / "entrypoint.sh"
    subprocess.run(["sh", "-n", str(script)], check=True, timeout=30)
    assert script.stat().st_mode & 0o111
    assert '"--auth-token=${RASA_TOKEN}"' in script.read_text()
