/* Service worker: the page opens without a connection (network first, cached copy
 * when offline); the API is never cached.  A background "sync" asks the open
 * page to send its outbox. */
"use strict";
const CACHE = "gridapp-field-v2";
const SHELL = ["/", "/static/app.js", "/static/queue.js", "/static/photos.js", "/static/style.css",
  "/leaflet/leaflet.js", "/leaflet/leaflet.css", "/leaflet/images/marker-icon.png",
  "/leaflet/images/marker-icon-2x.png", "/leaflet/images/marker-shadow.png"];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys().then((keys) => Promise.all(
    keys.filter((k) => k !== CACHE).map((k) => caches.delete(k)))).then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== location.origin ||
      url.pathname.startsWith("/api/")) return;
  event.respondWith(fetch(event.request).then((response) => {
    if (response.ok) {
      const copy = response.clone();
      caches.open(CACHE).then((c) => c.put(event.request, copy));
    }
    return response;
  }).catch(() => caches.match(event.request, { ignoreSearch: true })));
});

self.addEventListener("sync", (event) => {
  if (event.tag !== "outbox") return;
  event.waitUntil(self.clients.matchAll().then((clients) =>
    clients.forEach((c) => c.postMessage({ type: "flush" }))));
});
