// What a desk keeps in the browser (localStorage) so that it works through a network outage and a reload: the day's
// manifest per venue, the queue of admissions made offline with the server's answers once synced, and the desk name.
const MANIFEST_PREFIX = 'redu.staff.manifest:';
const QUEUE_KEY = 'redu.staff.queue';
const DESK_KEY = 'redu.staff.desk';
const VENUE_KEY = 'redu.staff.venue';
// Synced scans stay listed (with what the server answered) until this many newer ones push them out.
const KEEP_SYNCED = 50;

function read(key, fallback) {
  try {
    return JSON.parse(localStorage.getItem(key) ?? 'null') ?? fallback;
  } catch {
    return fallback;
  }
}

/** The cached manifest of a venue and day, as { manifest, fetchedAt } or null. */
export function cachedManifest(venueId, date) {
  return read(`${MANIFEST_PREFIX}${venueId}:${date}`, null);
}

/**
 * Keeps a manifest for offline use. Contact phone numbers are not needed to admit anyone, so they are not written to
 * the device's storage. Manifests of other days are dropped.
 */
export function saveManifest(manifest, fetchedAt = new Date().toISOString()) {
  const kept = { ...manifest, expected: (manifest.expected ?? []).map(({ contactPhone, ...group }) => group) };
  for (let i = localStorage.length - 1; i >= 0; i--) {
    const key = localStorage.key(i);
    if (key?.startsWith(`${MANIFEST_PREFIX}${manifest.venueId}:`) && !key.endsWith(`:${manifest.date}`)) localStorage.removeItem(key);
  }
  const entry = { manifest: kept, fetchedAt };
  localStorage.setItem(`${MANIFEST_PREFIX}${manifest.venueId}:${manifest.date}`, JSON.stringify(entry));
  return entry;
}

/** Every queued scan, pending and synced: { nonce, venueId, date, code, bookingId, slot, admit, scannedAt, desk, state, result? }. */
export function queue() {
  return read(QUEUE_KEY, []);
}

function saveQueue(items) {
  const pending = items.filter(i => i.state === 'pending');
  const synced = items.filter(i => i.state !== 'pending').slice(-KEEP_SYNCED);
  localStorage.setItem(QUEUE_KEY, JSON.stringify([...synced, ...pending].sort((a, b) => a.scannedAt.localeCompare(b.scannedAt))));
}

export function enqueue(item) {
  saveQueue([...queue(), { ...item, state: 'pending' }]);
}

export function pending(venueId) {
  return queue().filter(i => i.state === 'pending' && (!venueId || i.venueId === venueId));
}

/** Records the server's answer to queued scans, by nonce: result is { outcome, forcedNow, arrived, headcount } or { refused }. */
export function settle(answers) {
  saveQueue(queue().map(item => (answers.has(item.nonce) ? { ...item, state: 'synced', result: answers.get(item.nonce) } : item)));
}

/** People this desk admitted offline to a booking and has not synced yet. */
export function queuedAdmissions(bookingId) {
  return pending().filter(i => i.bookingId === bookingId).reduce((sum, i) => sum + i.admit, 0);
}

export function desk() {
  return localStorage.getItem(DESK_KEY) ?? '';
}

export function setDesk(name) {
  if (name) localStorage.setItem(DESK_KEY, name);
  else localStorage.removeItem(DESK_KEY);
}

export function lastVenue() {
  return localStorage.getItem(VENUE_KEY);
}

export function setLastVenue(venueId) {
  localStorage.setItem(VENUE_KEY, venueId);
}
