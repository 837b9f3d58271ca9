"""The house rules of docs/architecture.md, checked on the code: layers, no import circles, no lazy imports."""

import ast
import re
from pathlib import Path

import pytest

from krem_advocacy import config

ROOT = Path(__file__).resolve().parents[1]

# Layers from the bottom up; a module may import its own layer and the ones below, never one above.
LAYERS = (
    ("foundation", ("krem_advocacy.text", "krem_advocacy.config", "krem_advocacy.site")),
    ("store", ("krem_advocacy.store",)),
    ("domain", ("krem_advocacy.domain",)),
    ("charts", ("krem_advocacy.charts",)),
    ("exchange", ("krem_advocacy.exchange",)),
    ("web", ("krem_advocacy.web",)),
    ("ui", ("krem_advocacy.ui",)),
    ("entry", ("krem_advocacy.cli", "krem_advocacy.__main__", "tools", "app", "pages", "serve")),
)
# Only the UI layer (and the entry points that start Streamlit) may import Streamlit.
STREAMLIT_LAYERS = {"ui", "entry"}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _sources() -> dict[str, Path]:
    files = [*(ROOT / "krem_advocacy").rglob("*.py"), *(ROOT / "tools").rglob("*.py"), *(ROOT / "pages").glob("*.py"),
             ROOT / "app.py", ROOT / "serve.py"]
    return {_module_name(p): p for p in files if "__pycache__" not in p.parts}


def layer_of(module: str) -> int | None:
    if module == "krem_advocacy":  # the package's face: its version, nothing else
        return 0
    for rank, (_, prefixes) in enumerate(LAYERS):
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return rank
    return None


def _imports(module: str, path: Path) -> list[tuple[str, int, bool]]:
    """(imported module, line, at module level) for every import of the app's own modules."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top_level = {id(node) for node in tree.body}
    # Imports inside `if TYPE_CHECKING:` or try/except at module level still count as module level.
    for node in tree.body:
        if isinstance(node, (ast.If, ast.Try)):
            top_level.update(id(n) for n in ast.walk(node))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    known = _sources()
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            names = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names]
        for name in names:
            if layer_of(name) is not None or name in known:
                found.append((name, node.lineno, id(node) in top_level))
    return found


def _graph() -> dict[str, set[str]]:
    sources = _sources()
    graph = {}
    for module, path in sources.items():
        targets = set()
        for name, _, _ in _imports(module, path):
            # `from krem_advocacy.domain import hoeringer` names the module; a name inside a module counts as it.
            while name not in sources and "." in name:
                name = name.rpartition(".")[0]
            if name in sources and name != module and not module.startswith(name + "."):
                targets.add(name)
        graph[module] = targets
    return graph


def test_every_module_belongs_to_a_layer():
    assert [m for m in _sources() if layer_of(m) is None] == []


def test_no_import_runs_from_a_lower_layer_to_a_higher_one():
    upward = []
    for module, targets in _graph().items():
        for target in targets:
            if layer_of(target) > layer_of(module):
                upward.append(f"{module} ({LAYERS[layer_of(module)][0]}) imports {target} "
                              f"({LAYERS[layer_of(target)][0]})")
    assert upward == []


def test_the_import_graph_has_no_circle():
    graph = _graph()
    circles, state = [], {}

    def visit(node, trail):
        state[node] = "open"
        for target in sorted(graph.get(node, ())):
            if state.get(target) == "open":
                circles.append(" -> ".join(trail[trail.index(target):] + [target]))
            elif target not in state:
                visit(target, trail + [target])
        state[node] = "done"

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert circles == []


def test_no_lazy_import_of_the_apps_own_modules():
    # An import inside a function hides a dependency from readers and tools; it was only ever used to
    # break a circle, and there are none.
    lazy = [f"{path.relative_to(ROOT)}:{line} imports {name}"
            for module, path in _sources().items() for name, line, top in _imports(module, path) if not top]
    assert lazy == []


@pytest.mark.parametrize("module", sorted(_sources()))
def test_streamlit_only_in_the_ui_layer(module):
    path = _sources()[module]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    uses = any(isinstance(n, ast.Import) and any(a.name.split(".")[0] == "streamlit" for a in n.names)
               or isinstance(n, ast.ImportFrom) and (n.module or "").split(".")[0] == "streamlit"
               for n in ast.walk(tree))
    if uses:
        assert LAYERS[layer_of(module)][0] in STREAMLIT_LAYERS, f"{module} imports streamlit"


def test_every_setting_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert [s.name for s in config.SETTINGS if f"`{s.name}`" not in readme] == []


def test_only_config_reads_the_environment():
    readers = [str(p.relative_to(ROOT)) for p in (ROOT / "krem_advocacy").rglob("*.py")
               if "os.environ" in p.read_text(encoding="utf-8") and p.name != "config.py"]
    assert readers == []


def test_paths_named_in_the_docs_exist():
    missing = []
    for doc in [ROOT / "README.md", *(ROOT / "docs").glob("*.md")]:
        for path in re.findall(r"`((?:krem_advocacy|tools|pages|tests|deploy|scripts)/[\w./-]+)`", doc.read_text()):
            if not (ROOT / path).exists():
                missing.append(f"{doc.name}: {path}")
    assert missing == []
