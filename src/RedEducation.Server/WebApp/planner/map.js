// The planner's map: Leaflet without any tile layer (none is reachable), drawn only from the project's own geodata —
// the province outline, the road skeleton the router uses, the venues — plus the planned route or the campaign route.
import { api } from '/js/api.js';
import { localText, t } from '/js/i18n.js';

const L = window.L;
const LIAONING = [[38.7, 118.8], [43.5, 125.8]];
const ROAD_STYLE = {
  motorway: { color: '#c77d19', weight: 3 },
  trunk: { color: '#8a6d3b', weight: 2.2 },
  primary: { color: '#9e9e9e', weight: 1.6 },
  secondary: { color: '#b0b0b0', weight: 1.4, dashArray: '4 3' },
};

export class PlannerMap {
  constructor(element, { onVenueClick, onMapClick }) {
    this.map = L.map(element, { zoomSnap: 0.25, attributionControl: true, preferCanvas: false });
    this.map.fitBounds(LIAONING);
    this.map.attributionControl.setPrefix(false);
    this.map.attributionControl.addAttribution('Natural Earth · GeoNames CC-BY 4.0');
    this.venueLayer = L.layerGroup().addTo(this.map);
    this.routeLayer = L.layerGroup().addTo(this.map);
    this.storyLayer = L.layerGroup().addTo(this.map);
    this.markers = new Map();
    this.onVenueClick = onVenueClick;
    this.map.on('click', event => onMapClick?.(event.latlng));
    L.control.scale({ imperial: false }).addTo(this.map);
  }

  /** Loads the outline and the roads (static files under /geodata/) beneath everything else. */
  async loadBase() {
    const [outline, roads] = await Promise.all([api('/geodata/liaoning-outline.geojson'), api('/geodata/roads.geojson')]);
    L.geoJSON(outline, {
      interactive: false,
      style: { color: '#7f0000', weight: 1.5, fillColor: '#fffdf5', fillOpacity: 1, className: 'province-outline' },
    }).addTo(this.map).bringToBack();
    L.geoJSON(roads, {
      interactive: false,
      style: feature => ({ ...(ROAD_STYLE[feature.properties.highway] ?? ROAD_STYLE.primary), opacity: 0.9, className: 'road' }),
    }).addTo(this.map);
    this.venueLayer.remove();
    this.venueLayer.addTo(this.map);
    this.routeLayer.remove();
    this.routeLayer.addTo(this.map);
    this.storyLayer.remove();
    this.storyLayer.addTo(this.map);
  }

  /** One marker per venue, labelled with its name in the current language; selected ones are filled red. */
  showVenues(venues, selected) {
    this.venueLayer.clearLayers();
    this.markers.clear();
    for (const venue of venues) {
      const on = selected.has(venue.id);
      const marker = L.circleMarker([venue.location.lat, venue.location.lon], {
        radius: on ? 8 : 6, color: '#7f0000', weight: 2, fillColor: on ? '#b71c1c' : '#ffffff', fillOpacity: 1,
        className: `venue-marker${on ? ' selected' : ''}`,
      });
      const direction = labelDirection(venue, venues);
      const offset = { right: [8, 0], left: [-8, 0], top: [0, -8], bottom: [0, 8] }[direction];
      marker.bindTooltip(localText(venue.name), { permanent: true, direction, offset, className: 'venue-label' });
      marker.on('click', event => {
        L.DomEvent.stopPropagation(event);
        this.onVenueClick?.(venue.id);
      });
      marker.addTo(this.venueLayer);
      this.markers.set(venue.id, marker);
    }
  }

  clearRoute() {
    this.routeLayer.clearLayers();
  }

  /** The planned day: the road geometry, a numbered marker per stop, the start; the map fits the route. */
  showPlan(plan, venuesById, start) {
    this.routeLayer.clearLayers();
    const line = plan.geometry.coordinates.map(([lon, lat]) => [lat, lon]);
    L.polyline(line, { color: '#ffffff', weight: 8, opacity: 0.9, smoothFactor: 0, interactive: false }).addTo(this.routeLayer);
    L.polyline(line, { color: '#b71c1c', weight: 5, smoothFactor: 0, className: 'route-line' }).addTo(this.routeLayer);
    if (start) {
      L.marker([start.lat, start.lon], {
        icon: L.divIcon({ className: 'start-icon', html: '<span>⌂</span>', iconSize: [24, 24] }),
        title: t('planner.startMarker'),
      }).addTo(this.routeLayer);
    }
    plan.stops.forEach((stop, index) => {
      const venue = venuesById.get(stop.venueId);
      if (!venue) return;
      L.marker([venue.location.lat, venue.location.lon], {
        icon: L.divIcon({ className: 'stop-icon', html: `<span>${index + 1}</span>`, iconSize: [26, 26] }),
        title: localText(venue.name),
        zIndexOffset: 1000,
      }).addTo(this.routeLayer);
    });
    if (line.length > 1) this.map.fitBounds(L.latLngBounds(line).pad(0.15));
  }

  /** The campaign route, drawn once; each stop a numbered gold marker. */
  showStory(route) {
    this.storyLayer.clearLayers();
    const line = route.geometry.coordinates.map(([lon, lat]) => [lat, lon]);
    L.polyline(line, { color: '#7f0000', weight: 4, dashArray: '8 6', smoothFactor: 0, className: 'story-line' }).addTo(this.storyLayer);
    for (const stop of route.stops) {
      L.marker([stop.location.lat, stop.location.lon], {
        icon: L.divIcon({ className: 'story-icon', html: `<span>${stop.order}</span>`, iconSize: [26, 26] }),
        title: localText(stop.name),
      }).addTo(this.storyLayer);
      if (stop.approximate) {
        L.circle([stop.location.lat, stop.location.lon], {
          radius: stop.accuracyMeters, color: '#c9a227', weight: 1, fillOpacity: 0.08, interactive: false,
        }).addTo(this.storyLayer);
      }
    }
  }

  hideStory() {
    this.storyLayer.clearLayers();
  }

  flyTo(lat, lon, zoom = 10) {
    this.map.flyTo([lat, lon], zoom, { duration: 0.8 });
  }

  fitProvince() {
    this.map.fitBounds(LIAONING);
  }

  invalidate() {
    this.map.invalidateSize();
  }
}

/**
 * Where a venue's name goes so that it does not cover a neighbour at province scale: of two venues a few kilometres
 * apart, the northern one is labelled above and the southern one below; a venue with a neighbour close to its east is
 * labelled on its left; all others on the right.
 */
function labelDirection(venue, venues) {
  const { lat, lon } = venue.location;
  const others = venues.filter(v => v !== venue).map(v => ({ dLat: v.location.lat - lat, dLon: v.location.lon - lon }));
  const twin = others.find(o => Math.abs(o.dLat) < 0.1 && Math.abs(o.dLon) < 0.1);
  if (twin) return twin.dLat < 0 ? 'top' : 'bottom';
  return others.some(o => o.dLon > 0 && o.dLon < 0.6 && Math.abs(o.dLat) < 0.25) ? 'left' : 'right';
}
