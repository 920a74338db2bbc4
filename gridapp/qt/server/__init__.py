"""The district-server connection (issue 16): dialog, remembered connections, passwords."""
