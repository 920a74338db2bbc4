"""The assessment dashboard (issue 17): figures, warnings, trends, drill-down."""
