// Messages in zh-CN (the first language) and English. Each page adds its own with addMessages; elements carry
// data-i18n="key" (text), data-i18n-placeholder, data-i18n-title or data-i18n-aria-label and are translated by translate().
const STORAGE_KEY = 'redu.lang';
export const LANGUAGES = ['zh-CN', 'en'];
const messages = { 'zh-CN': {}, en: {} };
const listeners = [];

export function addMessages(dictionary) {
  for (const lang of LANGUAGES) {
    Object.assign(messages[lang], dictionary[lang] ?? {});
  }
}

/** The language: ?lang= in the address, then the user's last choice, then zh-CN. */
export function lang() {
  const asked = new URLSearchParams(location.search).get('lang');
  if (LANGUAGES.includes(asked)) return asked;
  const saved = localStorage.getItem(STORAGE_KEY);
  return LANGUAGES.includes(saved) ? saved : 'zh-CN';
}

export function setLang(next) {
  if (!LANGUAGES.includes(next)) return;
  localStorage.setItem(STORAGE_KEY, next);
  const url = new URL(location.href);
  if (url.searchParams.has('lang')) {
    url.searchParams.set('lang', next);
    history.replaceState(null, '', url);
  }
  translate(document);
  for (const listener of listeners) listener(next);
}

/** Calls back after the language changes, so that a page can redraw what it rendered from data. */
export function onLangChange(listener) {
  listeners.push(listener);
}

/** The message for key in the current language, with {name} placeholders filled from vars. */
export function t(key, vars = {}) {
  const text = messages[lang()][key] ?? messages['zh-CN'][key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (name in vars ? String(vars[name]) : `{${name}}`));
}

/** A venue's or other record's name in the current language: name (zh) or nameEn where the record has one. */
export function localName(record) {
  if (!record) return '';
  return lang() === 'en' ? (record.nameEn ?? record.name) : (record.name ?? record.nameEn);
}

export function translate(root) {
  document.documentElement.lang = lang();
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-placeholder]')) el.placeholder = t(el.dataset.i18nPlaceholder);
  for (const el of root.querySelectorAll('[data-i18n-title]')) el.title = t(el.dataset.i18nTitle);
  for (const el of root.querySelectorAll('[data-i18n-aria-label]')) el.setAttribute('aria-label', t(el.dataset.i18nAriaLabel));
  const title = document.querySelector('title[data-i18n]');
  if (title) document.title = t(title.dataset.i18n);
}

addMessages({
  'zh-CN': {
    'app.name': '红色教育 · 研学预约',
    'nav.unit': '单位预约',
    'nav.staff': '场馆核验',
    'nav.planner': '研学线路',
    'nav.admin': '系统管理',
    'nav.signOut': '退出',
    'nav.language': 'English',
    'role.admin': '管理员',
    'role.unit': '单位',
    'role.staff': '场馆工作人员',
    'role.planner': '线路规划',
    'signIn.title': '登录',
    'signIn.username': '用户名',
    'signIn.password': '密码',
    'signIn.submit': '登录',
    'signIn.failed': '用户名或密码不正确',
    'signIn.demo': '演示账号的密码均为 demo',
    'common.loading': '加载中…',
    'common.save': '保存',
    'common.cancel': '取消',
    'common.close': '关闭',
    'common.retry': '重试',
    'common.offline': '网络不可用',
    'common.error': '出错了',
    'common.people': '{n} 人',
  },
  en: {
    'app.name': 'Red Education · Study Visits',
    'nav.unit': 'Bookings',
    'nav.staff': 'Check-in',
    'nav.planner': 'Study routes',
    'nav.admin': 'Administration',
    'nav.signOut': 'Sign out',
    'nav.language': '中文',
    'role.admin': 'Administrator',
    'role.unit': 'Work unit',
    'role.staff': 'Venue staff',
    'role.planner': 'Planner',
    'signIn.title': 'Sign in',
    'signIn.username': 'User name',
    'signIn.password': 'Password',
    'signIn.submit': 'Sign in',
    'signIn.failed': 'Wrong user name or password',
    'signIn.demo': 'Every demo account has the password demo',
    'common.loading': 'Loading…',
    'common.save': 'Save',
    'common.cancel': 'Cancel',
    'common.close': 'Close',
    'common.retry': 'Retry',
    'common.offline': 'No network',
    'common.error': 'Something went wrong',
    'common.people': '{n} people',
  },
});
