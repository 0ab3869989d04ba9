"""The import-linter contract (pyproject.toml) names every app, so a new app cannot sit outside
the layers unnoticed; `make test` runs lint-imports itself."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_app_has_a_layer():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    (contract,) = config["contracts"]
    layered = {app.strip() for layer in contract["layers"] for app in layer.split("|")}
    package = ROOT / "src/sitrep"
    apps = {p.parent.name for p in package.glob("*/__init__.py")} | {"cli"}
    assert layered == apps
