"""The README's walk through: every picture it shows exists, and every picture the browser test takes is shown."""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_guide_picture_is_in_the_readme_and_exists():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = set(re.findall(r"\]\((docs/guide/[^)]+\.png)\)", readme))
    taken = {f"docs/guide/{name}.png" for name in re.findall(
        r'step\(\w+, "([a-z0-9-]+)"', (ROOT / "tests" / "e2e" / "test_guide.py").read_text(encoding="utf-8"))}

    assert shown == taken and len(taken) >= 10
    assert all((ROOT / path).is_file() for path in shown)
