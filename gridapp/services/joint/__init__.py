"""Joint enforcement: clustering, proposals, tasks and task orders."""
