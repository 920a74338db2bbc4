"""People and access in the window: managers, assignments, users, passwords, audit.

One widget per module; :mod:`gridapp.qt.features.people` puts them into the
main window.  Every service call checks the user's role again; refusals are
shown as messages in the UI language (:func:`.common.show_error`).
"""
