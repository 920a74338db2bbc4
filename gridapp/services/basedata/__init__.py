"""Base data (基础数据): buildings, places, households and residents, linked to grids."""
