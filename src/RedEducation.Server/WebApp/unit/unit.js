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
    case 'book': return { tab: 'venues', draw: () => bookView(main, id, date) };
    case 'bookings': return { tab: 'bookings', draw: () => (id ? bookingView(main, id) : bookingsView(main)) };
    case 'routes': return { tab: 'routes', draw: () => routesView(main) };
    default: return { tab: 'venues', draw: () => venuesView(main) };
  }
}

async function show() {
  revokeAll();
  const { tab, draw } = route();
  for (const link of document.querySelectorAll('#unit-tabs a')) {
    if (link.dataset.tab === tab) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  acting.replaceChildren(actingBar(show) ?? '');
  main.setAttribute('aria-busy', 'true');
  main.replaceChildren(el('p', { className: 'hint' }, t('unit.loading')));
  try {
    await draw();
  } catch (error) {
    main.replaceChildren(errorLine(problemText(error)));
  } finally {
    main.removeAttribute('aria-busy');
  }
}

window.addEventListener('hashchange', show);
onLangChange(show);
show();
