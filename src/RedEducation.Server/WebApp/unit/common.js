// What the views of the unit page share: the venues (read once), bilingual texts of records, refusals in words,
// and files that need the bearer token (fetched as blobs, offered as object URLs).
import { api, session } from '/js/api.js';
import { t, lang } from '/js/i18n.js';
import { describeError, el } from '/js/page.js';

let venuesPromise = null;

/** All venues, sorted by city then name, read once per page load. */
export function venues() {
  venuesPromise ??= api('/api/venues').then(list => list.sort((a, b) => a.city.localeCompare(b.city, 'zh-CN') || a.id.localeCompare(b.id)));
  venuesPromise.catch(() => { venuesPromise = null; });
  return venuesPromise;
}

export async function venueById(id) {
  return (await venues()).find(v => v.id === id) ?? null;
}

const ACTING_KEY = 'redu.unit.actingFor';

/**
 * The unit an administrator books for (chosen on the page); undefined for a unit's own account, whose token names
 * its unit, so that the field is left out of requests.
 */
export function actingUnit() {
  return session()?.role === 'admin' ? localStorage.getItem(ACTING_KEY) ?? '' : undefined;
}

/** For an administrator: the field naming the unit the page acts for; null for a unit's own account. */
export function actingBar(onChange) {
  if (actingUnit() === undefined) return null;
  const input = el('input', { id: 'acting-unit', value: actingUnit(), maxLength: 64, placeholder: 'unit1' });
  return el('form', {
    className: 'row acting',
    onsubmit: event => {
      event.preventDefault();
      localStorage.setItem(ACTING_KEY, input.value.trim());
      onChange();
    },
  }, el('label', { htmlFor: 'acting-unit' }, t('unit.acting.label')), input, el('button', { type: 'submit' }, t('unit.acting.apply')));
}

/** A { zh, en } text of the API in the current language, falling back to the other one. */
export function text(localized) {
  if (!localized) return '';
  return (lang() === 'en' ? localized.en || localized.zh : localized.zh || localized.en) ?? '';
}

/** A refusal in words: the page's message for its problem type, filled in with the venue's limits when known. */
export function problemText(error, venue) {
  const own = `problem.${error?.type}`;
  const message = t(own, venue ? {
    leadMin: venue.leadMinDays, leadMax: venue.leadMaxDays, groupMin: venue.groupMin, groupMax: venue.groupMax, unitCap: venue.unitCapPerDay,
  } : {});
  return message !== own ? message : describeError(error);
}

/** The closed weekdays of a venue in words, e.g. 每周一闭馆 / Closed on Mon. */
export function closedDays(venue) {
  if (!venue.closedWeekdays?.length) return '';
  const days = venue.closedWeekdays.map(d => t(`unit.weekday.${d}`)).join(t('unit.weekday.join'));
  return t('unit.venue.closedOn', { days });
}

const WEEKDAY_NAMES = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

/** Whether the venue opens on a date by its weekly rule and dated exceptions (the server's availability has the last word). */
export function opensOn(venue, isoDate) {
  const exception = venue.exceptions?.find(e => e.date === isoDate);
  if (exception) return exception.open;
  return !venue.closedWeekdays.includes(WEEKDAY_NAMES[new Date(`${isoDate}T00:00:00Z`).getUTCDay()]);
}

/** The cities of the venues, each at the middle of its venues, as { id, name, lat, lon }. */
export function cities(list) {
  const byCity = new Map();
  for (const venue of list) {
    const city = byCity.get(venue.city) ?? { id: venue.city, name: text(venue.cityName), lat: 0, lon: 0, n: 0 };
    city.lat += venue.location.lat;
    city.lon += venue.location.lon;
    city.n += 1;
    byCity.set(venue.city, city);
  }
  return [...byCity.values()].map(c => ({ id: c.id, name: c.name, lat: c.lat / c.n, lon: c.lon / c.n }));
}

/** A file behind the bearer token as an object URL (revoked when the view is left: see revokeAll). */
const objectUrls = [];
export async function blobUrl(path) {
  const response = await api(path, { raw: true, headers: { Accept: '*/*' } });
  const url = URL.createObjectURL(await response.blob());
  objectUrls.push(url);
  return url;
}

export function revokeAll() {
  for (const url of objectUrls.splice(0)) URL.revokeObjectURL(url);
}

/** A view's heading row: an optional back link, the title and anything else on the right. */
export function heading(title, { back, extra } = {}) {
  return el('div', { className: 'row between view-head' },
    el('div', { className: 'row' },
      back ? el('a', { href: back, className: 'back' }, t('unit.back')) : null,
      el('h1', {}, title)),
    extra ?? null);
}

/** A line of the form "label: value" for a definition list. */
export function fact(label, value) {
  return [el('dt', {}, label), el('dd', {}, value)];
}

export function statusBadge(booking) {
  return el('span', { className: `badge ${booking.status}`, dataset: { status: booking.status } },
    t(`unit.status.${booking.status}`),
    booking.status === 'waitlisted' && booking.waitlistPosition ? ` · ${t('unit.status.position', { n: booking.waitlistPosition })}` : '');
}

export function errorLine(message) {
  return el('p', { className: 'error', role: 'alert' }, message);
}
