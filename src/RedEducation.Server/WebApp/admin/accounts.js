// Accounts for administrators (GET/POST /api/admin/accounts, PATCH /api/admin/accounts/{username}): units, venue staff
// bound to their venues, planners; create, rebind, reset a password, disable and enable.
import { api, ApiError } from '/js/api.js';
import { t, localText } from '/js/i18n.js';
import { toast, el } from '/js/page.js';
import { fieldErrors } from '/admin/venues.js';

const $ = id => document.getElementById(id);

export class AccountEditor {
  constructor(venues) {
    this.venues = venues;
    this.accounts = [];
    this.editing = null;
    $('account-form').addEventListener('submit', event => this.save(event));
    $('account-new').addEventListener('click', () => this.edit(null));
    $('acc-role').addEventListener('change', () => this.drawRoleFields());
    $('account-filter').addEventListener('change', () => this.load());
    this.edit(null);
  }

  async load() {
    const role = $('account-filter').value;
    try {
      this.accounts = await api(`/api/admin/accounts${role ? `?role=${role}` : ''}`);
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        // A server without the account API: say so instead of an empty table.
        $('accounts-missing').hidden = false;
        $('account-form').hidden = true;
        return;
      }
      throw error;
    }
    this.drawTable();
    // The venue choices need the venues, which may have arrived after the form was first drawn.
    this.drawVenueChecks([...document.querySelectorAll('#acc-venues input:checked')].map(i => i.value).concat(this.editing?.venueIds ?? []));
  }

  venueName(id) {
    const venue = this.venues().find(v => v.id === id);
    return venue ? localText(venue.name) : id;
  }

  drawTable() {
    $('account-table').tBodies[0].replaceChildren(...this.accounts.map(account => el('tr', { dataset: { username: account.username } },
      el('td', {}, el('code', {}, account.username)),
      el('td', {}, account.displayName),
      el('td', {}, t(`role.${account.role}`)),
      el('td', { className: 'bound' }, account.role === 'unit' ? account.unitId ?? '' : account.venueIds.map(id => this.venueName(id)).join(t('list.sep'))),
      el('td', {}, el('span', { className: `badge ${account.disabled ? 'cancelled' : 'confirmed'}` }, t(account.disabled ? 'accounts.isDisabled' : 'accounts.isActive'))),
      el('td', {}, account.role === 'admin' ? null : el('button', { type: 'button', className: 'link', onclick: () => this.edit(account) }, t('accounts.edit'))))));
  }

  drawVenueChecks(chosen) {
    $('acc-venues').replaceChildren(...this.venues().map(venue => el('label', { className: 'check' },
      el('input', { type: 'checkbox', value: venue.id, checked: chosen.includes(venue.id), dataset: { venue: venue.id } }),
      el('span', {}, localText(venue.name)))));
  }

  drawRoleFields() {
    const role = this.editing?.role ?? $('acc-role').value;
    $('acc-unit-field').hidden = role !== 'unit';
    $('acc-venues-field').hidden = role !== 'staff';
  }

  /** Fills the form to create an account (account null) or to change one. */
  edit(account) {
    this.editing = account;
    const creating = account === null;
    $('account-form-title').textContent = creating ? t('accounts.create') : t('accounts.change', { name: account.username });
    $('account-save').textContent = creating ? t('accounts.createButton') : t('common.save');
    $('acc-username').value = account?.username ?? '';
    $('acc-username').disabled = !creating;
    $('acc-display').value = account?.displayName ?? '';
    $('acc-role').value = account?.role ?? 'staff';
    $('acc-role').disabled = !creating;
    $('acc-unit').value = account?.unitId ?? '';
    $('acc-unit').disabled = !creating;
    $('acc-password').value = '';
    $('acc-password').required = creating;
    $('acc-password-label').textContent = creating ? t('accounts.password') : t('accounts.newPassword');
    $('acc-disabled-field').hidden = creating;
    $('acc-disabled').checked = account?.disabled ?? false;
    $('account-new').hidden = creating;
    $('acc-hint').textContent = creating ? t('accounts.createHint') : t('accounts.changeHint');
    $('account-errors').replaceChildren();
    this.drawVenueChecks(account?.venueIds ?? []);
    this.drawRoleFields();
    if (!creating) $('account-form').scrollIntoView({ block: 'nearest' });
  }

  redraw() {
    this.drawTable();
    const chosen = [...document.querySelectorAll('#acc-venues input:checked')].map(i => i.value);
    const account = this.editing;
    const typed = { display: $('acc-display').value, username: $('acc-username').value, unit: $('acc-unit').value };
    this.edit(account);
    this.drawVenueChecks(chosen);
    $('acc-display').value = typed.display;
    $('acc-username').value = typed.username;
    $('acc-unit').value = typed.unit;
  }

  async save(event) {
    event.preventDefault();
    const venueIds = [...document.querySelectorAll('#acc-venues input:checked')].map(i => i.value);
    const password = $('acc-password').value;
    const creating = this.editing === null;
    const role = creating ? $('acc-role').value : this.editing.role;
    let request;
    if (creating) {
      request = {
        path: '/api/admin/accounts', method: 'POST',
        body: {
          username: $('acc-username').value.trim(), displayName: $('acc-display').value.trim(), role, password,
          unitId: role === 'unit' ? $('acc-unit').value.trim() : undefined,
          venueIds: role === 'staff' ? venueIds : undefined,
        },
      };
    } else {
      request = {
        path: `/api/admin/accounts/${encodeURIComponent(this.editing.username)}`, method: 'PATCH',
        body: {
          displayName: $('acc-display').value.trim(),
          venueIds: role === 'staff' ? venueIds : undefined,
          password: password || undefined,
          disabled: $('acc-disabled').checked,
        },
      };
    }
    try {
      const saved = await api(request.path, { method: request.method, body: request.body });
      toast(t(creating ? 'accounts.created' : 'accounts.saved', { name: saved.username }), 'ok');
      await this.load();
      this.edit(creating ? null : saved);
    } catch (error) {
      const own = t(`problem.${error.type}`);
      $('account-errors').replaceChildren(...(own !== `problem.${error.type}` ? [own] : fieldErrors(error)).map(p => el('li', {}, p)));
    }
  }
}
