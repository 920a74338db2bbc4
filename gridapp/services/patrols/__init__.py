"""Patrols (巡查): recording and importing tracks, and how well each grid was walked."""
