"""Maps out: poster and atlas printing, the offline web map, QR codes."""
