"""The services suites for reports and cases, unchanged, on the PostGIS store.

Importing a test module here runs its tests again with this folder's
``empty_workspace``/``demo_workspace`` (tests/pg/conftest.py): the same
assertions against a street on a real PostgreSQL server.
"""

from tests.services.test_cases import *  # noqa: F401,F403
