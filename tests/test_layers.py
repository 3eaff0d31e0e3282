"""The architecture holds: conversations, insights and storage never import a platform."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PLATFORM_FREE = ("conversations", "insights", "storage", "locales")


@pytest.mark.parametrize("package", PLATFORM_FREE)
def test_no_platform_imports(package: str) -> None:
    for path in (ROOT / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names.append(node.module)
            for name in names:
                assert name.split(".")[0] not in ("telegram", "bot"), f"{path}: imports {name}"
