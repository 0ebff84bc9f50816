// The unit organiser's page: one page, views chosen by the address's hash —
// #/venues (map and list), #/book/<venue>[/<date>] (calendar and booking), #/bookings, #/bookings/<id>, #/routes.
import { startPage, el } from '/js/page.js';
import { onLangChange, t } from '/js/i18n.js';
import { messages } from './messages.js';
import { revokeAll, problemText, errorLine, actingBar } from './common.js';
import { venuesView } from './venues.js';
import { bookView } from './book.js';
import { bookingsView, bookingView } from './bookings.js';
import { routesView } from './routes.js';

startPage({ roles: ['unit', 'admin'], messages });
const main = document.getElementById('main');
const acting = document.getElementById('acting');

function route() {
  const [view = 'venues', id, date] = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  switch (view) {
    case 'book': return { tab: 'venues', draw: box => bookView(box, id, date) };
    case 'bookings': return { tab: 'bookings', draw: box => (id ? bookingView(box, id) : bookingsView(box)) };
    case 'routes': return { tab: 'routes', draw: box => routesView(box) };
    default: return { tab: 'venues', draw: box => venuesView(box) };
  }
}

let shown = 0;

// Each view draws into a box of its own: a view still loading when the user moves on fills a box no longer shown.
async function show() {
  const current = ++shown;
  revokeAll();
  const { tab, draw } = route();
  for (const link of document.querySelectorAll('#unit-tabs a')) {
    if (link.dataset.tab === tab) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  acting.replaceChildren(actingBar(show) ?? '');
  const box = el('div', { className: 'view' }, el('p', { className: 'hint' }, t('unit.loading')));
  main.replaceChildren(box);
  main.setAttribute('aria-busy', 'true');
  try {
    await draw(box);
  } catch (error) {
    box.replaceChildren(errorLine(problemText(error)));
  } finally {
    if (current === shown) main.removeAttribute('aria-busy');
  }
}

window.addEventListener('hashchange', show);
onLangChange(show);
show();
