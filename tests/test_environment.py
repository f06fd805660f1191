"""environment.yml (conda route) and pyproject.toml list the same packages with the same lower bounds."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _split(requirement: str) -> tuple[str, str]:
    name, bound = re.match(r"([A-Za-z0-9_.\-]+)\s*(>=\s*[\d.]+)?", requirement).groups()
    return name.lower().replace("_", "-"), (bound or "").replace(" ", "")


def test_conda_environment_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = dict(_split(r) for r in project["dependencies"] + project["optional-dependencies"]["test"])
    listed = {}
    text = (ROOT / "environment.yml").read_text(encoding="utf-8")
    for line in text.split("dependencies:", 1)[1].splitlines():
        item = line.strip()
        if item.startswith("- ") and not item.startswith(("- pip", "- -e", "- python>=", "- python ")):
            name, bound = _split(item[2:])
            listed[name] = bound
    assert listed == wanted
    assert "python>=3.11" in (ROOT / "environment.yml").read_text(encoding="utf-8")
    assert project["requires-python"] == ">=3.11"
