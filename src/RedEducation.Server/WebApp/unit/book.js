// #/book/<venue>[/<date>]: a venue's rules, its month of availability, and the booking form for the chosen slot.
import { api, newIdempotencyKey, session } from '/js/api.js';
import { t } from '/js/i18n.js';
import { el, toast, formatDate } from '/js/page.js';
import { venueById, text, closedDays, heading, fact, problemText, errorLine, actingUnit } from './common.js';
import { calendar } from './calendar.js';

const CONTACT_KEY = 'redu.unit.contact';

export async function bookView(main, venueId, date) {
  const venue = await venueById(venueId);
  if (!venue) {
    main.replaceChildren(heading(t('unit.venues.title'), { back: '#/venues' }), errorLine(t('problem.venue-not-found')));
    return;
  }
  const formBox = el('section', { className: 'card book-form', id: 'book-form', hidden: true });
  const cal = calendar(venue, {
    id: 'calendar',
    date,
    onPick: (day, slot) => showForm(formBox, venue, day, slot, () => cal.reload()),
  });
  main.replaceChildren(
    heading(text(venue.name), { back: '#/venues' }),
    el('div', { className: 'book-layout' },
      el('section', { className: 'card venue-facts' },
        el('dl', { className: 'facts' },
          fact(t('unit.venue.city'), text(venue.cityName)),
          fact(t('unit.venue.address'), text(venue.address)),
          fact(t('unit.venue.hours'), t('unit.venue.hoursValue', venue.hours)),
          closedDays(venue) ? fact('', closedDays(venue)) : null,
          fact(t('unit.venue.group'), t('unit.venue.groupValue', { min: venue.groupMin, max: venue.groupMax })),
          fact(t('unit.venue.lead'), t('unit.venue.leadValue', { min: venue.leadMinDays, max: venue.leadMaxDays })),
          fact('', t('unit.venue.unitCap', { n: venue.unitCapPerDay })),
          text(venue.requirements) ? fact(t('unit.venue.requirements'), text(venue.requirements)) : null)),
      el('section', { className: 'card' }, el('h2', {}, t('unit.calendar.title')), cal.element, formBox)));
}

/** The contact last used on this device, so an organiser does not type it for every booking. */
export function lastContact() {
  try {
    return JSON.parse(localStorage.getItem(CONTACT_KEY) ?? '{}');
  } catch {
    return {};
  }
}

export function rememberContact(contactName, contactPhone) {
  localStorage.setItem(CONTACT_KEY, JSON.stringify({ contactName, contactPhone }));
}

/**
 * Sends a request that creates something with an Idempotency-Key that is kept while the same body is retried after a
 * network failure or a server error, so a retry finds what the first attempt made; a new body, an answer or a refusal
 * starts a new key.
 */
export function idempotentSender() {
  let pending = null;
  return async (path, body) => {
    const signature = JSON.stringify(body);
    if (pending?.signature !== signature) pending = { signature, key: newIdempotencyKey() };
    try {
      const answer = await api(path, { method: 'POST', body, headers: { 'Idempotency-Key': pending.key } });
      pending = null;
      return answer;
    } catch (error) {
      if (!(error.isNetwork || error.status >= 500)) pending = null;
      throw error;
    }
  };
}

function showForm(box, venue, date, slot, refresh) {
  const waitlist = slot.remaining === 0;
  const contact = lastContact();
  const send = idempotentSender();
  const message = el('div', { className: 'form-message', id: 'book-message' });
  const headcount = el('input', { name: 'headcount', id: 'headcount', type: 'number', min: 1, required: true, inputMode: 'numeric' });
  const name = el('input', { name: 'contactName', id: 'contact-name', required: true, maxLength: 100, value: contact.contactName ?? session()?.displayName ?? '' });
  const phone = el('input', { name: 'contactPhone', id: 'contact-phone', required: true, maxLength: 32, type: 'tel', value: contact.contactPhone ?? '' });
  const submit = el('button', { type: 'submit', className: 'primary', id: 'book-submit' }, t(waitlist ? 'unit.book.submitWaitlist' : 'unit.book.submit'));

  async function book(asWaitlist) {
    message.replaceChildren();
    submit.disabled = true;
    const body = {
      venueId: venue.id, date, slot: slot.start, headcount: Number(headcount.value),
      contactName: name.value.trim(), contactPhone: phone.value.trim(), waitlist: asWaitlist, unitId: actingUnit(),
    };
    try {
      const booking = await send('/api/bookings', body);
      rememberContact(body.contactName, body.contactPhone);
      toast(booking.status === 'waitlisted' ? t('unit.book.waitlisted', { n: booking.waitlistPosition ?? '?' }) : t('unit.book.done'), 'ok');
      location.hash = `#/bookings/${encodeURIComponent(booking.id)}`;
    } catch (error) {
      message.replaceChildren(errorLine(problemText(error, venue)));
      if (error.type === 'slot-full' && !asWaitlist) {
        message.append(el('p', {}, t('unit.book.offerWaitlist'), ' ',
          el('button', { type: 'button', id: 'join-waitlist', onclick: () => book(true) }, t('unit.book.joinWaitlist'))));
      }
      refresh();
    } finally {
      submit.disabled = false;
    }
  }

  const form = el('form', { onsubmit: event => { event.preventDefault(); book(waitlist); } },
    el('div', { className: 'form-grid' },
      el('label', {}, el('span', {}, t('unit.book.headcount', { min: venue.groupMin, max: venue.groupMax })), headcount),
      el('label', {}, el('span', {}, t('unit.book.contactName')), name),
      el('label', {}, el('span', {}, t('unit.book.contactPhone')), phone)),
    waitlist ? el('p', { className: 'warn' }, t('unit.book.waitlistNote')) : null,
    message,
    el('div', { className: 'row' }, submit));
  box.replaceChildren(el('h3', {}, t('unit.book.title', { date: formatDate(date), slot: `${slot.start}–${slot.end}` })), form);
  box.hidden = false;
  box.scrollIntoView({ block: 'nearest' });
  headcount.focus();
}
