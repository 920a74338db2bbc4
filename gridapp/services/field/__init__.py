"""Field capture from phones (issue 20): what the field web service asks.

* :mod:`~gridapp.services.field.intake`: reports, photos, case actions and
  patrol tracks sent by a phone, each filed once under its idempotency key;
  the manager's own cases and grids for the phone's lists and map;
* :mod:`~gridapp.services.field.uploads`: photos from a phone's browser,
  checked for size and type, re-encoded, with only their GPS position kept;
* :mod:`~gridapp.services.field.certificate`: the office's self-signed HTTPS
  certificate (browsers give geolocation to secure pages only).

The web layer (:mod:`gridapp.web`) calls these and the case services; it never
sees storage.
"""
