// The API key lives in sessionStorage only: it goes away with the tab, never to disk for good.
const STORAGE = 'influencer.apiKey';

export const storedKey = () => sessionStorage.getItem(STORAGE);

let pending = null;

function showKeyState() {
  document.getElementById('key-state').hidden = !storedKey();
}

/**
 * Asks for a key once, however many requests learnt at the same time that one is needed.
 * Resolves true when the person entered one, false when they cancelled.
 */
export function askForKey(reason) {
  pending ??= new Promise((resolve) => {
    const dialog = document.getElementById('key-dialog');
    const input = document.getElementById('key-input');
    document.getElementById('key-reason').textContent = reason;
    input.value = '';
    const done = (ok) => {
      dialog.removeEventListener('close', onClose);
      pending = null;
      showKeyState();
      resolve(ok);
    };
    const onClose = () => {
      const key = input.value.trim();
      if (dialog.returnValue === 'ok' && key) {
        sessionStorage.setItem(STORAGE, key);
        done(true);
      } else done(false);
    };
    dialog.addEventListener('close', onClose);
    dialog.returnValue = '';
    dialog.showModal();
    input.focus();
  });
  return pending;
}

export function initKeyControls() {
  const dialog = document.getElementById('key-dialog');
  document.getElementById('key-cancel').addEventListener('click', () => dialog.close('cancel'));
  document.getElementById('key-forget').addEventListener('click', () => {
    sessionStorage.removeItem(STORAGE);
    showKeyState();
  });
  showKeyState();
}

/** What to ask when the API answered 401 or 403; null when the status is about something else. */
export function keyProblem(status) {
  if (status === 401) return 'This server needs an API key.';
  if (status === 403) return 'That API key was refused. Check it and try again.';
  return null;
}
