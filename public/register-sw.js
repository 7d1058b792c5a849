// Registers the service worker that keeps the app on the phone for offline use. A file,
// not an inline script, so the server's Content-Security-Policy needs no 'unsafe-inline'.
"use strict";

if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/sw.js").catch(function (e) {
    console.warn("service worker registration failed", e);
  });
}
