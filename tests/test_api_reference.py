"""The API reference (docs/api.rst) lists every public name, each with a runnable example.

The rule, enforced here so that a new public function cannot slip in undocumented:

* every public function, class and UPPERCASE constant that a public module of the
  package defines appears in docs/api.rst: functions and classes in an ``autosummary``
  under the right ``currentmodule`` (or under ``skweightimp`` for a top-level export),
  constants by name in the text (``NAME``);
* every top-level export of :mod:`skweightimp` (its lazy ``__all__``) is listed, under
  ``.. currentmodule:: skweightimp`` or under the module that defines it;
* every function and class listed in an ``autosummary`` has a numpydoc ``Examples``
  section with at least one ``>>>`` line. Those examples run as doctests in the default
  test run (``--doctest-modules`` over the package, see setup.cfg);
* every public method, classmethod, staticmethod and property that the package itself
  defines on a listed class (in the class body, or in the body of one of the package's
  own base classes, e.g. the estimators' private base; not what scikit-learn, scikeras,
  Keras or ``object`` provide) is exercised by a doctest: ``.name`` occurs in a ``>>>``
  or ``...`` line of its own docstring or of the listed class's docstring (so one class
  example that drives several methods, such as a Keras callback's hooks, covers them).

A public module is ``skweightimp/<name>.py`` whose name does not start with ``_``; a
public name is one that does not start with ``_``.
"""

import ast
import importlib
import inspect
import os
import pkgutil
import re

import pytest

import skweightimp

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
API_RST = os.path.join(ROOT, "docs", "api.rst")
CONSTANT = re.compile(r"[A-Z][A-Z0-9_]*")


def public_modules():
    return sorted(
        f"skweightimp.{info.name}"
        for info in pkgutil.iter_modules(skweightimp.__path__)
        if not info.name.startswith("_")
    )


def read_api_rst():
    with open(API_RST, encoding="utf-8") as handle:
        return handle.read()


def autosummary_entries(text):
    """Fully qualified names listed by the ``autosummary`` directives of ``text``.

    Follows ``.. module::`` and ``.. currentmodule::``; an entry may also be written in full
    (``skweightimp.module.name``) or with a leading ``~``.
    """
    entries = []
    module = None
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        match = re.match(r"\.\. (?:current)?module::\s*(\S+)", line.strip())
        if match:
            module = match.group(1)
        if line.strip() == ".. autosummary::":
            i += 1
            # the directive's options, then its indented body up to the first dedent
            while i < len(lines) and (not lines[i].strip() or lines[i].startswith((" ", "\t"))):
                item = lines[i].strip()
                if item and not item.startswith(":"):
                    name = item.lstrip("~")
                    if module and not name.startswith("skweightimp."):
                        name = f"{module}.{name}"
                    entries.append(name)
                i += 1
            continue
        i += 1
    return entries


def resolve(qualified):
    """The object named ``package.module.name`` (or ``package.name``)."""
    module_name, _, name = qualified.rpartition(".")
    return getattr(importlib.import_module(module_name), name)


def defined_public_names(module_name):
    """Public functions, classes and UPPERCASE constants defined (not imported) in a module.

    Functions and classes are those whose ``__module__`` is the module; constants are the
    UPPERCASE names a top-level assignment of the module's source binds.
    """
    module = importlib.import_module(module_name)
    # A public package (scikit-learn's pattern) defines its names in private modules of
    # its own and lists them in __init__; a plain module defines them itself.
    home = (module_name + ".") if hasattr(module, "__path__") else None
    callables = sorted(
        name
        for name, value in vars(module).items()
        if not name.startswith("_")
        and (inspect.isfunction(value) or inspect.isclass(value))
        and (
            value.__module__ == module_name
            or (home is not None and value.__module__.startswith(home))
        )
    )
    tree = ast.parse(inspect.getsource(module))
    constants = set()
    for node in tree.body:
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AnnAssign):
            targets = [node.target]
        for target in targets:
            for leaf in ast.walk(target):
                if isinstance(leaf, ast.Name) and CONSTANT.fullmatch(leaf.id):
                    constants.add(leaf.id)
    return callables, sorted(constants)


def examples_section(doc):
    """The text of the numpydoc ``Examples`` section of ``doc`` ('' if it has none)."""
    lines = (doc or "").splitlines()
    header = re.compile(r"^\s*-{3,}\s*$")
    for k in range(len(lines) - 1):
        if lines[k].strip() == "Examples" and header.match(lines[k + 1]):
            body = []
            for j in range(k + 2, len(lines)):
                # the next section: a title line underlined with dashes
                if j + 1 < len(lines) and lines[j].strip() and header.match(lines[j + 1]):
                    break
                body.append(lines[j])
            return "\n".join(body)
    return ""


API_TEXT = read_api_rst()
ENTRIES = autosummary_entries(API_TEXT)


def listed(module_name, name):
    """Whether docs/api.rst lists ``name`` of ``module_name``: under its module, or under
    ``skweightimp`` when the package exports it at the top level."""
    return f"{module_name}.{name}" in ENTRIES or (
        skweightimp._LAZY.get(name) == module_name and f"skweightimp.{name}" in ENTRIES
    )


def test_the_api_page_is_parsed():
    # Guards the parser: if it found nothing, every check below would pass vacuously.
    assert "skweightimp.WeightTrajectoryRegressor" in ENTRIES
    assert "skweightimp.importance.weight_std" in ENTRIES
    assert "skweightimp.inspection.compare_importances" in ENTRIES
    assert len(ENTRIES) > 25  # the library only: the report application is private
    assert "skweightimp.inspection" in public_modules()
    # The report application is private: its plumbing is not API (docs/report.rst).
    assert "skweightimp._report" not in public_modules()
    assert not any(name.startswith("skweightimp._report") for name in ENTRIES)
    assert "skweightimp.utils._backend" not in public_modules()
    assert "skweightimp.__main__" not in public_modules()


def test_autosummary_entries_exist_and_are_listed_once():
    missing = []
    for name in ENTRIES:
        try:
            resolve(name)
        except (ImportError, AttributeError):
            missing.append(name)
    assert not missing, f"docs/api.rst lists names that do not exist: {missing}"
    duplicates = sorted({name for name in ENTRIES if ENTRIES.count(name) > 1})
    assert not duplicates, f"docs/api.rst lists these more than once: {duplicates}"


@pytest.mark.parametrize("module_name", public_modules())
def test_every_public_name_is_in_the_api_reference(module_name):
    callables, constants = defined_public_names(module_name)
    problems = []
    missing = [name for name in callables if not listed(module_name, name)]
    if missing:
        problems.append(
            f"public functions/classes of {module_name} missing from the autosummary lists "
            f"of docs/api.rst (under '.. currentmodule:: {module_name}'): {missing}"
        )
    unmentioned = [name for name in constants if f"``{name}``" not in API_TEXT]
    if unmentioned:
        problems.append(
            f"public constants of {module_name} not mentioned in docs/api.rst as "
            f"``NAME``: {unmentioned}"
        )
    assert not problems, "\n".join([*problems, "(or make them private with a leading underscore)"])


@pytest.mark.parametrize("module_name", public_modules())
def test_all_lists_exactly_the_public_names(module_name):
    # ``from module import *`` and the documentation must agree on what is public.
    callables, constants = defined_public_names(module_name)
    exported = getattr(importlib.import_module(module_name), "__all__", None)
    assert exported is not None, f"{module_name} has no __all__"
    assert sorted(exported) == sorted([*callables, *constants]), (
        f"{module_name}.__all__ differs from the public names it defines: "
        f"missing {sorted((set(callables) | set(constants)) - set(exported))}, "
        f"extra {sorted(set(exported) - set(callables) - set(constants))}"
    )


def test_top_level_exports_are_in_the_api_reference():
    exports = sorted({*skweightimp._LAZY, *skweightimp.__all__} - {"__version__"})
    assert exports
    # Each is the object its defining module holds, so the page of either name
    # documents it.
    for name in exports:
        home = importlib.import_module(skweightimp._LAZY[name])
        assert getattr(skweightimp, name) is getattr(home, name), name
    missing = [name for name in exports if not listed(skweightimp._LAZY[name], name)]
    assert not missing, (
        "top-level exports of skweightimp missing from docs/api.rst (list them under "
        f"'.. currentmodule:: skweightimp' or under their module): {missing}"
    )


def test_every_listed_name_has_a_runnable_example():
    without = []
    for name in ENTRIES:
        obj = resolve(name)
        if not (inspect.isfunction(obj) or inspect.isclass(obj)):
            continue
        section = examples_section(inspect.getdoc(obj))
        if not any(line.lstrip().startswith(">>>") for line in section.splitlines()):
            without.append(name)
    assert not without, (
        "these names in docs/api.rst have no numpydoc 'Examples' section with a '>>>' "
        f"line in their docstring: {without}"
    )


def doctest_source(doc):
    """The code of the doctest lines (``>>>`` and ``...``) of ``doc``, prompts removed."""
    lines = []
    for line in (doc or "").splitlines():
        stripped = line.lstrip()
        if stripped.startswith((">>>", "...")):
            lines.append(stripped[3:])
    return "\n".join(lines)


def own_public_members(cls):
    """``{name: function}`` of the public methods, classmethods, staticmethods and
    properties that the package defines on ``cls``.

    Walks the method resolution order and keeps the members found in the ``__dict__`` of
    the package's own classes (``cls`` and its private bases); a name that a third-party
    base class (scikit-learn, scikeras, Keras) defines first is left out, and so are
    dunder/private names and other descriptors (e.g. scikit-learn's generated
    ``set_*_request``, dataclass field defaults).
    """
    members = {}
    for klass in cls.__mro__:
        if not klass.__module__.startswith("skweightimp."):
            # A third-party class shadows the same name further down the MRO.
            for name in vars(klass):
                members.setdefault(name, None)
            continue
        for name, value in vars(klass).items():
            if name.startswith("_") or name in members:
                continue
            if isinstance(value, (classmethod, staticmethod)):
                function = value.__func__
            elif isinstance(value, property):
                function = value.fget
            elif inspect.isfunction(value):
                function = value
            else:
                continue
            members[name] = function
    return {name: function for name, function in members.items() if function is not None}


def listed_classes():
    return [name for name in ENTRIES if inspect.isclass(resolve(name))]


def test_own_public_members_are_found():
    # Guards the collector: the estimators' own overrides and their private base's
    # methods are in, scikit-learn's and scikeras' are out.
    members = own_public_members(skweightimp.WeightTrajectoryRegressor)
    assert {"fit", "predict", "partial_fit", "scorer", "target_encoder"} <= set(members)
    assert {"feature_importances_", "importance_report_"} <= set(members)
    assert not {"score", "get_params", "set_fit_request", "initialize"} & set(members)
    recorder = own_public_members(resolve("skweightimp.callbacks.WeightRecorder"))
    assert {"on_epoch_end", "history", "moments"} <= set(recorder)
    assert "on_batch_end" not in recorder  # Keras' own hook, not overridden
    assert own_public_members(resolve("skweightimp._report.report_html.Table")) == {}


@pytest.mark.parametrize("class_name", listed_classes())
def test_every_public_method_has_a_doctest(class_name):
    cls = resolve(class_name)
    class_code = doctest_source(inspect.getdoc(cls))
    missing = []
    for name, function in own_public_members(cls).items():
        used = re.compile(rf"\.{re.escape(name)}\b")
        if not (used.search(class_code) or used.search(doctest_source(inspect.getdoc(function)))):
            missing.append(f"{class_name}.{name}")
    assert not missing, (
        "these public methods/properties are not exercised by any doctest: write an "
        "Examples section in their own docstring that uses them (``obj.name``), or use "
        f"them in the Examples of the class docstring: {missing}"
    )


def test_doctest_source():
    doc = inspect.cleandoc(
        """Summary mentions .plot without running it.

        Examples
        --------
        >>> display = Display.from_history(H)
        >>> for epoch in range(2):
        ...     recorder.on_epoch_end(epoch)
        .plot in expected output does not count
        """
    )
    code = doctest_source(doc)
    assert ".from_history(" in code and ".on_epoch_end(" in code
    assert ".plot" not in code


def test_examples_section_parser():
    doc = inspect.cleandoc(
        """Summary.

        Parameters
        ----------
        x : int

        Examples
        --------
        >>> 1 + 1
        2

        Notes
        -----
        >>> not an example
        """
    )
    assert examples_section(doc).strip() == ">>> 1 + 1\n2"
    assert examples_section("Summary.\n\nExamples\n>>> 1") == ""
    assert examples_section(None) == ""
