"""What the demo's tests share: the sample of agencies whose own records the test build makes
(conftest.py), and how to read one step's report."""

from __future__ import annotations

from eiso.demo import data
from eiso.demo.steps import DemoResult

# The agencies (beyond the personas') whose own records the test build makes: seed_demo --quick.
SAMPLE = data.QUICK_AGENCIES


def report(demo: DemoResult, step: str):
    """The report of one step of the build."""
    return next(run.report for run in demo.runs if run.name == step)
