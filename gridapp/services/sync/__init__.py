"""The district server: publish a street, check out an offline copy, check it in (issue 16)."""
