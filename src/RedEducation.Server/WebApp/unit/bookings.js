// #/bookings: the unit's bookings; #/bookings/<id>: one booking with its ticket (QR, printable page, .ics) and the
// changes a unit may make: headcount, another day or slot, cancel.
import { api } from '/js/api.js';
import { t } from '/js/i18n.js';
import { el, toast, formatDate, formatDateTime } from '/js/page.js';
import { venues, venueById, text, heading, fact, statusBadge, problemText, errorLine, blobUrl, actingUnit } from './common.js';
import { calendar } from './calendar.js';

export async function bookingsView(main) {
  const unit = actingUnit();
  if (unit === '') {
    main.replaceChildren(heading(t('unit.bookings.title')), el('p', { className: 'hint' }, t('unit.acting.needed')));
    return;
  }
  const [list, all] = await Promise.all([api(unit ? `/api/bookings?unitId=${encodeURIComponent(unit)}` : '/api/bookings'), venues()]);
  const names = new Map(all.map(v => [v.id, v]));
  const body = list.length === 0
    ? el('p', { className: 'hint', id: 'no-bookings' }, t('unit.bookings.empty'))
    : el('table', { id: 'booking-list' },
      el('thead', {}, el('tr', {},
        el('th', {}, t('unit.bookings.venue')), el('th', {}, t('unit.bookings.date')), el('th', {}, t('unit.bookings.slot')),
        el('th', { className: 'num' }, t('unit.bookings.headcount')), el('th', {}, t('unit.bookings.status')), el('th', {}))),
      el('tbody', {}, list.map(b => el('tr', { dataset: { booking: b.id }, className: b.status },
        el('td', {}, text(names.get(b.venueId)?.name) || b.venueId),
        el('td', {}, formatDate(b.date)),
        el('td', {}, b.slot),
        el('td', { className: 'num' }, String(b.headcount)),
        el('td', {}, statusBadge(b)),
        el('td', { className: 'num' }, el('a', { href: `#/bookings/${encodeURIComponent(b.id)}` }, t('unit.bookings.open')))))));
  main.replaceChildren(heading(t('unit.bookings.title')), el('section', { className: 'card' }, body));
}

export async function bookingView(main, id) {
  let booking;
  try {
    booking = await api(`/api/bookings/${encodeURIComponent(id)}`);
  } catch (error) {
    main.replaceChildren(heading(t('unit.booking.title'), { back: '#/bookings' }), errorLine(problemText(error)));
    return;
  }
  const venue = await venueById(booking.venueId);
  const again = () => bookingView(main, id);
  const info = el('section', { className: 'card booking-info' },
    el('div', { className: 'row between' }, el('h2', {}, text(venue?.name) || booking.venueId), statusBadge(booking)),
    el('dl', { className: 'facts' },
      fact(t('unit.bookings.date'), formatDate(booking.date)),
      fact(t('unit.bookings.slot'), booking.slot),
      fact(t('unit.bookings.headcount'), el('span', { id: 'booking-headcount' }, String(booking.headcount))),
      fact(t('unit.booking.contact'), `${booking.contactName} · ${booking.contactPhone}`),
      fact(t('unit.booking.created'), formatDateTime(booking.createdAt)),
      fact(t('unit.booking.id'), el('code', {}, booking.id))));
  const sections = [info];
  if (booking.status === 'confirmed') sections.push(await ticketCard(booking));
  else if (booking.status === 'waitlisted') sections.push(el('section', { className: 'card' }, el('h2', {}, t('unit.ticket.title')), el('p', { className: 'hint' }, t('unit.ticket.none'))));
  main.replaceChildren(
    heading(t('unit.booking.title'), { back: '#/bookings' }),
    el('div', { className: 'booking-layout' }, sections),
    booking.status === 'cancelled' || !venue ? null : changes(booking, venue, again));
}

async function ticketCard(booking) {
  const base = `/api/bookings/${encodeURIComponent(booking.id)}`;
  const [png, html, ics] = await Promise.all([blobUrl(`${base}/ticket.png`), blobUrl(`${base}/ticket.html`), blobUrl(`${base}/calendar.ics`)]);
  return el('section', { className: 'card ticket' },
    el('h2', {}, t('unit.ticket.title')),
    el('div', { className: 'ticket-body' },
      el('img', { id: 'ticket-qr', src: png, alt: t('unit.ticket.alt'), width: 240, height: 240 }),
      el('div', {},
        el('p', { className: 'hint' }, t('unit.ticket.hint')),
        el('div', { className: 'ticket-links' },
          el('a', { className: 'button primary', id: 'ticket-print', href: html, target: '_blank', rel: 'noopener' }, t('unit.ticket.print')),
          el('a', { className: 'button', id: 'ticket-ics', href: ics, download: `visit-${booking.date}.ics` }, t('unit.ticket.ics')),
          el('a', { className: 'button', id: 'ticket-png', href: png, download: `ticket-${booking.date}.png` }, t('unit.ticket.png'))))));
}

function changes(booking, venue, again) {
  const base = `/api/bookings/${encodeURIComponent(booking.id)}`;
  const resizeMessage = el('div', { id: 'resize-message' });
  const headcount = el('input', { id: 'resize-headcount', type: 'number', min: 1, required: true, value: booking.headcount, inputMode: 'numeric' });
  const resize = el('form', {
    className: 'card', id: 'resize-form',
    onsubmit: async event => {
      event.preventDefault();
      try {
        const changed = await api(base, { method: 'PATCH', body: { headcount: Number(headcount.value) } });
        toast(t('unit.resize.done', { n: changed.headcount }), 'ok');
        await again();
      } catch (error) {
        resizeMessage.replaceChildren(errorLine(problemText(error, venue)));
      }
    },
  },
  el('h2', {}, t('unit.resize.title')),
  el('label', {}, el('span', {}, t('unit.book.headcount', { min: venue.groupMin, max: venue.groupMax })), headcount),
  resizeMessage,
  el('button', { type: 'submit', className: 'primary', id: 'resize-submit' }, t('unit.resize.submit')));

  const moveMessage = el('div', { id: 'reschedule-message' });
  const cal = calendar(venue, {
    id: 'reschedule-calendar',
    date: booking.date,
    current: { date: booking.date, slot: booking.slot },
    onPick: (date, slot) => {
      moveMessage.replaceChildren(el('button', {
        type: 'button', className: 'primary', id: 'reschedule-confirm',
        onclick: async () => {
          try {
            const moved = await api(`${base}/reschedule`, { method: 'POST', body: { date, slot: slot.start } });
            toast(t('unit.reschedule.done', { date: formatDate(moved.date), slot: moved.slot }), 'ok');
            await again();
          } catch (error) {
            moveMessage.replaceChildren(errorLine(problemText(error, venue)));
            cal.reload();
          }
        },
      }, t('unit.reschedule.confirm', { date: formatDate(date), slot: slot.start })));
    },
  });
  const reschedule = el('section', { className: 'card', id: 'reschedule' },
    el('h2', {}, t('unit.reschedule.title')), el('p', { className: 'hint' }, t('unit.reschedule.hint')), cal.element, moveMessage);

  const cancelBox = el('div', { id: 'cancel-box' });
  const cancelButton = el('button', {
    type: 'button', className: 'danger', id: 'cancel-booking',
    onclick: () => {
      cancelButton.hidden = true;
      cancelBox.replaceChildren(el('div', { className: 'confirm', role: 'alertdialog' },
        el('p', {}, t('unit.cancel.confirm')),
        el('div', { className: 'row' },
          el('button', {
            type: 'button', className: 'danger', id: 'cancel-yes',
            onclick: async () => {
              try {
                await api(`${base}/cancel`, { method: 'POST' });
                toast(t('unit.cancel.done'), 'ok');
                await again();
              } catch (error) {
                cancelBox.replaceChildren(errorLine(problemText(error, venue)));
                cancelButton.hidden = false;
              }
            },
          }, t('unit.cancel.yes')),
          el('button', { type: 'button', id: 'cancel-no', onclick: () => { cancelBox.replaceChildren(); cancelButton.hidden = false; } }, t('unit.cancel.no')))));
    },
  }, t('unit.cancel.button'));
  const cancel = el('section', { className: 'card', id: 'cancel' }, el('h2', {}, t('unit.cancel.title')), cancelButton, cancelBox);

  return el('div', { className: 'changes' }, el('div', { className: 'changes-side' }, resize, cancel), reschedule);
}
