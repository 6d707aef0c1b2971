"""pyproject.toml's backend extras admit the backends' current releases.

A user who already has the current jax or torch must not get a downgrade or a resolver
conflict from ``pip install "skweightimp[jax]"``; a future re-pin fails here first.
"""

import os

import pytest
from packaging.requirements import Requirement

tomllib = pytest.importorskip("tomllib")  # Python 3.11+

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# The releases CI installs (jax 0.10.2, a local CPU wheel of torch 2.13.0) and the current
# upstream ones (jax 0.12, torch 2.15, when issue 20 was filed).
ACCEPTED = {
    "jax": ["0.10.2", "0.12.0"],
    "torch": ["2.13.0", "2.13.0+cpu", "2.15.0", "2.15.0+cpu"],
}


def extra(name):
    with open(os.path.join(ROOT, "pyproject.toml"), "rb") as f:
        extras = tomllib.load(f)["project"]["optional-dependencies"]
    return {Requirement(line).name: Requirement(line) for line in extras[name]}


@pytest.mark.parametrize("package", sorted(ACCEPTED))
def test_backend_extra_admits_the_current_release(package):
    requirement = extra(package)[package]
    for version in ACCEPTED[package]:
        assert requirement.specifier.contains(version), (str(requirement), version)
