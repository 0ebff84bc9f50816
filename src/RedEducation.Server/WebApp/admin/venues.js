// Venue rules for administrators: hours, closed weekdays, dated exceptions, capacities and limits, and the position —
// typed as read off a Chinese map (GCJ-02 or BD-09) and converted to WGS84 by the server (PATCH /api/venues/{id},
// field location.datum), so that one implementation of the conversion serves the API and this page.
import { api, ApiError } from '/js/api.js';
import { t, localText } from '/js/i18n.js';
import { describeError, toast, el, chinaToday, addDays } from '/js/page.js';

const $ = id => document.getElementById(id);
const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const LIMITS = ['slotMinutes', 'slotCapacity', 'dailyCap', 'groupMin', 'groupMax', 'leadMinDays', 'leadMaxDays', 'unitCapPerDay', 'visitMinutes'];

export class VenueEditor {
  constructor() {
    this.venues = [];
    this.current = null;
    $('venue-form').addEventListener('submit', event => this.save(event));
    $('venue-reset').addEventListener('click', () => this.fill(this.current));
    $('add-exception').addEventListener('click', () => this.addException({ date: addDays(chinaToday(), 14), open: false, note: { zh: '', en: '' } }));
    $('limit-fields').replaceChildren(...LIMITS.map(name => el('label', {},
      el('span', { dataset: { i18n: `limit.${name}` } }),
      el('input', { id: `limit-${name}`, type: 'number', min: '0', step: '1', required: true }))));
    $('closed-weekdays').replaceChildren(
      el('span', { className: 'label', dataset: { i18n: 'venue.closedWeekdays' } }),
      ...WEEKDAYS.map(day => el('label', { className: 'check' },
        el('input', { type: 'checkbox', value: day, id: `closed-${day}` }),
        el('span', { dataset: { i18n: `day.${day}` } }))));
  }

  async load() {
    this.venues = await api('/api/venues');
    this.drawNav();
    this.select(this.current?.id ?? this.venues[0]?.id);
  }

  drawNav() {
    $('venue-nav').replaceChildren(...this.venues.map(venue => el('li', {},
      el('button', {
        type: 'button', className: 'link venue-link', dataset: { venue: venue.id },
        'aria-current': venue.id === this.current?.id ? 'true' : null,
        onclick: () => this.select(venue.id),
      }, localText(venue.name)))));
  }

  select(id) {
    const venue = this.venues.find(v => v.id === id);
    if (!venue) return;
    this.current = venue;
    this.drawNav();
    this.fill(venue);
  }

  /** Redraws what depends on the language, keeping what the administrator has typed. */
  redraw() {
    this.drawNav();
    if (this.current) this.drawHeader(this.current);
  }

  drawHeader(venue) {
    $('venue-title').textContent = localText(venue.name);
    $('venue-city').textContent = `${localText(venue.cityName)} · ${venue.id}`;
    $('venue-assumed').textContent = venue.assumed.length
      ? t('venue.assumed', { fields: venue.assumed.map(f => t(`field.${f}`) === `field.${f}` ? f : t(`field.${f}`)).join(t('list.sep')) })
      : '';
    $('venue-position').textContent = t('venue.current', {
      lat: venue.location.lat.toFixed(5), lon: venue.location.lon.toFixed(5), m: venue.coordinate.accuracyMeters,
      approx: venue.coordinate.approximate ? t('venue.approximate') : '',
    });
    $('venue-position').title = venue.coordinate.source;
  }

  fill(venue) {
    if (!venue) return;
    this.drawHeader(venue);
    $('hours-open').value = venue.hours.open;
    $('hours-last').value = venue.hours.lastEntry;
    $('hours-close').value = venue.hours.close;
    for (const day of WEEKDAYS) $(`closed-${day}`).checked = venue.closedWeekdays.includes(day);
    for (const name of LIMITS) $(`limit-${name}`).value = venue[name];
    $('exception-table').tBodies[0].replaceChildren();
    for (const exception of venue.exceptions) this.addException(exception);
    $('pos-lat').value = '';
    $('pos-lon').value = '';
    $('pos-datum').value = 'gcj02';
    $('pos-accuracy').value = venue.coordinate.accuracyMeters;
    $('pos-source').value = '';
    $('venue-errors').replaceChildren();
  }

  addException(exception) {
    const state = el('select', { className: 'ex-open' },
      el('option', { value: 'false', dataset: { i18n: 'venue.exClosed' } }, t('venue.exClosed')),
      el('option', { value: 'true', dataset: { i18n: 'venue.exOpen' } }, t('venue.exOpen')));
    state.value = String(exception.open);
    const row = el('tr', { className: 'exception' },
      el('td', {}, el('input', { type: 'date', className: 'ex-date', value: exception.date, required: true })),
      el('td', {}, state),
      el('td', {}, el('input', { className: 'ex-zh', value: exception.note?.zh ?? '', maxlength: '200' })),
      el('td', {}, el('input', { className: 'ex-en', value: exception.note?.en ?? '', maxlength: '200' })),
      el('td', {}, el('button', { type: 'button', className: 'link', dataset: { i18n: 'venue.remove' }, onclick: () => row.remove() }, t('venue.remove'))));
    $('exception-table').tBodies[0].append(row);
  }

  patch() {
    const body = {
      hours: { open: $('hours-open').value.trim(), lastEntry: $('hours-last').value.trim(), close: $('hours-close').value.trim() },
      closedWeekdays: WEEKDAYS.filter(day => $(`closed-${day}`).checked),
      exceptions: [...$('exception-table').tBodies[0].rows].map(row => ({
        date: row.querySelector('.ex-date').value,
        open: row.querySelector('.ex-open').value === 'true',
        note: { zh: row.querySelector('.ex-zh').value.trim(), en: row.querySelector('.ex-en').value.trim() },
      })),
    };
    for (const name of LIMITS) body[name] = Number.parseInt($(`limit-${name}`).value, 10);
    const lat = $('pos-lat').value;
    const lon = $('pos-lon').value;
    const accuracy = Number.parseInt($('pos-accuracy').value, 10);
    if (lat !== '' || lon !== '' || accuracy !== this.current.coordinate.accuracyMeters) {
      body.location = {
        lat: lat === '' ? this.current.location.lat : Number.parseFloat(lat),
        lon: lon === '' ? this.current.location.lon : Number.parseFloat(lon),
        datum: lat === '' && lon === '' ? 'wgs84' : $('pos-datum').value,
        accuracyMeters: Number.isFinite(accuracy) ? accuracy : undefined,
        source: $('pos-source').value.trim() || undefined,
      };
    }
    return body;
  }

  /** Problems of the form found before sending: times as HH:mm, whole numbers, a date on every exception. */
  check(body) {
    const problems = [];
    const clock = /^([01]\d|2[0-3]):[0-5]\d$/;
    if (!Object.values(body.hours).every(v => clock.test(v))) problems.push(t('venue.badTime'));
    if (LIMITS.some(name => !Number.isInteger(body[name]))) problems.push(t('venue.badNumber'));
    if (body.exceptions.some(e => !e.date)) problems.push(t('venue.badDate'));
    return problems;
  }

  async save(event) {
    event.preventDefault();
    const body = this.patch();
    const problems = this.check(body);
    const errors = $('venue-errors');
    errors.replaceChildren(...problems.map(p => el('li', {}, p)));
    if (problems.length) return;
    const button = $('venue-save');
    button.disabled = true;
    try {
      const saved = await api(`/api/venues/${encodeURIComponent(this.current.id)}`, { method: 'PATCH', body });
      this.venues = this.venues.map(v => (v.id === saved.id ? saved : v));
      this.current = saved;
      this.fill(saved);
      toast(t('venue.saved', { name: localText(saved.name) }), 'ok');
    } catch (error) {
      errors.replaceChildren(...fieldErrors(error).map(p => el('li', {}, p)));
    } finally {
      button.disabled = false;
    }
  }
}

/** A refusal as lines for the user: each field named in the current language with the server's reason. */
export function fieldErrors(error) {
  if (error instanceof ApiError && error.problem.errors) {
    return Object.entries(error.problem.errors).map(([field, reasons]) => {
      const name = t(`field.${field}`);
      return `${name === `field.${field}` ? field : name}: ${reasons.join('; ')}`;
    });
  }
  return [describeError(error)];
}
