// The dashboard's access-token panel. It polls /api/session, a guarded route like any other: the
// request that finds the token due (30 s before expiry for 5-minute tokens) or expired refreshes
// it and gets the new cookie, so you can watch refreshes happen, or fail, here.
(() => {
  const panel = document.getElementById('token');
  if (!panel) return;
  const countdown = panel.querySelector('.countdown');
  const log = panel.querySelector('ol.log');
  let expiresAt = Number(panel.dataset.expiresAt); // epoch seconds
  // The server's clock minus this browser's (the emulator's clock can be moved from its dashboard).
  let offsetMs = Number(panel.dataset.serverNow) * 1000 - Date.now();
  let refreshes = 0;

  const note = (text, kind) => {
    const item = document.createElement('li');
    item.className = kind;
    item.textContent = `${new Date().toLocaleTimeString()}: ${text}`;
    log.prepend(item);
  };
  const tick = () => {
    const left = Math.round(expiresAt - (Date.now() + offsetMs) / 1000);
    countdown.textContent = left > 0 ? `${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')}` : 'expired';
    countdown.classList.toggle('due', left <= 30);
  };
  const poll = async () => {
    let response;
    try {
      response = await fetch('/api/session', { headers: { Accept: 'application/json' } });
    } catch {
      return note('the app did not answer', 'warn');
    }
    const body = await response.json();
    if (!response.ok) return note(`${response.status} ${body.error}: ${body.message}`, 'warn');
    if (!body.signedIn) {
      clearInterval(polling);
      return note('signed out: the session has ended', 'warn');
    }
    offsetMs = body.serverNow * 1000 - Date.now();
    if (body.expiresAt !== expiresAt) {
      expiresAt = body.expiresAt;
      refreshes += 1;
      panel.dataset.refreshes = String(refreshes);
      note(`token refreshed, new one valid until ${new Date(expiresAt * 1000 - offsetMs).toLocaleTimeString()}`, 'ok');
    }
  };
  tick();
  setInterval(tick, 1000);
  const polling = setInterval(poll, 2000);
})();
