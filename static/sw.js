// The service worker of a static export (`go run . export`): after the
// first visit the playground works offline. The export writes it to the
// site's root as sw.js, after three constants it computes:
//
//   BASE      the path the site is served under ("/" or "/course/")
//   VERSION   the build's content hash: a new build is a new sw.js, which
//             the browser installs in place of this one
//   PRECACHE  every page and every file the pages load (hashed names)
//
// Installing caches all of PRECACHE in a cache named after VERSION, so a
// lesson never opened before works offline too; activating deletes the
// caches of other versions. Pages come from the network while there is
// one (a new build shows at once) and from the cache without; the hashed
// files, which never change, come from the cache first. Only installing
// opens the cache: caches.open would bring back the cache of a version
// that a newer worker has just deleted, when a request this one still
// answers comes in meanwhile.
"use strict";

const CACHE = "playground-" + VERSION;

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await cache.addAll(PRECACHE);
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) {
      if (key.startsWith("playground-") && key !== CACHE) {
        await caches.delete(key);
      }
    }
    await self.clients.claim();
  })());
});

// pageKey is the cached address of a page: its directory, with the slash
// (/course/lessons/x/), whether or not the link had one.
const pageKey = (url) => {
  const u = new URL(url);
  const last = u.pathname.slice(u.pathname.lastIndexOf("/") + 1);
  if (last !== "" && !last.includes(".")) {
    u.pathname += "/";
  }
  return u.origin + u.pathname;
};

const fromNetworkOrCache = async (request) => {
  try {
    return await fetch(request);
  } catch (err) {
    const page = await caches.match(pageKey(request.url), {cacheName: CACHE});
    if (page) {
      return page;
    }
    const missing = await caches.match(BASE + "404.html", {cacheName: CACHE});
    if (missing) {
      return missing;
    }
    throw err;
  }
};

const fromCacheOrNetwork = async (request) =>
  (await caches.match(request, {cacheName: CACHE})) ?? fetch(request);

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") {
    return;
  }
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || !url.pathname.startsWith(BASE)) {
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(fromNetworkOrCache(request));
  } else if (url.pathname.startsWith(BASE + "static/")) {
    event.respondWith(fromCacheOrNetwork(request));
  }
});
