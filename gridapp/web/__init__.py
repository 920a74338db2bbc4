"""The field service: a mobile web page the office PC serves to grid managers' phones.

* :mod:`~gridapp.web.app`: the ASGI application (Starlette): pages, static
  files, the JSON API; calls :mod:`gridapp.services` only (an import-linter
  contract forbids storage and the window);
* :mod:`~gridapp.web.logins`: phone logins (the window's users, passwords and
  lockout), session cookies with an idle timeout, CSRF tokens;
* :mod:`~gridapp.web.api`: the endpoints (上报, 我的案件, 巡查);
* :mod:`~gridapp.web.server`: uvicorn over HTTPS in a thread, the address,
  the QR code and the certificate's fingerprint, for ``serve`` and the window.

The page itself (HTML, JavaScript, service worker, styles) is in
``resources/web/field/``; Leaflet comes from ``resources/web/leaflet/``.
"""
