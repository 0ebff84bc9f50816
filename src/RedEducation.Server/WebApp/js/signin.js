import { signIn, session } from './api.js';
import { lang, setLang, t, translate } from './i18n.js';
import { describeError, homeOf } from './page.js';

const form = document.getElementById('signin-form');
const error = document.getElementById('signin-error');
translate(document);
document.getElementById('language').addEventListener('click', () => setLang(lang() === 'zh-CN' ? 'en' : 'zh-CN'));

function landing(role) {
  const next = new URLSearchParams(location.search).get('next');
  // Only a path of this site: never an address elsewhere.
  return next && /^\/[a-z]+\/$/.test(next) ? next : homeOf(role);
}

const current = session();
if (current && !new URLSearchParams(location.search).has('next')) location.replace(homeOf(current.role));

form.addEventListener('submit', async event => {
  event.preventDefault();
  error.hidden = true;
  const button = form.querySelector('button[type=submit]');
  button.disabled = true;
  try {
    const signedIn = await signIn(form.username.value.trim(), form.password.value);
    location.href = landing(signedIn.role);
  } catch (failure) {
    error.textContent = failure.type === 'invalid-credentials' ? t('signIn.failed') : describeError(failure);
    error.hidden = false;
  } finally {
    button.disabled = false;
  }
});

