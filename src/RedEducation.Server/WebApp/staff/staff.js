// The venue desk: scan or type a group's ticket, admit all or part of it, watch the day's list and arrivals per slot.
// Online, the server judges every admission; offline (no network, or the server unreachable) the browser verifies the
// ticket against the cached manifest and queues the admission, which is synced when the server answers again.
import { api, ApiError, newIdempotencyKey } from '/js/api.js';
import { t, lang, onLangChange } from '/js/i18n.js';
import { startPage, describeError, toast, formatDate, formatDateTime, chinaToday, el } from '/js/page.js';
import { messages } from './messages.js';
import { normalizeCode, parseCode, verifyCode, judgeOffline, windowOf } from './ticket.js';
import { CameraScanner } from './scanner.js';
import * as store from './store.js';

const me = startPage({ roles: ['staff', 'admin'], messages });
// Keeps the page itself for a reload without network (see sw.js). Without a service worker the desk still works
// offline until the page is closed.
navigator.serviceWorker?.register('/staff/sw.js', { scope: '/staff/' }).catch(() => {});
// While the server answers, the manifest and occupancy are refreshed (and queued scans synced) this often.
const REFRESH_MS = 15_000;
// The server judges an offline scan only up to this age (TicketService.ScanTimeAcceptable).
const MAX_SCAN_AGE_MS = 7 * 86_400_000;

const $ = id => document.getElementById(id);
const state = {
  venues: [],
  venueId: null,
  date: chinaToday(),
  manifest: null,
  manifestAt: null,
  occupancy: null,
  occupancyAt: null,
  reachable: true,
  current: null,
  checking: false,
  admitting: false,
  syncing: false,
  syncNote: null,
};

const online = () => navigator.onLine && state.reachable;
const venuePath = (suffix, venueId = state.venueId) => `/api/venues/${encodeURIComponent(venueId)}${suffix}`;
const venueName = venue => (lang() === 'en' ? venue.name?.en : venue.name?.zh) || venue.id;
const timeOf = instant => new Intl.DateTimeFormat(lang(), { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(instant));

/** The API, noting whether the server could be reached: a failed connection switches the desk to offline work. */
async function call(path, options) {
  try {
    const answer = await api(path, options);
    setReachable(true);
    return answer;
  } catch (error) {
    if (error instanceof ApiError && error.isNetwork) setReachable(false);
    throw error;
  }
}

function setReachable(value) {
  if (state.reachable === value) return;
  state.reachable = value;
  renderStatus();
  if (value) void sync();
}

// ---- venue, day and desk ----------------------------------------------------------------------------------------

async function loadVenues() {
  const allowed = me.role === 'admin' ? null : new Set(me.venueIds ?? []);
  let venues = [];
  try {
    venues = await call('/api/venues');
  } catch {
    // Offline at start: the venue ids of the account still work, without their names.
  }
  const known = new Map(venues.map(v => [v.id, v]));
  const ids = allowed ? [...allowed] : venues.map(v => v.id);
  state.venues = ids.map(id => known.get(id) ?? { id });
  const last = store.lastVenue();
  state.venueId = ids.includes(last) ? last : ids[0] ?? null;
}

function renderVenues() {
  const select = $('venue');
  select.replaceChildren(...state.venues.map(v => el('option', { value: v.id, selected: v.id === state.venueId }, venueName(v))));
}

async function selectDay() {
  state.manifest = null;
  state.occupancy = null;
  state.current = null;
  const cached = state.venueId ? store.cachedManifest(state.venueId, state.date) : null;
  if (cached) {
    state.manifest = cached.manifest;
    state.manifestAt = cached.fetchedAt;
  }
  renderAll();
  await refresh();
}

/** Fetches the day's manifest and occupancy; keeps the manifest for offline work. */
async function refresh() {
  if (!state.venueId) return;
  const [venueId, date] = [state.venueId, state.date];
  const query = `?date=${encodeURIComponent(date)}`;
  const [manifest, occupancy] = await Promise.allSettled([call(venuePath('/manifest' + query)), call(venuePath('/occupancy' + query))]);
  if (venueId !== state.venueId || date !== state.date) return;
  if (manifest.status === 'fulfilled') {
    const entry = store.saveManifest(manifest.value);
    state.manifest = entry.manifest;
    state.manifestAt = entry.fetchedAt;
  }
  if (occupancy.status === 'fulfilled') {
    state.occupancy = occupancy.value;
    state.occupancyAt = new Date().toISOString();
  }
  const failure = [manifest, occupancy].find(r => r.status === 'rejected' && !r.reason?.isNetwork);
  if (failure) toast(describeError(failure.reason), 'error');
  renderAll();
  if (online() && store.pending().length > 0) await sync();
}

// ---- scanning ---------------------------------------------------------------------------------------------------

function expectedGroup(bookingId) {
  return state.manifest?.expected?.find(e => e.bookingId === bookingId) ?? null;
}

/** The group as the desk knows it now: the manifest's figures plus what this desk admitted offline and not yet synced. */
function groupFigures(claims) {
  const expected = expectedGroup(claims.bookingId);
  const headcount = expected?.headcount ?? claims.headcount;
  const arrived = (expected?.arrived ?? 0) + store.queuedAdmissions(claims.bookingId);
  return { expected, headcount, arrived, remaining: Math.max(0, headcount - arrived) };
}

function refuse(code, reason, claims = null) {
  state.current = { kind: 'refused', code, reason, claims };
  renderResult();
}

/** A code from the camera or the code field: verified in the browser, then shown with what the desk can do. */
async function handleCode(raw, source) {
  const code = normalizeCode(raw);
  if (!code || state.checking || state.admitting) return;
  // The same ticket stays in front of the camera for a while: read once.
  if (source === 'camera' && state.current?.code === code) return;
  state.checking = true;
  try {
    if (!state.manifest) {
      if (online()) await refresh();
      if (!state.manifest) {
        const parsed = parseCode(code);
        if (!online()) return refuse(code, 'no-manifest');
        if (!parsed) return refuse(code, 'invalid-code');
        // No manifest at all while the server answers: it judges the ticket when the staff admits.
        state.current = { kind: 'group', code, claims: parsed.claims, verified: false };
        return renderResult();
      }
    }
    let verdict = await verifyCode(code, state.manifest);
    if (!verdict.ok && verdict.unknownKey && online()) {
      // A key newer than the cached manifest: fetch the manifest again before refusing.
      await refresh();
      verdict = await verifyCode(code, state.manifest);
    }
    if (!verdict.ok) return refuse(code, verdict.reason);
    const { claims } = verdict;
    if (claims.venueTag !== state.manifest.venueTag) return refuse(code, 'wrong-venue', claims);
    if (!online()) {
      const reason = judgeOffline(claims, state.manifest, Date.now(), chinaToday());
      if (reason) return refuse(code, reason, claims);
    }
    state.current = { kind: 'group', code, claims, verified: true };
    renderResult();
  } finally {
    state.checking = false;
  }
}

/** Admits count people of the shown group (all who remain when count is null). */
async function admit(count) {
  const current = state.current;
  if (!current || current.kind !== 'group' || state.admitting || state.checking) return;
  const { claims, code } = current;
  const figures = groupFigures(claims);
  const nonce = newIdempotencyKey();
  const desk = store.desk() || undefined;
  current.typed = null;
  state.admitting = true;
  renderResult();
  try {
    if (online()) {
      try {
        const answer = await call(venuePath('/checkins'), { method: 'POST', body: { code, admit: count ?? undefined, nonce, desk } });
        noteArrived(claims.bookingId, answer.arrived);
        current.message = { kind: 'ok', key: 'staff.admitted', vars: { n: answer.admitted, arrived: answer.arrived, headcount: answer.headcount } };
        void refresh();
        return;
      } catch (error) {
        if (!(error instanceof ApiError && error.isNetwork)) {
          current.message = { kind: 'error', error };
          if (error.type === 'over-headcount') void refresh();
          return;
        }
        // The server did not answer: decide here, as offline. The same nonce makes a retry that did reach it count once.
      }
    }
    admitOffline(current, count ?? figures.remaining, nonce, desk);
  } finally {
    state.admitting = false;
    renderStatus();
    renderResult();
    renderLists();
  }
}

function admitOffline(current, count, nonce, desk) {
  const { claims, code } = current;
  if (!current.verified) {
    current.message = { kind: 'error', key: 'problem.no-manifest' };
    return;
  }
  const reason = judgeOffline(claims, state.manifest, Date.now(), chinaToday());
  if (reason) {
    state.current = { kind: 'refused', code, reason, claims };
    return;
  }
  if (count < 1 || count > groupFigures(claims).remaining) {
    current.message = { kind: 'error', key: 'problem.over-headcount' };
    return;
  }
  store.enqueue({
    nonce, venueId: state.venueId, date: claims.date, code, bookingId: claims.bookingId, slot: claims.slot,
    admit: count, scannedAt: new Date().toISOString(), desk,
  });
  current.message = { kind: 'queued', key: 'staff.queuedOne', vars: { n: count } };
}

/** Takes the server's count of a group into the cached manifest at once, before the next refresh. */
function noteArrived(bookingId, arrived) {
  const group = expectedGroup(bookingId);
  if (!group) return;
  group.arrived = arrived;
  store.saveManifest(state.manifest, state.manifestAt);
}

// ---- sync -------------------------------------------------------------------------------------------------------

/** Uploads the queued scans, venue by venue, and keeps the server's answer to each. */
async function sync() {
  const queued = store.pending();
  if (state.syncing || queued.length === 0) return;
  state.syncing = true;
  state.syncNote = null;
  renderStatus();
  let done = 0;
  try {
    for (const venueId of new Set(queued.map(i => i.venueId))) {
      done += await syncVenue(venueId, queued.filter(i => i.venueId === venueId));
    }
    const nonces = new Set(queued.map(i => i.nonce));
    const forced = store.queue().filter(i => nonces.has(i.nonce) && i.result?.forcedNow).length;
    const waiting = store.pending().filter(i => nonces.has(i.nonce)).length;
    const key = waiting ? 'staff.syncedWaiting' : forced ? 'staff.syncedForced' : 'staff.synced';
    state.syncNote = { kind: waiting || forced ? 'warn' : 'ok', key, vars: { n: done, forced, waiting } };
  } catch (error) {
    state.syncNote = { kind: 'error', key: 'staff.syncFailed', error };
  } finally {
    state.syncing = false;
    renderAll();
  }
  if (done > 0) await refresh();
}

async function syncVenue(venueId, items) {
  const body = items.map(({ code, admit, nonce, scannedAt, desk }) => ({ code, admit, nonce, scannedAt, desk }));
  let results;
  try {
    results = await call(venuePath('/checkins/sync', venueId), { method: 'POST', body });
  } catch (error) {
    const invalid = Object.keys(error?.problem?.errors ?? {}).map(k => Number(k.replace(/\D/g, ''))).filter(i => i < items.length);
    if (error.type !== 'validation-failed' || invalid.length === 0) throw error;
    // The server takes no upload holding a scan it cannot judge, so such scans wait outside this one: a scan more than
    // the server's 7 days old never will be taken and is settled as refused; one ahead of the server's clock (this
    // device's clock runs fast) stays queued for a later sync.
    const expired = invalid.filter(i => Date.now() - Date.parse(items[i].scannedAt) > MAX_SCAN_AGE_MS);
    store.settle(new Map(expired.map(i => [items[i].nonce, { outcome: 'invalid-scan' }])));
    const rest = items.filter((_, i) => !invalid.includes(i));
    return expired.length + (rest.length ? await syncVenue(venueId, rest) : 0);
  }
  store.settle(new Map(results.map(r => [r.nonce, { outcome: r.outcome, forcedNow: r.forcedNow, arrived: r.arrived, headcount: r.headcount }])));
  return results.length;
}

// ---- drawing ----------------------------------------------------------------------------------------------------

/** A note kept as a message key (or an error) so that it follows a change of language. */
function say(note) {
  const text = note.key ? t(note.key, note.vars) : '';
  if (!note.error) return text;
  return note.key ? t(note.key, { ...note.vars, reason: describeError(note.error) }) : describeError(note.error);
}

function renderAll() {
  renderVenues();
  renderStatus();
  renderResult();
  renderLists();
}

function renderLists() {
  renderOccupancy();
  renderExpected();
  renderQueue();
}

function renderStatus() {
  const connection = $('connection');
  connection.textContent = t(online() ? 'staff.online' : 'staff.offline');
  connection.className = `badge ${online() ? 'online' : 'offline'}`;
  $('manifest-status').textContent = state.manifest
    ? t('staff.manifest', { groups: state.manifest.expected?.length ?? 0, time: timeOf(state.manifestAt) })
    : t('staff.noManifest');
  const count = store.pending().length;
  $('queue-count').textContent = String(count);
  $('queue-pill').classList.toggle('waiting', count > 0);
  const button = $('sync');
  // With nothing queued the button still asks the server again: a desk wants to see that it is back.
  button.disabled = state.syncing;
  button.textContent = t(state.syncing ? 'staff.syncing' : 'staff.sync');
  const note = $('sync-status');
  note.textContent = state.syncNote ? say(state.syncNote) : '';
  note.className = `hint ${state.syncNote?.kind ?? ''}`;
}

function detail(label, value, id) {
  return [el('dt', {}, t(label)), el('dd', { id }, value)];
}

/** Replaces an element's children, leaving out the parts a condition left null. */
function show(parent, ...children) {
  parent.replaceChildren(...children.filter(Boolean));
}

function renderResult() {
  const box = $('result');
  const current = state.current;
  if (!current) {
    box.className = 'result idle';
    box.replaceChildren(el('p', { className: 'hint' }, t('staff.idle')));
    return;
  }
  if (current.kind === 'refused') {
    box.className = 'result refused';
    show(box,
      el('h3', {}, t('staff.refused')),
      el('p', { id: 'refusal', className: 'reason' }, t(`problem.${current.reason}`)),
      current.claims ? el('dl', {}, detail('staff.booking', current.claims.bookingId), detail('staff.slot', `${current.claims.date} ${current.claims.slot}`)) : null,
    );
    return;
  }
  const { claims } = current;
  const { expected, headcount, arrived, remaining } = groupFigures(claims);
  const { opens, closes } = windowOf(claims);
  box.className = `result group ${remaining === 0 ? 'complete' : ''}`;
  // A number the staff is typing survives the redraws of the periodic refresh, and so does the focus.
  const typing = document.activeElement?.id === 'admit-count';
  const count = el('input', {
    type: 'number', id: 'admit-count', min: 1, max: Math.max(1, remaining), value: current.typed ?? Math.max(1, remaining),
    disabled: remaining === 0 || state.admitting, oninput: event => { current.typed = event.target.value; },
  });
  show(box,
    el('h3', {}, t('staff.group')),
    el('dl', { className: 'figures' },
      detail('staff.unit', expected ? unitOf(expected) : '—', 'group-unit'),
      detail('staff.contact', expected?.contactName ?? '—'),
      detail('staff.slot', `${claims.date} ${claims.slot}`, 'group-slot'),
      detail('staff.window', `${timeOf(opens)}–${timeOf(closes)}`),
      detail('staff.headcount', String(headcount), 'group-headcount'),
      detail('staff.arrived', String(arrived), 'group-arrived'),
      detail('staff.remaining', String(remaining), 'group-remaining'),
      detail('staff.booking', claims.bookingId)),
    // How the ticket was judged, when not by the server at the moment of admission.
    !current.verified ? el('p', { className: 'hint' }, t('staff.unverified'))
      : !online() ? el('p', { className: 'hint', id: 'offline-note' }, t('staff.verifiedOffline')) : null,
    current.message ? el('p', { id: 'admit-message', className: `message ${current.message.kind}` }, say(current.message)) : null,
    remaining === 0
      ? el('p', { className: 'ok all-in' }, t('staff.allIn'))
      : el('div', { className: 'admit' },
        el('button', { type: 'button', id: 'admit-all', className: 'primary big', disabled: state.admitting, onclick: () => admit(null) }, t('staff.admitAll', { n: remaining })),
        el('form', { className: 'row admit-part', onsubmit: event => { event.preventDefault(); void admit(Number(count.value)); } },
          el('label', { className: 'inline' }, el('span', {}, t('staff.admitOf')), count, el('span', {}, t('staff.ofHeadcount', { n: remaining }))),
          el('button', { type: 'submit', id: 'admit-part', disabled: state.admitting }, t('staff.admitPart')))),
  );
  if (typing && !count.disabled) count.focus();
}

// A manifest cached by an older server has no unit names: the id stands in.
function unitOf(group) {
  return group.unitName || group.unitId;
}

function statusOf(group) {
  if (group.arrived === 0) return 'none';
  if (group.arrived < group.headcount) return 'part';
  return group.arrived === group.headcount ? 'all' : 'over';
}

function renderExpected() {
  const body = $('expected-body');
  const groups = (state.manifest?.expected ?? [])
    .map(g => ({ ...g, arrived: g.arrived + store.queuedAdmissions(g.bookingId) }))
    .sort((a, b) => a.slot.localeCompare(b.slot) || unitOf(a).localeCompare(unitOf(b)));
  const people = groups.reduce((s, g) => s + g.headcount, 0);
  const arrived = groups.reduce((s, g) => s + g.arrived, 0);
  const summary = groups.length ? t('staff.expectedSummary', { groups: groups.length, people, arrived }) : t('staff.noneExpected');
  $('expected-summary').textContent = `${formatDate(state.date)} · ${summary}`;
  body.replaceChildren(...groups.map(g => el('tr', { dataset: { booking: g.bookingId } },
    el('td', {}, g.slot),
    el('td', { title: g.unitId }, unitOf(g)),
    el('td', {}, g.contactName ?? ''),
    el('td', { className: 'num' }, String(g.headcount)),
    el('td', { className: 'num arrived' }, String(g.arrived)),
    el('td', {}, el('span', { className: `badge status-${statusOf(g)}` }, t(`staff.status.${statusOf(g)}`))))));
}

function renderOccupancy() {
  const body = $('occupancy-body');
  const slots = state.occupancy?.slots ?? [];
  $('occupancy-updated').textContent = state.occupancyAt ? t('staff.updated', { time: timeOf(state.occupancyAt) }) : '';
  if (slots.length === 0) {
    body.replaceChildren(el('tr', {}, el('td', { colSpan: 6, className: 'hint' }, state.occupancy ? t('staff.noSlots') : t('common.loading'))));
    return;
  }
  body.replaceChildren(...slots.map(s => el('tr', { dataset: { slot: s.start } },
    el('td', {}, `${s.start}–${s.end}`),
    el('td', { className: 'num' }, String(s.capacity)),
    el('td', { className: 'num booked' }, String(s.booked)),
    el('td', { className: 'num arrived' }, String(s.arrived)),
    el('td', { className: 'meter' }, el('span', { className: 'bar' }, el('span', { style: `width:${s.booked ? Math.min(100, Math.round((100 * s.arrived) / s.booked)) : 0}%` })),
      el('span', { className: 'hint' }, `${s.groupsArrived}/${s.groups}`)),
    el('td', { className: `num forced ${s.forced ? 'warn' : ''}` }, s.forced ? String(s.forced) : ''))));
}

function outcomeLabel(item) {
  if (item.state === 'pending') return { text: t('staff.outcome.pending'), kind: 'pending' };
  const outcome = item.result?.outcome;
  if (outcome === 'admitted') return item.result.forcedNow ? { text: t('staff.outcome.forced'), kind: 'forced' } : { text: t('staff.outcome.admitted'), kind: 'admitted' };
  if (outcome === 'duplicate') return { text: t('staff.outcome.duplicate'), kind: 'duplicate' };
  return { text: t(`problem.${outcome}`), kind: 'refused' };
}

function renderQueue() {
  const items = store.queue().filter(i => i.venueId === state.venueId).reverse();
  $('queue-empty').hidden = items.length > 0;
  $('queue-table').hidden = items.length === 0;
  $('queue-body').replaceChildren(...items.map(item => {
    const label = outcomeLabel(item);
    return el('tr', { dataset: { nonce: item.nonce, outcome: label.kind } },
      el('td', {}, formatDateTime(item.scannedAt)),
      el('td', {}, el('span', { className: 'mono' }, item.bookingId), el('span', { className: 'hint' }, ` ${item.slot}`)),
      el('td', { className: 'num' }, String(item.admit)),
      el('td', {}, item.desk || me.username || ''),
      el('td', {}, el('span', { className: `badge outcome-${label.kind}` }, label.text)));
  }));
}

// ---- wiring -----------------------------------------------------------------------------------------------------

const scanner = new CameraScanner($('camera'), code => void handleCode(code, 'camera'));

async function toggleCamera() {
  const hint = $('camera-hint');
  if (scanner.running) {
    scanner.stop();
    hint.textContent = t('staff.cameraOff');
    hint.hidden = false;
  } else {
    try {
      await scanner.start();
      hint.hidden = true;
    } catch (error) {
      const key = { NotAllowedError: 'staff.cameraDenied', NotFoundError: 'staff.cameraMissing', OverconstrainedError: 'staff.cameraMissing' }[error?.name] ?? 'staff.cameraFailed';
      hint.textContent = t(key);
      hint.hidden = false;
    }
  }
  $('camera-box').classList.toggle('live', scanner.running);
  $('camera-toggle').textContent = t(scanner.running ? 'staff.cameraStop' : 'staff.cameraStart');
}

$('camera-toggle').addEventListener('click', () => void toggleCamera());
$('code-form').addEventListener('submit', event => {
  event.preventDefault();
  void handleCode($('code').value, 'typed');
});
$('venue').addEventListener('change', event => {
  state.venueId = event.target.value;
  store.setLastVenue(state.venueId);
  void selectDay();
});
$('date').value = state.date;
$('date').addEventListener('change', event => {
  if (!event.target.value) return;
  state.date = event.target.value;
  void selectDay();
});
$('desk').value = store.desk();
$('desk').addEventListener('change', event => store.setDesk(event.target.value.trim()));
$('sync').addEventListener('click', () => void (store.pending().length > 0 ? sync() : refresh()));
window.addEventListener('online', () => {
  state.reachable = true;
  void refresh();
});
window.addEventListener('offline', () => renderAll());
onLangChange(() => {
  renderAll();
  $('camera-toggle').textContent = t(scanner.running ? 'staff.cameraStop' : 'staff.cameraStart');
  if (!scanner.running) $('camera-hint').textContent = t('staff.cameraOff');
});
// Another tab of this desk (or a reload elsewhere) changed the queue.
window.addEventListener('storage', event => {
  if (event.key?.startsWith('redu.staff.')) renderAll();
});
setInterval(() => void refresh(), REFRESH_MS);

await loadVenues();
await selectDay();
