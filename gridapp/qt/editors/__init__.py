"""Editors of reference data (issue 21): categories, departments and their
liaisons, clustering parameters per category, reactivating a manager, a joint
task's place and photos.  Each is a form over a list, checked by the services,
undoable, and audited (the services write every change through an audited
transaction).  The window's 设置 menu opens them (``qt/features/editors.py``).
"""
