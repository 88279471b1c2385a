import { askForKey, keyProblem, storedKey } from './api-key.js';

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** Adds the stored key to the headers (when there is one). */
export function withKey(headers = {}) {
  const h = new Headers(headers);
  const key = storedKey();
  if (key) h.set('X-API-Key', key);
  return h;
}

/** fetch() with the API key; a 401/403 asks for a key and tries again. */
export async function api(path, init = {}) {
  for (;;) {
    let res;
    try {
      res = await fetch(path, { ...init, headers: withKey(init.headers) });
    } catch (err) {
      if (err.name === 'AbortError') throw err;
      throw new ApiError(0, 'The server cannot be reached. Check that it is running, then try again.');
    }
    const problem = keyProblem(res.status);
    if (!problem) return res;
    if (!(await askForKey(problem))) throw new ApiError(res.status, 'An API key is needed to use this server.');
  }
}

/** The JSON body, or an ApiError a person can read. */
export async function json(res) {
  if (res.ok) return res.json();
  throw new ApiError(res.status, await explain(res));
}

function serverMessage(body) {
  if (!body || body.message === undefined) return '';
  return Array.isArray(body.message) ? body.message.join('; ') : String(body.message);
}

/** Turns an error answer into a sentence: what happened, and what to do about it. */
export async function explain(res) {
  const text = await res.text().catch(() => '');
  let said;
  try {
    said = serverMessage(JSON.parse(text));
  } catch {
    said = text.slice(0, 200);
  }
  return explainStatus(res.status, said, res.headers.get('Retry-After'));
}

export function explainStatus(status, said, retryAfter) {
  switch (status) {
    case 429:
      return `Too many requests for now. Try again in ${retryAfter ?? 'a few'} seconds.`;
    case 502:
      return `The AI model did not produce a usable brief${said ? ` (${said})` : ''}. Try again in a moment.`;
    case 504:
      return 'The AI model took too long to answer. Try again in a moment.';
    case 503:
      return `The service is temporarily unavailable${said ? `: ${said}` : ''}. Try again shortly.`;
    case 413:
      return `The file is too large${said ? `: ${said}` : ''}.`;
    default:
      return said || `The server answered ${status}.`;
  }
}
