// /admin/ — administrators: venue rules and positions, accounts (units, staff and their venues, planners), ticket
// signing keys and the audit log.
import { t, onLangChange, translate } from '/js/i18n.js';
import { startPage, describeError, toast } from '/js/page.js';
import { messages } from '/admin/messages.js';
import { VenueEditor } from '/admin/venues.js';
import { AccountEditor } from '/admin/accounts.js';
import { KeyPanel, AuditPanel } from '/admin/keys.js';

startPage({ roles: ['admin'], messages });

const venues = new VenueEditor();
const accounts = new AccountEditor(() => venues.venues);
const keys = new KeyPanel();
const audit = new AuditPanel();
const loaders = { venues: () => venues.load(), accounts: () => accounts.load(), keys: () => keys.load(), audit: () => audit.load() };

async function show(view) {
  for (const tab of document.querySelectorAll('.tabs [role=tab]')) tab.setAttribute('aria-selected', String(tab.dataset.view === view));
  for (const name of Object.keys(loaders)) document.getElementById(`view-${name}`).hidden = name !== view;
  document.body.dataset.ready = 'false';
  try {
    await loaders[view]();
  } catch (error) {
    toast(describeError(error), 'error');
  }
  translate(document);
  document.body.dataset.ready = 'true';
}

for (const tab of document.querySelectorAll('.tabs [role=tab]')) tab.addEventListener('click', () => show(tab.dataset.view));
onLangChange(() => {
  venues.redraw();
  accounts.redraw();
  keys.draw();
  audit.draw();
  translate(document);
  document.title = t('nav.admin');
});

show('venues');
