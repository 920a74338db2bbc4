"""Reading users' files: formats, encodings, CRS, checks and rejects."""
