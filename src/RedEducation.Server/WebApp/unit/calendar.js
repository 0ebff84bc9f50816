// A venue's month of availability and the slots of the chosen day. Days outside the venue's lead time are shown
// disabled with the reason, without asking the server; the others come from GET /api/venues/{id}/availability.
import { api } from '/js/api.js';
import { t, lang } from '/js/i18n.js';
import { el, chinaToday, addDays, formatDate } from '/js/page.js';
import { text, problemText, errorLine, opensOn } from './common.js';

const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

function dayNumber(isoDate) {
  return Date.parse(`${isoDate}T00:00:00Z`) / 86_400_000;
}

/** The first day from first to last on which the venue opens by its rules (first if none), to open the calendar there. */
function firstOpen(venue, first, last) {
  for (let date = first; date <= last; date = addDays(date, 1)) {
    if (opensOn(venue, date)) return date;
  }
  return first;
}

/**
 * The calendar of one venue (id: the element's id). onPick(date, slot) is called when a slot is chosen; slot is the availability entry
 * ({ start, end, capacity, remaining, waitlisted }); current ({ date, slot }) marks the slot a booking holds now. Returns the element and reload(), to show changed numbers.
 */
export function calendar(venue, { id, onPick, date: initialDate, current }) {
  const today = chinaToday();
  const first = addDays(today, venue.leadMinDays);
  const last = addDays(today, venue.leadMaxDays);
  const cache = new Map();
  let selected = initialDate && dayNumber(initialDate) >= dayNumber(first) && dayNumber(initialDate) <= dayNumber(last) ? initialDate : null;
  let month = (selected ?? firstOpen(venue, first, last)).slice(0, 7);

  const grid = el('div', { className: 'cal-grid' });
  const title = el('h3', { className: 'cal-month' });
  const prev = el('button', { type: 'button', className: 'cal-nav', onclick: () => move(-1) }, '‹');
  const next = el('button', { type: 'button', className: 'cal-nav', onclick: () => move(1) }, '›');
  prev.title = t('unit.calendar.prev');
  next.title = t('unit.calendar.next');
  const slots = el('div', { className: 'slots' }, el('p', { className: 'hint' }, t('unit.slots.pick')));
  const root = el('div', { className: 'calendar', id },
    el('div', { className: 'row between cal-head' }, prev, title, next),
    grid,
    el('p', { className: 'hint' }, t('unit.calendar.legend')),
    slots);

  function move(delta) {
    const [y, m] = month.split('-').map(Number);
    const d = new Date(Date.UTC(y, m - 1 + delta, 1));
    month = d.toISOString().slice(0, 7);
    draw();
  }

  function availability(date) {
    if (!cache.has(date)) {
      const request = api(`/api/venues/${encodeURIComponent(venue.id)}/availability?date=${date}`);
      request.catch(() => cache.delete(date));
      cache.set(date, request);
    }
    return cache.get(date);
  }

  function draw() {
    const [y, m] = month.split('-').map(Number);
    const start = `${month}-01`;
    const daysInMonth = new Date(Date.UTC(y, m, 0)).getUTCDate();
    const lead = (new Date(`${start}T00:00:00Z`).getUTCDay() + 6) % 7;
    title.textContent = new Intl.DateTimeFormat(lang(), { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(new Date(`${start}T00:00:00Z`));
    prev.disabled = month <= today.slice(0, 7);
    next.disabled = month >= last.slice(0, 7);
    const cells = WEEKDAYS.map(d => el('div', { className: 'cal-weekday' }, t(`unit.weekday.${d}`)));
    for (let i = 0; i < lead; i++) cells.push(el('div', { className: 'cal-day blank' }));
    for (let d = 1; d <= daysInMonth; d++) {
      const date = `${month}-${String(d).padStart(2, '0')}`;
      cells.push(dayCell(date));
    }
    grid.replaceChildren(...cells);
  }

  function dayCell(date) {
    const n = dayNumber(date);
    const label = el('span', { className: 'cal-state' });
    const cell = el('button', { type: 'button', className: 'cal-day', dataset: { date }, disabled: true },
      el('span', { className: 'cal-num' }, String(Number(date.slice(8)))), label);
    if (date === selected) cell.classList.add('selected');
    if (n < dayNumber(today)) {
      cell.classList.add('past');
      return cell;
    }
    if (n < dayNumber(first)) {
      cell.classList.add('off');
      label.textContent = t('unit.calendar.tooSoon', { n: venue.leadMinDays });
      cell.title = t('unit.calendar.tooSoonWhy', { n: venue.leadMinDays });
      return cell;
    }
    if (n > dayNumber(last)) {
      cell.classList.add('off');
      label.textContent = t('unit.calendar.tooFar');
      cell.title = t('unit.calendar.tooFarWhy', { n: venue.leadMaxDays });
      return cell;
    }
    label.textContent = '…';
    availability(date).then(day => {
      // Slots together may offer more than the daily cap allows.
      const booked = day.slots.reduce((sum, s) => sum + s.booked, 0);
      const free = Math.max(0, Math.min(day.slots.reduce((sum, s) => sum + s.remaining, 0), venue.dailyCap - booked));
      const exception = venue.exceptions?.find(e => e.date === date);
      if (!day.open) {
        cell.classList.add('closed');
        label.textContent = t('unit.calendar.closed');
        cell.title = exception ? text(exception.note) : t('unit.calendar.closed');
        return;
      }
      cell.disabled = false;
      cell.addEventListener('click', () => choose(date, cell));
      if (free === 0) {
        cell.classList.add('full');
        label.textContent = t('unit.calendar.full');
      } else {
        cell.classList.add('open');
        label.textContent = t('unit.calendar.open', { n: free });
      }
    }, error => {
      label.textContent = '';
      cell.title = problemText(error, venue);
    });
    return cell;
  }

  async function choose(date, cell) {
    selected = date;
    for (const other of grid.querySelectorAll('.cal-day.selected')) other.classList.remove('selected');
    cell?.classList.add('selected');
    slots.replaceChildren(el('p', { className: 'hint' }, t('unit.loading')));
    try {
      const day = await availability(date);
      slots.replaceChildren(slotTable(date, day));
    } catch (error) {
      slots.replaceChildren(errorLine(problemText(error, venue)));
    }
  }

  function slotTable(date, day) {
    if (!day.open || day.slots.length === 0) return el('p', { className: 'hint' }, t('unit.slots.none'));
    return el('div', {},
      el('h3', {}, t('unit.slots.title', { date: formatDate(date) })),
      el('table', { className: 'slot-table' },
        el('thead', {}, el('tr', {},
          el('th', {}, t('unit.slots.time')), el('th', { className: 'num' }, t('unit.slots.remaining')),
          el('th', { className: 'num' }, t('unit.slots.waitlisted')), el('th', {}))),
        el('tbody', {}, day.slots.map(slot => slotRow(date, slot)))));
  }

  function slotRow(date, slot) {
    const isCurrent = current?.date === date && current?.slot === slot.start;
    const row = el('tr', { dataset: { slot: slot.start }, className: isCurrent ? 'current' : slot.remaining === 0 ? 'full' : '' },
      el('td', {}, `${slot.start}–${slot.end}`),
      el('td', { className: 'num' }, `${slot.remaining} / ${slot.capacity}`),
      el('td', { className: 'num' }, String(slot.waitlisted)),
      el('td', { className: 'num' }, isCurrent
        ? el('span', { className: 'badge' }, t('unit.slots.current'))
        : el('button', {
          type: 'button',
          className: slot.remaining === 0 ? '' : 'primary',
          onclick: () => {
            for (const other of row.parentElement.querySelectorAll('tr.chosen')) other.classList.remove('chosen');
            row.classList.add('chosen');
            onPick(date, slot);
          },
        }, t(slot.remaining === 0 ? 'unit.slots.waitlist' : 'unit.slots.choose'))));
    return row;
  }

  draw();
  if (selected) choose(selected, grid.querySelector(`[data-date="${selected}"]`));
  return {
    element: root,
    /** Forgets the numbers read so far and redraws, e.g. after a booking changed them. */
    reload() {
      cache.clear();
      draw();
      if (selected) choose(selected, grid.querySelector(`[data-date="${selected}"]`));
    },
  };
}
