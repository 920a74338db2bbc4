"""Assessment and supervision (issue 17): indicators, warnings, callbacks, Excel, escalation."""
