// Ticket signing keys (GET/POST /api/admin/ticket-keys, DELETE …/{id}) and the audit log (GET /api/admin/audit).
import { api } from '/js/api.js';
import { t } from '/js/i18n.js';
import { describeError, toast, el, formatDateTime } from '/js/page.js';

const $ = id => document.getElementById(id);

export class KeyPanel {
  constructor() {
    this.keys = [];
    this.confirming = null;
    $('rotate-key').addEventListener('click', () => this.rotate());
  }

  async load() {
    this.keys = await api('/api/admin/ticket-keys');
    this.draw();
  }

  draw() {
    $('key-table').tBodies[0].replaceChildren(...[...this.keys].sort((a, b) => b.keyId - a.keyId).map(key => el('tr', { dataset: { key: key.keyId } },
      el('td', { className: 'num' }, String(key.keyId)),
      el('td', {}, el('code', { className: 'public-key', title: key.publicKey }, key.publicKey)),
      el('td', {}, el('span', { className: `badge ${key.signing ? 'confirmed' : ''}` }, t(key.signing ? 'keys.signing' : 'keys.verifying'))),
      el('td', {}, key.signing ? null : el('button', {
        type: 'button', className: this.confirming === key.keyId ? 'danger' : '',
        onclick: () => this.retire(key.keyId),
      }, t(this.confirming === key.keyId ? 'keys.confirmRetire' : 'keys.retire'))))));
  }

  async rotate() {
    try {
      this.keys = await api('/api/admin/ticket-keys', { method: 'POST' });
      this.confirming = null;
      this.draw();
      toast(t('keys.rotated', { id: this.keys.find(k => k.signing)?.keyId }), 'ok');
    } catch (error) {
      toast(describeError(error), 'error');
    }
  }

  /** Retiring invalidates every ticket the key signed, so it takes a second click on the same button. */
  async retire(keyId) {
    if (this.confirming !== keyId) {
      this.confirming = keyId;
      this.draw();
      return;
    }
    try {
      this.keys = await api(`/api/admin/ticket-keys/${keyId}`, { method: 'DELETE' });
      this.confirming = null;
      this.draw();
      toast(t('keys.retired', { id: keyId }), 'ok');
    } catch (error) {
      toast(describeError(error), 'error');
    }
  }
}

export class AuditPanel {
  constructor() {
    this.entries = [];
    $('audit-refresh').addEventListener('click', () => this.load().catch(error => toast(describeError(error), 'error')));
  }

  async load() {
    const page = await api('/api/admin/audit?limit=100');
    this.entries = page.entries ?? [];
    this.draw();
  }

  draw() {
    $('audit-table').tBodies[0].replaceChildren(...this.entries.map(entry => el('tr', {},
      el('td', { className: 'nowrap' }, formatDateTime(entry.time)),
      el('td', {}, entry.actor),
      el('td', {}, t(`audit.action.${entry.action}`) === `audit.action.${entry.action}` ? entry.action : t(`audit.action.${entry.action}`)),
      el('td', {}, entry.target),
      el('td', { className: 'summary' }, readable(entry.summary)))));
  }
}

/**
 * Summaries recorded before 2026-11-27 hold Chinese as JSON escapes (\u8FBD…), and characters that matter to HTML are
 * escaped still: show them as the text they are.
 */
function readable(summary) {
  return summary.replace(/\\u([0-9a-fA-F]{4})/g, (_, hex) => String.fromCharCode(Number.parseInt(hex, 16)));
}
