// Wangge service worker: keeps the app shell on the phone so it opens with no signal.
// `cargo xtask` fills in BUILD_ID (a hash of every shipped file) and PRECACHE (their
// paths) after each build, so a new deploy gets a new cache and the old one is removed.
"use strict";

const BUILD_ID = "__BUILD_ID__";
const PRECACHE = __PRECACHE__;
const CACHE = "wangge-shell-" + BUILD_ID;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(PRECACHE)));
  // The first install takes over at once; later versions wait until the app agrees
  // (it shows an update prompt and posts "skip-waiting").
  if (!self.registration.active) self.skipWaiting();
});

self.addEventListener("message", (event) => {
  if (event.data === "skip-waiting") self.skipWaiting();
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys
            .filter((k) => k.startsWith("wangge-shell-") && k !== CACHE)
            .map((k) => caches.delete(k))
        )
      )
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const req = event.request;
  const url = new URL(req.url);
  // Only our own GETs; the API is never cached here (records live in IndexedDB).
  if (req.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/api/")) return;
  // The administration app (/admin/, online only) is its own page with its own files:
  // neither its navigations nor its files are answered from the worker app's cache.
  if (url.pathname === "/admin" || url.pathname.startsWith("/admin/")) return;
  if (req.mode === "navigate") {
    // Every route of the app is the same shell: answer from the cache, so the app opens
    // instantly on a slow link and at all with none.
    event.respondWith(
      caches.match("/index.html", { cacheName: CACHE }).then((hit) => hit || fetch(req))
    );
    return;
  }
  event.respondWith(
    caches.match(req, { cacheName: CACHE }).then((hit) => hit || fetch(req))
  );
});
