"""Pages of quality objectives: the list, the objectives of a year (a revision) with its
workflow, an objective with its plan and measurements, the evaluation report and the
overseer's overview."""
