// #/routes: the study routes the campaign office shares with units. Booking one plans the day (order, arrival,
// slots with room for the group) and books every stop at once, or none; each stop's outcome is shown.
import { api, ApiError } from '/js/api.js';
import { t } from '/js/i18n.js';
import { el, chinaToday, addDays, formatDate } from '/js/page.js';
import { venues, text, heading, statusBadge, problemText, errorLine, opensOn, cities, actingUnit } from './common.js';
import { idempotentSender, lastContact, rememberContact } from './book.js';

export async function routesView(main) {
  const [routes, all] = await Promise.all([api('/api/routes'), venues()]);
  const byId = new Map(all.map(v => [v.id, v]));
  const shared = routes.filter(r => r.sharedWithUnits);
  main.replaceChildren(
    heading(t('unit.routes.title')),
    el('p', { className: 'hint' }, t('unit.routes.hint')),
    shared.length === 0
      ? el('p', { className: 'hint', id: 'no-routes' }, t('unit.routes.empty'))
      : el('div', { className: 'route-list' }, shared.map(route => routeCard(route, byId, cities(all)))));
}

const DEPARTURES = ['07:00', '07:30', '08:00', '08:30', '09:00', '09:30', '10:00'];

/** The days on which every stop may be booked and opens, as options of a select. */
function dayOptions(stops) {
  const today = chinaToday();
  const options = [];
  const first = Math.max(0, ...stops.map(v => v.leadMinDays));
  const last = Math.min(...stops.map(v => v.leadMaxDays));
  for (let ahead = first; ahead <= last; ahead++) {
    const date = addDays(today, ahead);
    if (stops.every(v => opensOn(v, date))) options.push(el('option', { value: date }, formatDate(date)));
  }
  return options;
}

function routeCard(route, byId, starts) {
  const stops = route.venueIds.map(id => byId.get(id)).filter(Boolean);
  const contact = lastContact();
  const date = el('select', { name: 'date', required: true }, dayOptions(stops));
  const departAt = el('select', { name: 'departAt' }, DEPARTURES.map(time => el('option', { value: time, selected: time === '08:00' }, time)));
  const start = el('select', { name: 'start' }, starts.map(city => el('option', { value: city.id, selected: city.id === stops[0]?.city }, city.name)));
  const headcount = el('input', { type: 'number', name: 'headcount', min: 1, required: true, inputMode: 'numeric' });
  const name = el('input', { name: 'contactName', required: true, maxLength: 100, value: contact.contactName ?? '' });
  const phone = el('input', { name: 'contactPhone', type: 'tel', required: true, maxLength: 32, value: contact.contactPhone ?? '' });
  const submit = el('button', { type: 'submit', className: 'primary' }, t('unit.routes.book'));
  const outcome = el('div', { className: 'route-outcome' });
  const send = idempotentSender();
  const groupMin = Math.max(...stops.map(v => v.groupMin));
  const groupMax = Math.min(...stops.map(v => v.groupMax));

  function startPoint() {
    const city = starts.find(c => c.id === start.value) ?? starts[0];
    return { lat: city.lat, lon: city.lon };
  }

  async function book(event) {
    event.preventDefault();
    submit.disabled = true;
    outcome.replaceChildren(el('p', { className: 'hint' }, t('unit.loading')));
    const people = Number(headcount.value);
    try {
      const plan = await api('/api/routes/plan', {
        method: 'POST',
        body: { start: startPoint(), venues: route.venueIds, date: date.value, departAt: departAt.value, headcount: people },
      });
      const planned = plan.stops.map(s => ({ venueId: s.venueId, slot: s.slot }));
      try {
        const result = await send('/api/routes/bookings', {
          plan: { date: plan.date, stops: planned }, headcount: people, contactName: name.value.trim(), contactPhone: phone.value.trim(), unitId: actingUnit(),
        });
        rememberContact(name.value.trim(), phone.value.trim());
        outcome.replaceChildren(
          el('p', { className: 'ok', role: 'status' }, t('unit.routes.booked')),
          stopTable(plan.stops, byId, i => {
            const booking = result.bookings[i];
            return [statusBadge(booking), ' ', el('a', { href: `#/bookings/${encodeURIComponent(booking.id)}` }, t('unit.routes.outcome.booked', { slot: booking.slot }))];
          }));
      } catch (error) {
        if (!(error instanceof ApiError) || error.type !== 'route-not-booked') throw error;
        const failed = error.problem.failedStop ?? -1;
        const venue = byId.get(error.problem.venueId);
        const reason = problemText(new ApiError(409, { type: `/problems/${error.problem.reason}` }), venue);
        outcome.replaceChildren(
          errorLine(t('unit.routes.notBooked', { n: failed + 1, venue: text(venue?.name) || error.problem.venueId })),
          stopTable(plan.stops, byId, i => el('span', { className: i === failed ? 'error' : 'hint' },
            i < failed ? t('unit.routes.outcome.released')
              : i === failed ? t('unit.routes.outcome.refused', { reason })
                : t('unit.routes.outcome.notTried'))));
      }
    } catch (error) {
      const venue = byId.get(error.problem?.venueId);
      const why = error.type === 'infeasible' && error.problem.reason
        ? t(`unit.routes.reason.${error.problem.reason}`, { venue: text(venue?.name) })
        : problemText(error, venue);
      outcome.replaceChildren(errorLine(why));
    } finally {
      submit.disabled = false;
    }
  }

  return el('article', { className: 'card route', dataset: { route: route.id } },
    el('div', { className: 'row between' },
      el('h2', {}, route.name),
      el('span', { className: 'hint' }, t('unit.routes.stops', { n: stops.length }))),
    el('ol', { className: 'route-stops' }, stops.map(v => el('li', {}, text(v.name), ' ', el('span', { className: 'hint' }, text(v.cityName))))),
    route.notes ? el('p', { className: 'route-notes' }, route.notes) : null,
    el('form', { onsubmit: book },
      el('div', { className: 'form-grid' },
        el('label', {}, el('span', {}, t('unit.routes.date')), date),
        el('label', {}, el('span', {}, t('unit.routes.start')), start),
        el('label', {}, el('span', {}, t('unit.routes.departAt')), departAt),
        el('label', {}, el('span', {}, t('unit.book.headcount', { min: groupMin, max: groupMax })), headcount),
        el('label', {}, el('span', {}, t('unit.book.contactName')), name),
        el('label', {}, el('span', {}, t('unit.book.contactPhone')), phone)),
      el('div', { className: 'row' }, submit)),
    outcome);
}

function stopTable(stops, byId, cell) {
  return el('table', { className: 'route-result' },
    el('thead', {}, el('tr', {},
      el('th', {}, '#'), el('th', {}, t('unit.routes.stop')), el('th', {}, t('unit.routes.arrive')), el('th', {}, t('unit.routes.outcome')))),
    el('tbody', {}, stops.map((s, i) => el('tr', { dataset: { venue: s.venueId } },
      el('td', {}, String(i + 1)),
      el('td', {}, text(byId.get(s.venueId)?.name) || text(s.name)),
      el('td', {}, s.arrive),
      el('td', { className: 'outcome' }, cell(i))))));
}
