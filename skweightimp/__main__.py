"""``python -m skweightimp``: see :mod:`skweightimp._report.cli`."""

import sys

from ._report.cli import main

if __name__ == "__main__":
    sys.exit(main())
