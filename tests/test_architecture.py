"""The shape of the code, checked from its imports (see docs/architecture.md).

- Domains depend downwards only: import-linter's layers contract in pyproject.toml; and no import circle
  between siblings anywhere (its acyclic_siblings contract).
- Every top-level module of ``forum_app`` has its place in that contract, so a new one cannot slip by.
- No domain imports another domain's pages (``views``, ``admin``): they are entry points, not libraries.
- Another domain's tables are read through its ``queries``: outside its own package, a domain's ``models`` are
  imported only by a ``queries.py`` (a join of its own rows with them) or by the short list below.
- An import inside a function says why, on its line or the line above.
"""

from __future__ import annotations

import ast
import fnmatch
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "forum_app"
PAGE_MODULES = ("views", "admin")
DOMAINS = ("accounts", "planning", "registrations", "coreteam", "recommendations", "impact", "newsletter")

# (importer, another domain's models) allowed without going through a queries.py, each with its reason. A
# model named only in type hints is imported under ``if TYPE_CHECKING:`` and is not counted.
MODELS_ALLOWED = {
    ("forum_app", "forum_app.accounts.models"): "composition root: the login manager loads a User",
    ("forum_app.demo", "*"): "composition root: the demo's accounts",
    ("forum_app.*.demo", "*"): "demo data points at the rows other domains' demo made",
    ("forum_app.registrations*", "forum_app.planning.models"):
        "a registration is a place at a forum: read under the forum's lock, with its status and capacity",
    ("forum_app.recommendations.models", "forum_app.accounts.models"): "a recommendation names departments",
    ("forum_app.recommendations.workflow", "forum_app.accounts.models"):
        "who may move a recommendation depends on the user's role and department",
    ("forum_app.recommendations.services", "forum_app.accounts.models"):
        "departments are added on the recommendations' staff page; changes record their User",
    ("forum_app.recommendations.services", "forum_app.planning.models"):
        "publishing results moves the forum on (planning.services.move_forum takes a ForumStatus)",
    ("forum_app.coreteam", "forum_app.accounts.models"): "a core-team account's access ends with its term (Role)",
    ("forum_app.coreteam.services", "forum_app.accounts.models"): "a new member's account gets Role.CORETEAM",
}


def _contract() -> dict:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return next(c for c in config["tool"]["importlinter"]["contracts"] if c["id"] == "layers")


def test_domains_depend_downwards_only():
    result = subprocess.run([str(Path(sys.executable).parent / "lint-imports"), "--no-cache"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def test_no_circle_can_come_back():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    circles = [c for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "acyclic_siblings"]
    assert circles and circles[0]["ancestors"] == ["forum_app"]  # checked by test_domains_depend_downwards_only


def test_every_top_level_module_has_a_layer():
    named = {name.strip(" ()") for layer in _contract()["layers"] for name in re.split(r"[:|]", layer)}
    present = {f"forum_app.{p.stem if p.is_file() else p.name}" for p in PACKAGE.iterdir()
               if (p.suffix == ".py" and p.stem != "__init__") or (p / "__init__.py").exists()}
    assert present - named == set(), "add these to the layers in pyproject.toml"


def _domain(module: str) -> str:
    return module.split(".")[1] if module.count(".") else module


def test_no_domain_imports_another_domains_pages():
    graph = grimp.build_graph("forum_app")
    offending = []
    for module in graph.modules:
        parts = module.split(".")
        if len(parts) < 3 or parts[-1] not in PAGE_MODULES:
            continue
        for importer in graph.find_modules_that_directly_import(module):
            if importer != "forum_app" and _domain(importer) != _domain(module):
                offending.append(f"{importer} -> {module}")
    assert offending == []


def _allowed(importer: str, module: str, rule: tuple[str, str]) -> bool:
    return fnmatch.fnmatchcase(importer, rule[0]) and fnmatch.fnmatchcase(module, rule[1])


def test_other_domains_tables_are_read_through_their_queries():
    graph = grimp.build_graph("forum_app", exclude_type_checking_imports=True)
    models = [f"forum_app.{domain}.models" for domain in DOMAINS]
    found = {(importer, module) for module in models for importer in graph.find_modules_that_directly_import(module)
             if _domain(importer) != _domain(module) and not importer.endswith(".queries")}
    unlisted = sorted(pair for pair in found if not any(_allowed(*pair, rule) for rule in MODELS_ALLOWED))
    assert unlisted == [], "read through the owning domain's queries.py, or give a reason in MODELS_ALLOWED"
    unused = [rule for rule in MODELS_ALLOWED if not any(_allowed(*pair, rule) for pair in found)]
    assert unused == [], "no longer needed: remove from MODELS_ALLOWED"


def _inner_imports_without_reason(path: Path) -> list[str]:
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for inner in ast.walk(node):
            if isinstance(inner, (ast.Import, ast.ImportFrom)):
                module = inner.module or "" if isinstance(inner, ast.ImportFrom) else inner.names[0].name
                ours = isinstance(inner, ast.ImportFrom) and inner.level > 0 or module.startswith("forum_app")
                said = "#" in lines[inner.lineno - 1] or lines[inner.lineno - 2].strip().startswith("#")
                if ours and not said:
                    found.append(f"{path.relative_to(ROOT)}:{inner.lineno}")
    return found


def test_imports_inside_functions_say_why():
    found = [hit for path in sorted(PACKAGE.rglob("*.py")) for hit in _inner_imports_without_reason(path)]
    assert found == [], f"{len(found)} imports inside functions without a reason: {found[:20]}"


# Where a transaction begins and ends is a block (core/database.py: ``rule``, ``atomic``), never a call: a
# refused rule can then not leave half its changes saved, and no reader has to follow commits by hand.
TRANSACTION_CALLS = {"commit", "rollback"}


def _hand_written_transaction_calls(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [f"{path.name}:{node.lineno}" for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr in TRANSACTION_CALLS and ast.unparse(node.func.value) == "db.session"]


def test_services_commit_and_roll_back_only_through_blocks():
    services = sorted((ROOT / "forum_app").rglob("services.py")) + [ROOT / "forum_app" / "i18n" / "gaps.py",
                                                                    ROOT / "forum_app" / "privacy" / "registry.py"]
    assert len(services) >= 10
    assert [call for path in services for call in _hand_written_transaction_calls(path)] == []


def test_the_transaction_check_finds_a_commit_written_by_hand(tmp_path):
    sample = tmp_path / "services.py"
    sample.write_text("def save(db):\n    db.session.add(1)\n    with atomic():\n        pass\n"
                      "    db.session.rollback()\n", encoding="utf-8")
    assert _hand_written_transaction_calls(sample) == ["services.py:5"]
