// The tablet app's service worker: the app shell (page, script, style, labels)
// from the network when it answers within a few seconds, else from the cache, so
// the app opens with no or a weak signal. API answers are never cached here: the
// worker's cases live in IndexedDB (store.js), wiped with the caches at sign-out.
const SHELL = __SHELL__;
const CACHE = "inson-tablet-shell";
const NETWORK_WAIT_MS = 4000;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(self.clients.claim());
});

// One cache entry per file: the page in any language is one page (the script
// re-labels it in the worker's language).
function shellKey(url) {
  return url.origin + url.pathname;
}

function fromNetwork(request) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("slow network")), NETWORK_WAIT_MS);
    fetch(request).then(
      (response) => { clearTimeout(timer); resolve(response); },
      (error) => { clearTimeout(timer); reject(error); },
    );
  });
}

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin) return;
  if (!SHELL.some((path) => url.pathname === path)) return;
  const key = shellKey(url);
  event.respondWith(
    fromNetwork(event.request)
      .then((response) => {
        if (response.ok) {
          const copy = response.clone();
          event.waitUntil(caches.open(CACHE).then((cache) => cache.put(key, copy)));
        }
        return response;
      })
      .catch(() => caches.match(key).then((hit) => hit || Response.error())),
  );
});
