// The workbook's service worker: the whole site, precached on the first visit, so that every
// route works offline (reloads and deep links included) and the engine runs.
//
// scripts/service-worker.sh writes dist/sw.js from this template after every build, with the
// build's file list and a version made from the files' contents. Each version has its own
// cache, and a page is served from one cache only: old and new files never mix. A new version
// installs beside the old one and waits; the page offers "Reload", which tells it to take over.

const VERSION = "__VERSION__";
/** Every file of the build, relative to this script's folder; a folder's index.html as "folder/". */
const FILES = __FILES__;
const PREFIX = "iotwb-";
const CACHE = PREFIX + VERSION;
/** Trunk's content-hashed names (app wasm, JS, CSS): a name always means the same bytes. */
const HASHED = /-[0-9a-f]{16}(_bg)?\.(js|wasm|css)$/;

self.addEventListener("install", (event) => {
  event.waitUntil(precache());
});

async function precache() {
  const cache = await caches.open(CACHE);
  await Promise.all(
    FILES.map(async (path) => {
      const url = new URL(path, self.registration.scope);
      // Unhashed names (the workers' files, the route pages) are checked with the host, so a
      // copy the HTTP cache kept from the previous version is never taken for this one.
      const response = await fetch(url, { cache: HASHED.test(path) ? "default" : "no-cache" });
      if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
      await cache.put(key(url), await plain(response));
    }),
  );
}

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(names.filter((n) => n.startsWith(PREFIX) && n !== CACHE).map((n) => caches.delete(n)));
      // A first visit's page (not controlled yet) is served from the cache from now on too.
      await self.clients.claim();
    })(),
  );
});

// The page's "Reload" button: this version takes over, and the page reloads.
self.addEventListener("message", (event) => {
  if (event.data === "skip-waiting") self.skipWaiting();
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || !request.url.startsWith(self.registration.scope)) return;
  event.respondWith(respond(request));
});

async function respond(request) {
  const cache = await caches.open(CACHE);
  const url = new URL(request.url);
  const k = key(url);
  const hit = await cache.match(k);
  if (hit) return hit;
  // `/course/workbench`: to the route page's folder, `workbench/`, as static hosts redirect
  // (its relative links then resolve from the right folder).
  if (request.mode === "navigate" && !k.endsWith("/") && (await cache.match(k + "/"))) {
    return Response.redirect(k + "/" + url.search + url.hash, 301);
  }
  // Anything else (not part of the workbook) goes to the network as usual.
  return fetch(request);
}

/** The cache key of a URL: no query or fragment, a folder's index.html as the folder. */
function key(url) {
  const path = url.origin + url.pathname;
  return path.endsWith("/index.html") ? path.slice(0, -"index.html".length) : path;
}

/** A response without its redirect flag (a redirected response cannot answer a navigation). */
async function plain(response) {
  if (!response.redirected) return response;
  return new Response(await response.blob(), { status: response.status, statusText: response.statusText, headers: response.headers });
}
