// The service worker: keeps the app shell, today's page and the player on this device so they
// open with no network. Served by practice/views_pwa.py, which puts CONFIG in front of this
// file: { version, assets (cache-busting URLs), pages (kept when visited), precache (kept at
// install), static (URL prefix), figures and coach (URL prefixes), coachFiles, pagesCache }.
//
// - Static files: cache first when the name carries a content hash (it never changes), else
//   network first. Kept per version; a deploy brings a new version and the old one is dropped.
// - Exercise figures (CONFIG.figures, named by their content): cache first; every figure a kept
//   page names is fetched with it, so the player and Today show them offline.
// - The camera coach's files (CONFIG.coach: the pose runtime and model, about 8 MB): cache
//   first, kept as the camera loads them, so a patient who used the camera once online can use
//   it offline. Never kept at install: most patients never turn the camera on. Only a whole
//   file from this site (200) is kept, never a part (206); a request for a range goes to the
//   network. Kept with the static files, so a deploy drops them (CONFIG.coachFiles, a digest
//   of the built files, makes a new version when they are rebuilt).
// - Today and the player: network first (always fresh when online), the last copy offline.
//   A page that redirects (logged out) drops every kept page, so no one else's pages stay.
// - Any other page: the network; with none, a short page saying so, with a link to Today.
// - Anything else, and every request that is not a GET (the API's POSTs): left alone.
/* global CONFIG */

const STATIC_CACHE = `backstretch-static-${CONFIG.version}`;
const PAGES_CACHE = CONFIG.pagesCache;
const HASHED = /\.[0-9a-f]{12}\.[a-z0-9]+$/;
const PAGES = new Set(CONFIG.pages);
const FIGURE_URLS = new RegExp(`${CONFIG.figures}[a-z0-9_.-]+\\.svg`, "g");

// Every figure file a kept page names (an <img>, a <picture>'s still, the player's templates).
async function keepFigures(html) {
  const cache = await caches.open(STATIC_CACHE);
  await Promise.all(
    [...new Set(html.match(FIGURE_URLS) ?? [])].map(async (url) => {
      if (await cache.match(url)) return;
      const response = await fetch(url, { credentials: "same-origin" });
      if (response.ok) await cache.put(url, response);
    }),
  );
}

async function keepPage(cache, key, response) {
  await Promise.all([cache.put(key, response.clone()), keepFigures(await response.text())]);
}

// Fetched again on every install, so kept pages never point at files of an older version. No
// network: the install fails and the previous worker, with its files, stays in charge.
async function keepPages() {
  const cache = await caches.open(PAGES_CACHE);
  const kept = (await cache.keys()).map((request) => {
    const url = new URL(request.url);
    return url.pathname + url.search;
  });
  const urls = new Set([...CONFIG.precache, ...kept.filter((url) => PAGES.has(url))]);
  await Promise.all(
    [...urls].map(async (url) => {
      const response = await fetch(url, { credentials: "same-origin", redirect: "manual" });
      if (response.ok && response.type === "basic") await keepPage(cache, url, response);
      else await cache.delete(url); // not this person's to keep (logged out, not cleared yet)
    }),
  );
}

// Every file of the shell, or the install fails: a worker missing a file would break the
// player offline. The browser tries again on a later visit; until then the old one stays.
async function keepAssets() {
  const cache = await caches.open(STATIC_CACHE);
  await Promise.all(
    CONFIG.assets.map(async (url) => {
      if (await cache.match(url)) return;
      const response = await fetch(url, { credentials: "same-origin" });
      if (!response.ok) throw new Error(`${url} answered ${response.status}`);
      await cache.put(url, response);
    }),
  );
}

self.addEventListener("install", (event) => {
  event.waitUntil(Promise.all([keepAssets(), keepPages()]).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith("backstretch-static-") && name !== STATIC_CACHE) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

async function cacheFirst(request) {
  const cached = await caches.match(request, { ignoreVary: true });
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) (await caches.open(STATIC_CACHE)).put(request, response.clone());
  return response;
}

// A coach file: the kept copy, else the network's, kept when whole (the worker stays awake
// until the copy is stored, however long the page takes to read the answer).
async function coachFile(event) {
  const cache = await caches.open(STATIC_CACHE);
  const cached = await cache.match(event.request, { ignoreVary: true });
  if (cached) return cached;
  const response = await fetch(event.request);
  if (response.status === 200 && response.type === "basic") {
    event.waitUntil(cache.put(event.request, response.clone()).catch(() => {}));
  }
  return response;
}

// How long a kept page waits for the network before showing its last copy (a weak signal
// must not leave someone in bed staring at a blank screen). The answer still refreshes the copy.
const PATIENCE_MS = 4000;

const later = (ms) => new Promise((resolve) => setTimeout(() => resolve(null), ms));

async function networkFirst(request, cacheName, key) {
  const fresh = (async () => {
    const response = await fetch(request);
    if (response.ok && response.type === "basic" && !response.redirected) {
      await (await caches.open(cacheName)).put(key, response.clone());
      // The page shows now; its figures are kept meanwhile (a new routine names new ones).
      if (cacheName === PAGES_CACHE) response.clone().text().then(keepFigures).catch(() => {});
    } else if (cacheName === PAGES_CACHE && (response.type === "opaqueredirect" || response.redirected)) {
      await caches.delete(PAGES_CACHE); // logged out, or someone else now: forget kept pages
    }
    return response;
  })();
  fresh.catch(() => {}); // answered from the copy: a late failure is nobody's business
  let response = null;
  let failure = null;
  try {
    response = await Promise.race([fresh, later(PATIENCE_MS)]);
  } catch (error) {
    failure = error;
  }
  if (response && response.status < 500) return response;
  const cached = await caches.match(key, { cacheName, ignoreVary: true, ignoreSearch: false });
  if (cached) return cached; // no network, too slow, or the server failing: the last copy
  if (response) return response; // a server error and nothing kept: show it
  if (!failure) {
    try {
      return await fresh; // slow and nothing kept: keep waiting
    } catch (error) {
      failure = error;
    }
  }
  if (request.mode === "navigate") return offlinePage();
  throw failure;
}

const escape = (text) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** Shown for a page that is not kept on this phone, when there is no network. */
function offlinePage() {
  const words = CONFIG.offline;
  const html = `<!doctype html><html lang="${escape(words.lang)}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(words.title)}</title>
<link rel="stylesheet" href="${escape(words.css)}"></head><body><main id="main" class="wrap">
<h1>${escape(words.title)}</h1><p>${escape(words.text)}</p>
<p><a class="button" href="${escape(words.href)}">${escape(words.link)}</a></p></main></body></html>`;
  return new Response(html, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  const page = url.pathname + url.search;
  if (PAGES.has(page)) {
    event.respondWith(networkFirst(request, PAGES_CACHE, page));
  } else if (url.pathname.startsWith(CONFIG.figures)) {
    event.respondWith(cacheFirst(request));
  } else if (url.pathname.startsWith(CONFIG.coach)) {
    if (!request.headers.has("range")) event.respondWith(coachFile(event));
  } else if (url.pathname.startsWith(CONFIG.static)) {
    event.respondWith(HASHED.test(url.pathname) ? cacheFirst(request) : networkFirst(request, STATIC_CACHE, request));
  } else if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(() => offlinePage()));
  }
});

// Web Push: the server sends only a short line and the page to open (never health details),
// encrypted for this browser; we show it, and a tap opens (or focuses) that page.
self.addEventListener("push", (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch {
    data = {};
  }
  const title = data.title || "Backstretch";
  event.waitUntil(
    self.registration.showNotification(title, {
      body: data.body || "",
      tag: data.tag || "backstretch",
      data: { url: data.url || "/" },
      icon: `${CONFIG.static}img/logo.svg`,
    }),
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = new URL(event.notification.data?.url || "/", self.location.origin).href;
  event.waitUntil(
    (async () => {
      for (const client of await self.clients.matchAll({ type: "window" })) {
        if (client.url === target && "focus" in client) return client.focus();
      }
      return self.clients.openWindow(target);
    })(),
  );
});
