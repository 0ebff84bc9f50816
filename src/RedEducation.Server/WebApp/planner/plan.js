// What the planner page says about a plan and its venues, and the files it exports.
import { t, localText, lang } from '/js/i18n.js';

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

/** The weekday of a yyyy-MM-dd date, as the API names it (camelCase DayOfWeek). */
export function weekdayOf(isoDate) {
  return WEEKDAYS[new Date(`${isoDate}T00:00:00Z`).getUTCDay()];
}

/**
 * Notes on the chosen venues for that day, in words: closed (weekly rule or a dated exception, with its note),
 * opened by an exception, and each venue's opening hours and last entry.
 */
export function dayNotes(venues, isoDate) {
  const notes = [];
  const weekday = weekdayOf(isoDate);
  for (const venue of venues.filter(Boolean)) {
    const name = localText(venue.name);
    const exception = venue.exceptions.find(e => e.date === isoDate);
    if (exception && !exception.open) {
      notes.push({ kind: 'error', text: t('warn.closedException', { venue: name, note: localText(exception.note) || t('warn.noNote') }) });
    } else if (exception?.open && venue.closedWeekdays.includes(weekday)) {
      notes.push({ kind: 'ok', text: t('warn.openException', { venue: name, note: localText(exception.note) || t('warn.noNote') }) });
    } else if (venue.closedWeekdays.includes(weekday)) {
      notes.push({ kind: 'error', text: t('warn.closedWeekday', { venue: name, day: t(`day.${weekday}`) }) });
    } else {
      notes.push({ kind: 'hint', text: t('warn.hours', { venue: name, open: venue.hours.open, last: venue.hours.lastEntry, close: venue.hours.close }) });
    }
  }
  return notes;
}

export function kilometres(metres) {
  return (metres / 1000).toLocaleString(lang(), { maximumFractionDigits: 1, minimumFractionDigits: 1 });
}

/** A duration as h:mm in the reader's words (e.g. 2 小时 05 分 / 2 h 05 min). */
export function minutes(seconds) {
  const total = Math.round(seconds / 60);
  return t('time.hm', { h: Math.floor(total / 60), m: String(total % 60).padStart(2, '0') });
}

/** The plan as a GeoJSON FeatureCollection: the route line with its totals, then one point per stop with its times. */
export function planAsGeoJson(plan, venuesById) {
  return {
    type: 'FeatureCollection',
    features: [
      {
        type: 'Feature',
        geometry: plan.geometry,
        properties: {
          kind: 'route', date: plan.date, departAt: plan.departAt, returnAt: plan.returnAt ?? null,
          distanceMeters: plan.totalDistanceMeters, durationSeconds: plan.totalDurationSeconds,
        },
      },
      ...plan.stops.map((stop, index) => {
        const venue = venuesById.get(stop.venueId);
        return {
          type: 'Feature',
          geometry: { type: 'Point', coordinates: venue ? [venue.location.lon, venue.location.lat] : null },
          properties: {
            kind: 'stop', order: index + 1, venueId: stop.venueId, name: stop.name.zh, nameEn: stop.name.en,
            arrive: stop.arrive, visitStart: stop.visitStart, slot: stop.slot, depart: stop.depart,
          },
        };
      }),
    ],
  };
}

/** Saves a blob as a file through a temporary link. */
export function download(blob, fileName) {
  const url = URL.createObjectURL(blob);
  const link = Object.assign(document.createElement('a'), { href: url, download: fileName });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
