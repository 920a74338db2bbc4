"""Named questions to the workspace, grouped by domain: the only SQL callers may ask."""
