"""House rules read from the package's source: one home per formula, public names only.

* Each shared formula is written once, in :mod:`skweightimp.utils._math`: the normal density,
  the descending rank where ties share the best rank, and the default feature names
  ``x0, x1, ...``. A second copy elsewhere fails here.
* No module of the package uses another module's underscore names: neither imports them
  (``from .importance import _helper``) nor reaches them through a module
  (``_plot_utils._helper``) nor calls a private method of the package's classes on
  another object (``estimator._helper()``). Private *modules* may be imported (as
  scikit-learn's ``utils/_plotting.py``), but what others use from them has a public
  name. Tests are exempt.

Every file under ``skweightimp/`` is scanned, subpackages included.
"""

import ast
import io
import pathlib
import re
import tokenize

import pytest

PACKAGE = pathlib.Path(__file__).resolve().parents[1] / "skweightimp"
MATH = PACKAGE / "utils" / "_math.py"


def sources():
    files = sorted(PACKAGE.rglob("*.py"))
    assert MATH in files and len(files) > 10
    return {path: path.read_text(encoding="utf-8") for path in files}


def code_without_strings(source):
    """The source with every string literal (docstrings included) and comment blanked."""
    out = []
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type in (tokenize.STRING, tokenize.COMMENT):
            out.append('""')
        else:
            out.append(token.string)
    return " ".join(out)


def relative(path):
    return path.relative_to(PACKAGE.parent).as_posix()


def count(pattern, only_code=True):
    """``{file: number of matches}`` of ``pattern`` over the package, files with any."""
    found = {}
    for path, source in sources().items():
        text = code_without_strings(source) if only_code else source
        n = len(re.findall(pattern, text))
        if n:
            found[relative(path)] = n
    return found


def test_the_normal_density_comes_from_scipy():
    # scipy.stats.norm.pdf, not a hand-written exp(-z^2 / 2) / sqrt(2 pi) sigma.
    assert count(r"np\s*\.\s*exp\s*\(\s*-\s*0\.5") == {}
    assert count(r"\bnp\s*\.\s*pi\b") == {}


def test_descending_rank_is_written_once():
    # One ranking convention (largest first, ties share the best rank), computed by
    # scipy.stats.rankdata in utils/_math.rank_descending: no pandas .rank(...) and no
    # other rankdata call. The noise test's pooled p-values count the null draws at or
    # beyond a statistic with searchsorted: an empirical tail count, not a rank.
    assert count(r"\.\s*rank\s*\(") == {}
    assert count(r"\brankdata\s*\(") == {"skweightimp/utils/_math.py": 1}
    assert count(r"\bside\s*=(?!=)") == {"skweightimp/inspection/_pvalues.py": 2}


def default_name_fstrings(source):
    """f-strings of the form ``f"x{...}"``: a default feature name."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.JoinedStr) and len(node.values) == 2:
            head, value = node.values
            if (
                isinstance(head, ast.Constant)
                and head.value == "x"
                and isinstance(value, ast.FormattedValue)
            ):
                found.append(node.lineno)
    return found


def test_default_feature_names_are_written_once():
    found = {
        relative(path): lines
        for path, source in sources().items()
        if (lines := default_name_fstrings(source))
    }
    home = "skweightimp/utils/_names.py"
    assert list(found) == [home] and len(found[home]) == 1


def test_the_grep_helpers_see_what_they_look_for():
    # Guards the checks above against passing vacuously.
    code = 'def f(s):\n    """np.exp(-0.5 in a docstring"""\n    return np.exp(-0.5 * s)  # np.pi\n'
    assert len(re.findall(r"np\s*\.\s*exp", code_without_strings(code))) == 1
    assert "np.pi" not in code_without_strings(code)
    assert default_name_fstrings('n = [f"x{i}" for i in range(3)]\nm = f"x{i}{j}"') == [1]


def private(name):
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def package_modules():
    """Dotted names (relative to the package) of every module and subpackage."""
    names = set()
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if parts:
            names.add(".".join(parts))
    return names


def private_methods_of_package_classes(trees):
    names = set()
    for tree in trees.values():
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                for item in node.body:
                    if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and private(
                        item.name
                    ):
                        names.add(item.name)
    return names


def cross_module_private_uses(path, tree, modules, private_methods):
    """``[(line, name)]`` of the underscore names ``path`` takes from other modules."""
    package_parts = path.relative_to(PACKAGE).parent.parts
    uses, module_aliases = [], set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package_parts[: len(package_parts) - (node.level - 1)]
                target = ".".join([*base, *([node.module] if node.module else [])])
            elif (node.module or "").split(".")[0] == "skweightimp":
                target = node.module.partition(".")[2]
            else:
                continue
            for alias in node.names:
                full = f"{target}.{alias.name}" if target else alias.name
                if full in modules:  # a (private) module: allowed, its names are checked
                    module_aliases.add(alias.asname or alias.name)
                elif private(alias.name):
                    uses.append((node.lineno, alias.name))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "skweightimp" and alias.asname:
                    module_aliases.add(alias.asname)
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Attribute) and private(node.attr)):
            continue
        owner = node.value
        if isinstance(owner, ast.Name) and owner.id in module_aliases:
            uses.append((node.lineno, node.attr))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in private_methods
            # self._x(), cls._x(), and Base._x(self, ...) calling a third-party base class's
            # implementation of a hook the package overrides.
            and not (
                isinstance(node.func.value, ast.Name)
                and (node.func.value.id in ("self", "cls") or node.func.value.id[0].isupper())
            )
            and not (
                isinstance(node.func.value, ast.Call)
                and isinstance(node.func.value.func, ast.Name)
                and node.func.value.func.id == "super"
            )
        ):
            uses.append((node.lineno, node.func.attr))
    return uses


def test_no_module_uses_another_modules_underscore_names():
    trees = {path: ast.parse(source) for path, source in sources().items()}
    modules = package_modules()
    private_methods = private_methods_of_package_classes(trees)
    found = {}
    for path, tree in trees.items():
        for line, name in cross_module_private_uses(path, tree, modules, private_methods):
            found.setdefault(f"{relative(path)}: {name}", []).append(line)
    assert not found, (
        "modules use other modules' underscore names (give the helper a public name, in a "
        f"private module if it is not for users): {found}"
    )


@pytest.mark.parametrize(
    "code, expected",
    [
        ("from .importance import _check_history\n", ["_check_history"]),
        ("from ..importance import _x as y\n", ["_x"]),
        ("from skweightimp.plotting import _pyplot\n", ["_pyplot"]),
        ("from . import _plot_utils\n_plot_utils._hidden()\n", ["_hidden"]),
        ("from . import _plot_utils\n_plot_utils.public()\n", []),
        ("from ._math import rank_descending\n", []),
        ("from sklearn.utils._indexing import _safe_indexing\n", []),
        ("def f(est):\n    return est._fit_keras_model()\n", ["_fit_keras_model"]),
        ("class A:\n    def g(self):\n        return self._fit_keras_model()\n", []),
        ("class A(B):\n    def _fit_keras_model(self):\n        B._fit_keras_model(self)\n", []),
    ],
)
def test_the_private_name_check_sees_what_it_looks_for(code, expected):
    modules = {"importance", "plotting", "_plot_utils", "_math", "_report", "_report.report"}
    private_methods = {"_fit_keras_model"}
    path = PACKAGE / "_report" / "report.py" if code.startswith("from ..") else PACKAGE / "x.py"
    uses = cross_module_private_uses(path, ast.parse(code), modules, private_methods)
    assert [name for _, name in uses] == expected


def module_level_imports(path, tree, modules):
    """Package modules that ``path`` imports when it is imported (not inside functions)."""
    package_parts = path.relative_to(PACKAGE).parent.parts
    targets = set()
    for node in tree.body:
        if not isinstance(node, ast.ImportFrom):
            continue
        if node.level:
            base = package_parts[: len(package_parts) - (node.level - 1)]
            target = ".".join([*base, *([node.module] if node.module else [])])
        elif (node.module or "").split(".")[0] == "skweightimp":
            target = node.module.partition(".")[2]
        else:
            continue
        for alias in node.names:
            full = f"{target}.{alias.name}" if target else alias.name
            targets.add(full if full in modules else target)
    return targets & modules


def test_the_import_graph_has_no_loops():
    modules = package_modules()
    graph = {}
    for path, source in sources().items():
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        graph[name] = module_level_imports(path, ast.parse(source), modules)
    # The graph sees the imports it looks for: a public package imports its modules.
    assert graph["plotting"] >= {"plotting._bars", "plotting._distributions", "plotting._evolution"}
    # Depth-first search; a module met again on the current path closes a loop.
    state = {}

    def visit(module, path):
        state[module] = "open"
        for target in sorted(graph.get(module, ())):
            assert state.get(target) != "open", f"import loop: {' -> '.join([*path, target])}"
            if target not in state:
                visit(target, [*path, target])
        state[module] = "done"

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])


def test_benchmark_records_name_no_local_path():
    # A record names the versions and the commit it ran, never a folder of the machine
    # that ran it (bench/_machine.arguments replaces the paths in the arguments).
    static = PACKAGE.parent / "docs" / "_static"
    local = re.compile(r"(^|[\s'\"(=])/(tmp|home|root|work|check|Users|private|var)/")
    records = [*static.rglob("machine.txt"), *static.rglob("summary*.md")]
    assert records
    for path in records:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            assert not local.search(line), f"{path.relative_to(static)}:{number}: {line[:120]}"
