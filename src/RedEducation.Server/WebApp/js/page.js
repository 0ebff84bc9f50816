// What every signed-in page shares: the session guard, the top bar (brand, pages of the role, language, sign out),
// messages for problems, and dates in China time.
import { session, signOut, ApiError } from './api.js';
import { t, lang, setLang, translate, addMessages } from './i18n.js';

const PAGES = [
  { href: '/unit/', key: 'nav.unit', roles: ['unit', 'admin'] },
  { href: '/staff/', key: 'nav.staff', roles: ['staff', 'admin'] },
  { href: '/planner/', key: 'nav.planner', roles: ['planner', 'unit', 'admin'] },
  { href: '/admin/', key: 'nav.admin', roles: ['admin'] },
];

/** The page each role lands on after signing in. */
export function homeOf(role) {
  return { unit: '/unit/', staff: '/staff/', planner: '/planner/', admin: '/admin/' }[role] ?? '/';
}

/**
 * Starts a page for the given roles: sends anyone else to the sign-in page, draws the top bar, translates the
 * document and returns the session.
 */
export function startPage({ roles, messages }) {
  if (messages) addMessages(messages);
  const current = session();
  if (!current || !roles.includes(current.role)) {
    location.replace(`/?next=${encodeURIComponent(location.pathname)}`);
    throw new Error('not signed in');
  }
  drawTopBar(current);
  translate(document);
  return current;
}

function drawTopBar(current) {
  const bar = document.querySelector('header.top') ?? document.body.insertBefore(document.createElement('header'), document.body.firstChild);
  bar.className = 'top';
  bar.replaceChildren();
  const brand = Object.assign(document.createElement('a'), { href: homeOf(current.role), className: 'brand' });
  brand.dataset.i18n = 'app.name';
  const nav = document.createElement('nav');
  for (const page of PAGES.filter(p => p.roles.includes(current.role))) {
    const link = Object.assign(document.createElement('a'), { href: page.href });
    link.dataset.i18n = page.key;
    if (location.pathname.startsWith(page.href)) link.setAttribute('aria-current', 'page');
    nav.append(link);
  }
  const who = Object.assign(document.createElement('span'), { className: 'who', textContent: current.displayName });
  const language = Object.assign(document.createElement('button'), { type: 'button', className: 'link', id: 'language' });
  language.dataset.i18n = 'nav.language';
  language.addEventListener('click', () => setLang(lang() === 'zh-CN' ? 'en' : 'zh-CN'));
  const out = Object.assign(document.createElement('button'), { type: 'button', className: 'link', id: 'sign-out' });
  out.dataset.i18n = 'nav.signOut';
  out.addEventListener('click', signOut);
  bar.append(brand, nav, who, language, out);
}

/** A problem or network failure as one line for the user: the page's own message for its type, else the server's title. */
export function describeError(error) {
  if (error instanceof ApiError) {
    if (error.isNetwork) return t('common.offline');
    const own = t(`problem.${error.type}`);
    if (own !== `problem.${error.type}`) return own;
    return [error.problem.title, error.problem.detail].filter(Boolean).join(' — ') || t('common.error');
  }
  return error?.message ?? t('common.error');
}

/** Shows a short message at the bottom of the page; kind is 'error', 'ok' or 'info'. */
export function toast(message, kind = 'info') {
  let area = document.getElementById('toasts');
  if (!area) {
    area = Object.assign(document.createElement('div'), { id: 'toasts' });
    area.setAttribute('role', 'status');
    area.setAttribute('aria-live', 'polite');
    document.body.append(area);
  }
  const item = Object.assign(document.createElement('div'), { className: `toast ${kind}`, textContent: message });
  area.append(item);
  setTimeout(() => item.remove(), kind === 'error' ? 8000 : 4000);
}

const CHINA = 'Asia/Shanghai';

/** A date (yyyy-MM-dd) as the user reads it, e.g. 2026年12月1日 星期二 / Tue, 1 Dec 2026. */
export function formatDate(isoDate) {
  const date = new Date(`${isoDate}T00:00:00+08:00`);
  return new Intl.DateTimeFormat(lang(), { timeZone: CHINA, year: 'numeric', month: 'short', day: 'numeric', weekday: 'short' }).format(date);
}

/** An instant as China time, e.g. 12月1日 09:30. */
export function formatDateTime(instant) {
  return new Intl.DateTimeFormat(lang(), { timeZone: CHINA, month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(instant));
}

/** Today in China as yyyy-MM-dd. */
export function chinaToday(now = new Date()) {
  return new Intl.DateTimeFormat('en-CA', { timeZone: CHINA, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** Adds days to a yyyy-MM-dd date. */
export function addDays(isoDate, days) {
  const date = new Date(`${isoDate}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** Creates an element: el('button', { className: 'primary', onclick }, 'text', child…). */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (key in node && key !== 'list' && key !== 'form') node[key] = value;
    else node.setAttribute(key, value === true ? '' : value);
  }
  node.append(...children.flat().filter(c => c !== null && c !== undefined && c !== false));
  return node;
}
