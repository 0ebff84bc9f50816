// The desk page's service worker: keeps the page and everything it loads, so that a desk whose network (or server) is
// gone can still reload the page and go on admitting from the cached manifest. The network comes first, so a new
// release is seen at once; the cache answers only when the server cannot. The API is never cached here: the page keeps
// what it needs (manifest, queue) itself.
const CACHE = 'redu-staff-v1';
const SHELL = [
  '/staff/', '/staff/staff.js', '/staff/staff.css', '/staff/messages.js', '/staff/ticket.js', '/staff/store.js', '/staff/scanner.js',
  '/js/api.js', '/js/i18n.js', '/js/page.js', '/css/app.css', '/vendor/jsqr/jsQR.js', '/vendor/noble-ed25519/index.js',
];
// A slow network answers late; after this long the cached copy is served instead.
const NETWORK_WAIT_MS = 4000;

self.addEventListener('install', event => {
  event.waitUntil(caches.open(CACHE).then(cache => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', event => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith('redu-staff-') && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', event => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return;
  event.respondWith(networkFirst(event.request));
});

async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  const network = fetch(request).then(response => {
    if (response.ok) void cache.put(request, response.clone());
    return response;
  });
  const cached = await cache.match(request, { ignoreSearch: true });
  if (!cached) return network;
  let timer;
  const late = new Promise(resolve => { timer = setTimeout(() => resolve(cached), NETWORK_WAIT_MS); });
  try {
    return await Promise.race([network, late]);
  } catch {
    return cached;
  } finally {
    clearTimeout(timer);
  }
}
