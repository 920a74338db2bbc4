"""The search box's service suite (tests/services/test_find.py), unchanged, on the PostGIS
store: the R-tree views, LIKE … ESCAPE and the case-number range read the same there."""

from tests.services.test_find import *  # noqa: F401,F403
