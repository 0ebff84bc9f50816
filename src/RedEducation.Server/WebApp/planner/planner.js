// /planner/ — planners design study days on a map of Liaoning: pick venues, a date, a start and a time; the server
// orders the stops (POST /api/routes/plan); the page draws the route, lists stops and legs, exports GPX and GeoJSON,
// saves and shares routes; and it tells the Liaoshen Campaign route as a story, stop by stop. Units may look and plan.
import { api, ApiError } from '/js/api.js';
import { t, lang, localText, onLangChange, translate } from '/js/i18n.js';
import { startPage, describeError, toast, formatDate, chinaToday, addDays, el } from '/js/page.js';
import { PlannerMap } from '/planner/map.js';
import { Story } from '/planner/story.js';
import { messages } from '/planner/messages.js';
import { dayNotes, planAsGeoJson, download, minutes, kilometres } from '/planner/plan.js';

const user = startPage({ roles: ['planner', 'unit', 'admin'], messages });
const canSave = user.role === 'planner' || user.role === 'admin';

const state = {
  venues: [],
  byId: new Map(),
  selected: new Set(),
  plan: null,
  request: null,
  view: 'plan',
};

const $ = id => document.getElementById(id);
const map = new PlannerMap($('map'), { onVenueClick: toggleVenue, onMapClick: pickStart });
const story = new Story(map);

function toggleVenue(id) {
  if (state.view !== 'plan') return;
  if (state.selected.has(id)) state.selected.delete(id);
  else if (state.selected.size < 10) state.selected.add(id);
  else toast(t('planner.tooMany'), 'error');
  drawSelection();
}

function pickStart(latlng) {
  if (state.view !== 'plan' || $('plan-start').value !== 'point') return;
  $('start-lat').value = latlng.lat.toFixed(5);
  $('start-lon').value = latlng.lng.toFixed(5);
  $('start-datum').value = 'wgs84';
}

// ---- the form -------------------------------------------------------------------------------------------------

function drawVenueList() {
  const list = $('venue-list');
  list.replaceChildren(...state.venues.map(venue => el('li', {},
    el('label', { className: 'check' },
      el('input', {
        type: 'checkbox', value: venue.id, checked: state.selected.has(venue.id), dataset: { venue: venue.id },
        onchange: () => toggleVenue(venue.id),
      }),
      el('span', { className: 'name' }, localText(venue.name)),
      el('span', { className: 'city hint' }, localText(venue.cityName))))));
}

function drawStartOptions() {
  const select = $('plan-start');
  const current = select.value || 'liaoshen-memorial';
  select.replaceChildren(
    ...state.venues.map(v => el('option', { value: v.id }, localText(v.name))),
    el('option', { value: 'point' }, t('planner.startPoint')));
  select.value = current;
  $('start-point').hidden = select.value !== 'point';
}

function drawSelection() {
  for (const box of document.querySelectorAll('#venue-list input[type=checkbox]')) box.checked = state.selected.has(box.value);
  $('selected-count').textContent = t('planner.selected', { n: state.selected.size });
  map.showVenues(state.venues, state.selected);
  drawWarnings();
}

function drawWarnings() {
  const date = $('plan-date').value;
  const notes = date ? dayNotes([...state.selected].map(id => state.byId.get(id)), date) : [];
  $('warnings').replaceChildren(...notes.map(note => el('li', { className: note.kind }, note.text)));
}

function startOfRequest() {
  const value = $('plan-start').value;
  if (value !== 'point') return value;
  const lat = Number.parseFloat($('start-lat').value);
  const lon = Number.parseFloat($('start-lon').value);
  if (!Number.isFinite(lat) || !Number.isFinite(lon)) return null;
  return { lat, lon, datum: $('start-datum').value };
}

async function plan(event) {
  event.preventDefault();
  if (state.selected.size === 0) {
    toast(t('planner.pickOne'), 'error');
    return;
  }
  const start = startOfRequest();
  if (!start) {
    toast(t('planner.startMissing'), 'error');
    return;
  }
  const request = {
    start,
    venues: [...state.selected],
    date: $('plan-date').value,
    departAt: $('plan-depart').value,
    headcount: Number.parseInt($('plan-headcount').value, 10) || 1,
    returnToStart: $('plan-return').checked,
  };
  const button = $('plan-button');
  button.disabled = true;
  try {
    state.plan = await api('/api/routes/plan', { method: 'POST', body: request });
    state.request = request;
    drawPlan();
  } catch (error) {
    state.plan = null;
    map.clearRoute();
    $('plan-result').hidden = true;
    showPlanProblem(error);
  } finally {
    button.disabled = false;
  }
}

function showPlanProblem(error) {
  if (error instanceof ApiError && error.type === 'infeasible') {
    const venue = state.byId.get(error.problem.venueId);
    const text = t(`infeasible.${error.problem.reason}`, { venue: venue ? localText(venue.name) : '' });
    $('warnings').append(el('li', { className: 'error', id: 'infeasible' }, text));
    return;
  }
  toast(describeError(error), 'error');
}

// ---- the planned day ------------------------------------------------------------------------------------------

function startPosition() {
  const start = state.request?.start;
  if (typeof start === 'string') return state.byId.get(start)?.location;
  return start ? { lat: start.lat, lon: start.lon } : null;
}

function placeName(id) {
  if (id === 'start') return t('planner.startPoint');
  const venue = state.byId.get(id);
  return venue ? localText(venue.name) : id;
}

function drawPlan() {
  const plan = state.plan;
  if (!plan) return;
  $('plan-result').hidden = false;
  const parts = [
    formatDate(plan.date),
    t('planner.total', { km: kilometres(plan.totalDistanceMeters), time: minutes(plan.totalDurationSeconds) }),
  ];
  if (plan.returnAt) parts.push(t('planner.returnAt', { time: plan.returnAt }));
  $('plan-totals').textContent = parts.join(' · ');
  $('stop-list').replaceChildren(...plan.stops.map((stop, index) => {
    const venue = state.byId.get(stop.venueId);
    const waits = stop.visitStart !== stop.arrive;
    return el('li', { className: 'stop', dataset: { venue: stop.venueId } },
      el('span', { className: 'stop-number' }, String(index + 1)),
      el('div', {},
        el('strong', { className: 'stop-name' }, localText(stop.name)),
        el('div', { className: 'times' },
          el('span', { className: 'arrive' }, t('planner.arrive', { time: stop.arrive })),
          el('span', { className: 'visit' }, t('planner.visit', { time: stop.visitStart })),
          el('span', { className: 'depart' }, t('planner.depart', { time: stop.depart }))),
        el('div', { className: 'hint slot' },
          t('planner.slot', { time: stop.slot }),
          waits ? ` · ${t('planner.wait', { n: minutesBetween(stop.arrive, stop.visitStart) })}` : '',
          venue ? ` · ${t('planner.hours', { open: venue.hours.open, last: venue.hours.lastEntry, close: venue.hours.close })}` : '')));
  }));
  $('leg-table').tBodies[0].replaceChildren(...plan.legs.map(leg => el('tr', {},
    el('td', {}, `${placeName(leg.from)} → ${placeName(leg.to)}`),
    el('td', { className: 'num' }, kilometres(leg.distanceMeters)),
    el('td', { className: 'num' }, String(Math.round(leg.durationSeconds / 60))))));
  $('save-form').hidden = !canSave;
  if (!$('route-name').value) $('route-name').value = t('planner.defaultName', { date: plan.date });
  map.showPlan(plan, state.byId, startPosition());
}

function minutesBetween(from, to) {
  const [fh, fm] = from.split(':').map(Number);
  const [th, tm] = to.split(':').map(Number);
  return th * 60 + tm - (fh * 60 + fm);
}

async function exportGpx() {
  try {
    const response = await api('/api/routes/plan', {
      method: 'POST', body: state.request, raw: true, headers: { Accept: 'application/gpx+xml, application/problem+json' },
    });
    download(await response.blob(), `study-route-${state.plan.date}.gpx`);
  } catch (error) {
    toast(describeError(error), 'error');
  }
}

function exportGeoJson() {
  const json = planAsGeoJson(state.plan, state.byId);
  download(new Blob([JSON.stringify(json, null, 1)], { type: 'application/geo+json' }), `study-route-${state.plan.date}.geojson`);
}

async function save(event) {
  event.preventDefault();
  try {
    const route = await api('/api/routes', {
      method: 'POST',
      body: {
        name: $('route-name').value.trim(),
        venueIds: state.plan.stops.map(s => s.venueId),
        notes: $('route-notes').value.trim(),
        sharedWithUnits: $('route-shared').checked,
      },
    });
    toast(t('planner.saved', { name: route.name }), 'ok');
    await loadSaved();
  } catch (error) {
    toast(describeError(error), 'error');
  }
}

// ---- saved routes ---------------------------------------------------------------------------------------------

async function loadSaved() {
  try {
    const routes = await api('/api/routes');
    state.saved = routes.filter(r => r.id !== 'liaoshen');
  } catch (error) {
    state.saved = [];
    toast(describeError(error), 'error');
  }
  drawSaved();
}

function drawSaved() {
  const routes = state.saved ?? [];
  $('saved-hint').textContent = routes.length === 0 ? t('saved.none') : t(canSave ? 'saved.hintPlanner' : 'saved.hintUnit');
  $('saved-list').replaceChildren(...routes.map(route => el('li', { className: 'saved', dataset: { route: route.id } },
    el('div', { className: 'row between' },
      el('strong', {}, route.name),
      route.sharedWithUnits ? el('span', { className: 'badge confirmed' }, t('saved.shared')) : el('span', { className: 'badge' }, t('saved.private'))),
    el('div', { className: 'hint' }, route.venueIds.map(placeName).join(' → ')),
    route.notes ? el('div', {}, route.notes) : null,
    el('button', { type: 'button', onclick: () => useSaved(route) }, t('saved.use')))));
}

function useSaved(route) {
  state.selected = new Set(route.venueIds.filter(id => state.byId.has(id)));
  show('plan');
  drawSelection();
}

// ---- views ----------------------------------------------------------------------------------------------------

function show(view) {
  state.view = view;
  for (const tab of document.querySelectorAll('.tabs [role=tab]')) tab.setAttribute('aria-selected', String(tab.dataset.view === view));
  for (const name of ['plan', 'story', 'saved']) $(`view-${name}`).hidden = name !== view;
  if (view === 'story') {
    map.clearRoute();
    story.start().catch(error => toast(describeError(error), 'error'));
  } else {
    story.stop();
    if (view === 'plan' && state.plan) map.showPlan(state.plan, state.byId, startPosition());
    if (view === 'saved') loadSaved();
  }
}

function redraw() {
  drawVenueList();
  drawStartOptions();
  drawSelection();
  drawPlan();
  drawSaved();
  story.draw();
  translate(document);
}

async function main() {
  document.querySelector('main').dataset.lang = lang();
  for (const tab of document.querySelectorAll('.tabs [role=tab]')) tab.addEventListener('click', () => show(tab.dataset.view));
  $('plan-form').addEventListener('submit', plan);
  $('plan-date').addEventListener('change', drawWarnings);
  $('plan-start').addEventListener('change', () => { $('start-point').hidden = $('plan-start').value !== 'point'; });
  $('export-gpx').addEventListener('click', exportGpx);
  $('export-geojson').addEventListener('click', exportGeoJson);
  $('print-plan').addEventListener('click', () => window.print());
  $('save-form').addEventListener('submit', save);
  // Whole and half hours from 05:00 to 12:00: a browser's own time field would show AM/PM in its own language.
  $('plan-depart').replaceChildren(...Array.from({ length: 15 }, (_, i) => {
    const time = `${String(5 + Math.floor(i / 2)).padStart(2, '0')}:${i % 2 ? '30' : '00'}`;
    return el('option', { value: time, selected: time === '08:00' }, time);
  }));
  $('plan-date').value = addDays(chinaToday(), 7);
  $('plan-date').min = chinaToday();
  onLangChange(redraw);

  try {
    state.venues = await api('/api/venues');
  } catch (error) {
    toast(describeError(error), 'error');
    return;
  }
  state.byId = new Map(state.venues.map(v => [v.id, v]));
  redraw();
  try {
    await map.loadBase();
  } catch (error) {
    toast(describeError(error), 'error');
  }
  document.body.dataset.ready = 'true';
}

main();
