"""The ``skweightimp report`` application: command line, analysis, HTML page.

Private: not part of the library's API. The library (estimators, displays, inspection,
importance functions) is what users import; this package is the program built on it,
reached through the ``skweightimp`` command (:mod:`skweightimp._report.cli`) and
``python -m skweightimp``. Its modules, each with one job, data flowing one way:
``tabular`` reads and checks a CSV, ``report`` runs the analysis and describes it,
``report_html`` renders the page, ``output`` writes it, ``progress`` and ``interrupt``
serve long runs on a terminal.
"""
