"""Sphinx configuration for the skweightimp documentation.

Build with::

    python -m sphinx -W --keep-going -b html docs docs/_build/html
"""

import os
import sys

# Document the working tree even when the package is not installed in editable mode.
sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..")))
# gallery_order.py, the gallery's sort key, lives next to this file.
sys.path.insert(0, os.path.abspath(os.path.dirname(__file__)))

# Gallery examples import Keras themselves; start TensorFlow quiet and deterministic, as
# importing skweightimp first would.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
os.environ.setdefault("MPLBACKEND", "Agg")

import skweightimp  # noqa: E402

# -- Project information -----------------------------------------------------

project = "skweightimp"
author = "skweightimp developers"
copyright = "skweightimp developers"
version = skweightimp.__version__
release = skweightimp.__version__

# -- General configuration ---------------------------------------------------

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
    # Copies MathJax into _static: the site is read from disk, often without a network.
    "sphinx-mathjax-offline",
]

# The example gallery: every examples/plot_*.py runs at build time, and an example that
# fails fails the build (CI builds with -W).
sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    "within_subsection_order": "gallery_order.GalleryOrder",
    "abort_on_example_error": True,
    "download_all_examples": False,
    "remove_config_comments": True,
    # jshtml: frames embedded in the page, no ffmpeg needed.
    "matplotlib_animations": (True, "jshtml"),
    "show_memory": False,
    # Examples end cells with a Display call; its object repr says nothing to a reader.
    "capture_repr": (),
}

templates_path = ["_templates"]
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]
root_doc = "index"

# autosummary writes one page per documented object into api's generated/ folder.
autosummary_generate = True

# Class docstrings hold the parameters (numpydoc); do not repeat __init__'s.
autoclass_content = "class"
autodoc_typehints = "none"
# An override without a docstring must not borrow its base's: Keras' docstrings are
# Google style, which numpydoc cannot parse.
autodoc_inherit_docstrings = False

# numpydoc: methods are listed by the autosummary class template, not by numpydoc.
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False

# No intersphinx: the build must not touch the network. References to other projects
# (scikit-learn, pandas, NumPy, ...) therefore render as unlinked names; every reference
# to skweightimp itself must resolve, or -W fails the build.
nitpicky = True
nitpick_ignore_regex = [
    (
        r"py:.*",
        r"(builtins|collections|dask|IPython|joblib|keras|matplotlib|numpy|os|pandas|"
        r"pathlib|scikeras|scipy|sklearn|tensorflow|typing)(\..*)?",
    ),
]


def _own_properties():
    """The properties each public class of the package defines (or gets from our bases).

    numpydoc links an ``Attributes`` entry that is a property to the property's own
    entry; the class template documents these so that the links resolve. The template
    looks a class up by the name it is documented under: ``skweightimp.<package>.<name>``
    (its public package, whose ``__all__`` lists it) or ``skweightimp.<name>`` (a
    top-level export); the class's ``__module__`` is a private module of the package.
    """
    import importlib
    import inspect
    import pkgutil

    properties = {}
    for info in pkgutil.iter_modules(skweightimp.__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"skweightimp.{info.name}")
        for name in getattr(module, "__all__", []):
            cls = getattr(module, name)
            if not inspect.isclass(cls) or not cls.__module__.startswith("skweightimp"):
                continue
            own = sorted(
                {
                    attr
                    for klass in cls.__mro__
                    if klass.__module__.startswith("skweightimp")
                    for attr, value in vars(klass).items()
                    if isinstance(value, property) and not attr.startswith("_")
                }
            )
            properties[f"{module.__name__}.{name}"] = own
            if name in skweightimp.__all__:
                properties[f"skweightimp.{name}"] = own
    return properties


autosummary_context = {"own_properties": _own_properties()}

# -- HTML output -------------------------------------------------------------

# alabaster ships with Sphinx, so the docs extra stays light.
html_theme = "alabaster"
html_theme_options = {
    "description": "Feature importance read from a neural network's own training",
    "fixed_sidebar": True,
}
html_title = f"skweightimp {release}"
html_static_path = []

# -- Links to scikit-learn's user guide, without intersphinx -------------------

# Methods inherited from scikit-learn (score, set_*_request, ...) keep their docstrings,
# which refer to labels of scikit-learn's own user guide. Intersphinx would resolve them
# but needs the network, so the few labels they use are mapped to fixed addresses here.
SKLEARN_DOCS = "https://scikit-learn.org/stable/"
SKLEARN_LABELS = {
    ("ref", "r2_score"): "modules/model_evaluation.html#r2-score",
    ("ref", "accuracy_score"): "modules/model_evaluation.html#accuracy-score",
    ("ref", "metadata_routing"): "metadata_routing.html",
    ("term", "meta-estimator"): "glossary.html#term-meta-estimator",
}


def _resolve_sklearn_label(app, env, node, contnode):
    from docutils import nodes

    if node.get("refdomain") != "std":
        return None
    path = SKLEARN_LABELS.get((node.get("reftype"), node.get("reftarget")))
    if path is None:
        return None
    reference = nodes.reference("", "", internal=False, refuri=SKLEARN_DOCS + path)
    reference += contnode
    return reference


def setup(app):
    app.connect("missing-reference", _resolve_sklearn_label)
