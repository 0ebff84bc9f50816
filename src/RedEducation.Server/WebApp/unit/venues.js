// #/venues: the venues as markers on a plain map (no tiles: none are reachable) and as a list with their rules.
import { t } from '/js/i18n.js';
import { el } from '/js/page.js';
import { venues, text, closedDays, heading, fact } from './common.js';

export async function venuesView(main) {
  const list = await venues();
  const mapBox = el('div', { id: 'venue-map', className: 'map' });
  main.replaceChildren(
    heading(t('unit.venues.title')),
    el('div', { className: 'venues-layout' },
      el('section', { className: 'card map-card' }, el('h2', {}, t('unit.venues.map')), mapBox),
      el('section', { className: 'venue-list', id: 'venue-list' },
        el('h2', {}, t('unit.venues.list')),
        list.map(venueCard))));
  drawMap(mapBox, list);
}

function venueCard(venue) {
  return el('article', { className: 'card venue', dataset: { venue: venue.id } },
    el('div', { className: 'row between' },
      el('h3', {}, text(venue.name)),
      el('span', { className: 'city' }, text(venue.cityName))),
    el('dl', { className: 'facts' },
      fact(t('unit.venue.address'), text(venue.address)),
      fact(t('unit.venue.hours'), [t('unit.venue.hoursValue', venue.hours), ' ', el('span', { className: 'hint' }, closedDays(venue))]),
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
function drawCityLabels(L, map, list) {
  const cities = new Map();
  for (const venue of list) {
    const key = venue.city;
    const entry = cities.get(key) ?? { name: text(venue.cityName), lat: 0, lon: 0, n: 0 };
    entry.lat += venue.location.lat;
    entry.lon += venue.location.lon;
    entry.n += 1;
    cities.set(key, entry);
  }
  for (const city of cities.values()) {
    L.marker([city.lat / city.n, city.lon / city.n], {
      icon: L.divIcon({ className: 'city-label', html: `<span>${escapeHtml(city.name)}</span>`, iconSize: null }),
      interactive: false,
      keyboard: false,
    }).addTo(map);
  }
}

function escapeHtml(value) {
  return String(value).replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}
