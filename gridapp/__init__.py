"""GridApp: desktop GIS for street offices (街道办事处)."""

__version__ = "0.1.0"
