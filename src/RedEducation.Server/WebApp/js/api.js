// The HTTP API of api.md, with the signed-in user's bearer token. Every refusal arrives as a problem document
// (RFC 7807) and is thrown as an ApiError carrying its type name (the part after /problems/), title and detail.
const SESSION_KEY = 'redu.session';

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail ?? problem?.title ?? `HTTP ${status}`);
    this.status = status;
    this.problem = problem ?? {};
    this.type = (problem?.type ?? '').replace(/^\/problems\//, '') || (status === 0 ? 'network' : `http-${status}`);
  }

  /** True when the request never reached the server (offline, server down). */
  get isNetwork() {
    return this.status === 0;
  }
}

/** The signed-in user ({accessToken, expiresAt, role, unitId, venueIds, displayName, username}) or null. */
export function session() {
  try {
    const value = JSON.parse(localStorage.getItem(SESSION_KEY) ?? 'null');
    if (!value || Date.parse(value.expiresAt) <= Date.now()) return null;
    return value;
  } catch {
    return null;
  }
}

export async function signIn(username, password) {
  const token = await api('/api/auth/token', { method: 'POST', body: { username, password }, anonymous: true });
  const value = { ...token, username };
  localStorage.setItem(SESSION_KEY, JSON.stringify(value));
  return value;
}

export function signOut() {
  localStorage.removeItem(SESSION_KEY);
  location.href = '/';
}

/**
 * Calls the API. body is sent as JSON unless it is FormData or a Blob; the answer is parsed as JSON when it is JSON,
 * returned as text otherwise (or as the Response itself with raw: true). A 401 on a signed-in call ends the session.
 */
export async function api(path, { method = 'GET', body, headers = {}, raw = false, anonymous = false, signal } = {}) {
  const init = { method, headers: { Accept: 'application/json, application/problem+json', ...headers }, signal };
  const current = anonymous ? null : session();
  if (current) init.headers.Authorization = `Bearer ${current.accessToken}`;
  if (body !== undefined) {
    if (body instanceof FormData || body instanceof Blob) {
      init.body = body;
    } else {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (error) {
    if (error.name === 'AbortError') throw error;
    throw new ApiError(0, { title: error.message });
  }
  if (!response.ok) {
    let problem = null;
    try {
      problem = await response.json();
    } catch {
      problem = { title: response.statusText };
    }
    if (response.status === 401 && current) {
      localStorage.removeItem(SESSION_KEY);
    }
    throw new ApiError(response.status, problem);
  }
  if (raw) return response;
  if (response.status === 204) return null;
  const type = response.headers.get('Content-Type') ?? '';
  return type.includes('json') ? response.json() : response.text();
}

/** A new random Idempotency-Key for a request that creates something, kept by the caller for its retries. */
export function newIdempotencyKey() {
  return crypto.randomUUID ? crypto.randomUUID() : Array.from(crypto.getRandomValues(new Uint8Array(16)), b => b.toString(16).padStart(2, '0')).join('');
}
