// #/venues: the venues as markers on a plain map (no tiles: none are reachable) and as a list with their rules.
import { t } from '/js/i18n.js';
import { el } from '/js/page.js';
import { venues, text, closedDays, heading, fact, cities } from './common.js';

export async function venuesView(main) {
  const list = await venues();
  const mapBox = el('div', { id: 'venue-map', className: 'map' });
  main.replaceChildren(
    heading(t('unit.venues.title')),
    el('div', { className: 'venues-layout' },
      el('section', { className: 'card map-card' },
        el('div', { className: 'row between' },
          el('h2', {}, t('unit.venues.map')),
          el('div', { className: 'legend' },
            el('span', { className: 'dot memorial' }), t('unit.venues.memorial'),
            el('span', { className: 'dot route-site' }), t('unit.venues.routeSite'))),
        mapBox),
      el('section', { id: 'venue-list' },
        el('h2', {}, t('unit.venues.list')),
        el('div', { className: 'venue-list' }, list.map(venueCard)))));
  drawMap(mapBox, list);
}

function venueCard(venue) {
  return el('article', { className: 'card venue', dataset: { venue: venue.id } },
    el('h3', {}, text(venue.name)),
    el('div', { className: 'city' }, text(venue.cityName)),
    el('dl', { className: 'facts' },
      fact(t('unit.venue.address'), text(venue.address)),
      fact(t('unit.venue.hours'), [t('unit.venue.hoursValue', venue.hours), el('div', { className: 'hint' }, closedDays(venue))]),
      fact(t('unit.venue.group'), t('unit.venue.groupValue', { min: venue.groupMin, max: venue.groupMax })),
      fact(t('unit.venue.lead'), t('unit.venue.leadValue', { min: venue.leadMinDays, max: venue.leadMaxDays }))),
    el('div', { className: 'row between' },
      el('span', { className: 'hint' }, t('unit.venue.unitCap', { n: venue.unitCapPerDay })),
      el('a', { className: 'button primary', href: `#/book/${encodeURIComponent(venue.id)}` }, t('unit.venue.book'))));
}

function drawMap(box, list) {
  const L = window.L;
  if (!L || list.length === 0) return;
  const map = L.map(box, { attributionControl: false, zoomSnap: 0.25 });
  const points = [];
  for (const venue of list) {
    const at = [venue.location.lat, venue.location.lon];
    points.push(at);
    const marker = L.circleMarker(at, {
      radius: venue.kind === 'memorial' ? 9 : 7, color: '#7f0000', weight: 2, fillColor: venue.kind === 'memorial' ? '#b71c1c' : '#c9a227', fillOpacity: 0.9,
    }).addTo(map);
    const approx = venue.coordinate?.approximate ? `<br><small>${escapeHtml(t('unit.venues.approximate', { m: venue.coordinate.accuracyMeters }))}</small>` : '';
    marker.bindTooltip(`${escapeHtml(text(venue.name))}<br><small>${escapeHtml(text(venue.cityName))}</small>${approx}`);
    marker.on('click', () => { location.hash = `#/book/${encodeURIComponent(venue.id)}`; });
  }
  map.fitBounds(L.latLngBounds(points), { padding: [30, 30] });
  drawCityLabels(L, map, list);
}

// Without a tile layer the markers float on a plain background: the city names give the reader their bearings.
// A label goes below its city, or above it where it would cover a label already placed.
function drawCityLabels(L, map, list) {
  const placed = [];
  const overlaps = box => placed.some(p => box.left < p.right && p.left < box.right && box.top < p.bottom && p.top < box.bottom);
  for (const city of cities(list).sort((a, b) => b.lat - a.lat)) {
    const at = map.latLngToContainerPoint([city.lat, city.lon]);
    const width = city.name.length * (/^[\x00-\x7f]*$/.test(city.name) ? 7 : 13) + 10;
    const box = top => ({ left: at.x - width / 2, right: at.x + width / 2, top: at.y + top, bottom: at.y + top + 18 });
    const below = box(10);
    const above = box(-28);
    const where = !overlaps(below) || overlaps(above) ? below : above;
    placed.push(where);
    L.marker([city.lat, city.lon], {
      icon: L.divIcon({ className: `city-label ${where === below ? 'below' : 'above'}`, html: `<span>${escapeHtml(city.name)}</span>`, iconSize: null }),
      interactive: false,
      keyboard: false,
    }).addTo(map);
  }
}

function escapeHtml(value) {
  return String(value).replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}
