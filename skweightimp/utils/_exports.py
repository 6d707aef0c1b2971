"""Public names shown where users import them.

A public package's ``__init__`` imports its names from private modules; :func:`publish`
sets each function's and class's ``__module__`` to the package, so that tracebacks,
reprs, pickles and the API reference name ``skweightimp.inspection.importance_significance``
rather than the private module that defines it (scikit-learn's displays and NumPy's
``set_module`` do the same).
"""

import inspect

__all__ = ["publish"]


def publish(namespace):
    """Give the functions and classes of ``namespace["__all__"]`` the package's name.

    Examples
    --------
    >>> from skweightimp.inspection import importance_significance
    >>> importance_significance.__module__
    'skweightimp.inspection'
    """
    package = namespace["__name__"]
    for name in namespace["__all__"]:
        value = namespace[name]
        if (inspect.isfunction(value) or inspect.isclass(value)) and value.__module__.startswith(
            package + "."
        ):
            value.__module__ = package
