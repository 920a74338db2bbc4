"""The demo street and district generator."""
