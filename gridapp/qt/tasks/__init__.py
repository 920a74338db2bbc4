"""Widgets of the joint-enforcement feature (issue 7): cluster panel, proposal
list, task form, task board and their dialogs; one widget per module.

The feature module :mod:`gridapp.qt.features.tasks` puts them in the window.
"""
