"""The web UI's templates and static files ship with the package (so `pip install .`, as the Dockerfile does,
serves the pages) and nothing keeps them out of the image."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "services" / "web"


def _package_data(package: str) -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns: list[str] = config["tool"]["setuptools"]["package-data"][package]
    return patterns


def test_every_template_and_static_file_is_package_data() -> None:
    shipped = {path for pattern in _package_data("services") for path in (ROOT / "services").glob(pattern)}
    needed = {
        path
        for path in WEB.rglob("*")
        if path.is_file() and path.suffix not in {".py", ".pyc"} and "__pycache__" not in path.parts
    }
    assert {p.relative_to(WEB).parts[0] for p in needed} == {"templates", "static"}
    assert needed - shipped == set(), sorted(str(p.relative_to(ROOT)) for p in needed - shipped)


def test_web_files_are_not_dockerignored() -> None:
    ignored = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    for path in WEB.rglob("*"):
        relative = str(path.relative_to(ROOT))
        if "__pycache__" in relative:
            continue
        hits = [p for p in ignored if not p.startswith("!") and fnmatch.fnmatch(relative, p.lstrip("/") + "*")]
        assert not hits, (relative, hits)


def test_jinja2_is_a_runtime_dependency() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert any(dep.lower().startswith("jinja2") for dep in config["project"]["dependencies"])
