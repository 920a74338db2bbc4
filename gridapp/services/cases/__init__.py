"""Reports and cases: filing, photos, routing, workflow, supervision, queries, imports, calendar."""
