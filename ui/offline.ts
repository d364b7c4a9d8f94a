// Offline: `startOffline` registers the service worker of the built app (sw.js, which precaches the whole build) after the first chart, and shows "Update available — reload" when a newer build is waiting.

/**
 * The built app registers `./sw.js` (written by scripts/vite-sw-plugin.mjs) once the first chart is painted.
 * The first version takes control at once; a newer one installs in the background and waits, and the
 * page shows a notice whose button asks it to take over and reloads into it when it has. The browser
 * looks for a new sw.js on every load; an open tab also looks when it becomes visible again and once an
 * hour. `vite dev` registers nothing and removes any service worker left at its origin, so dev always
 * serves the sources.
 */

/** The message the waiting service worker takes as "take over now" (handled in scripts/vite-sw-plugin.mjs). */
export const SKIP_WAITING = { type: 'ketasim:skip-waiting' } as const;

/** The notice's element id (the e2e test clicks its button). */
export const UPDATE_NOTICE_ID = 'ketasim-update';

/** How often an open page asks the server for a newer build: 1 h (ms). Assumed: a new build is rarely urgent. */
const UPDATE_CHECK_MS = 60 * 60 * 1000;

/** Show the notice (once) with a button that hands over to `waiting` and reloads when it controls the page. */
function showUpdateNotice(waiting: ServiceWorker, onReload: () => void): void {
  if (document.getElementById(UPDATE_NOTICE_ID)) return;
  const box = document.createElement('div');
  box.id = UPDATE_NOTICE_ID;
  box.setAttribute('role', 'status');
  Object.assign(box.style, {
    position: 'fixed',
    right: '16px',
    bottom: '16px',
    zIndex: '1000',
    padding: '10px 14px',
    background: '#ffffff',
    border: '1px solid #7e57c2',
    borderRadius: '6px',
    boxShadow: '0 2px 8px rgba(0, 0, 0, 0.2)',
  });
  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = 'Update available — reload';
  button.addEventListener('click', () => {
    button.disabled = true;
    button.textContent = 'Updating…';
    onReload();
    waiting.postMessage(SKIP_WAITING);
  });
  box.append(button);
  document.body.append(box);
}

async function register(): Promise<void> {
  const sw = navigator.serviceWorker;
  const registration = await sw.register('./sw.js', { scope: './' });
  let reloading = false;
  // A new controller after the user asked for it: the new build is in charge, load it.
  sw.addEventListener('controllerchange', () => {
    if (reloading) location.reload();
  });
  // Only with a controller: the first version has no predecessor and takes over by itself.
  const offer = (w: ServiceWorker) => {
    if (sw.controller)
      showUpdateNotice(w, () => {
        reloading = true;
      });
  };
  const follow = (w: ServiceWorker | null) =>
    w?.addEventListener('statechange', () => {
      if (w.state === 'installed') offer(w);
    });
  // Waiting already (installed while another tab of the old version was open), installing now (the
  // browser checks for a new sw.js on every load), or found from now on.
  if (registration.waiting) offer(registration.waiting);
  follow(registration.installing);
  registration.addEventListener('updatefound', () => follow(registration.installing));
  const check = () => registration.update().catch(() => undefined); // offline or server down: try again later
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') void check();
  });
  setInterval(check, UPDATE_CHECK_MS);
}

/**
 * Register the service worker, in the built app only (`vite dev` removes any left at its origin instead).
 * ui/main.tsx calls this once the first chart has been painted, so precaching the build (every chunk,
 * mathjs included) does not compete with the first prediction for the network and the CPU.
 */
export function startOffline(): void {
  if (typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return;
  if (!import.meta.env.PROD) return;
  register().catch((e: unknown) => {
    // The app works without it (online only); say why in the console, not in the page.
    console.warn(`KetaSim works online only: the service worker could not be registered (${(e as Error).message})`);
  });
}

if (typeof navigator !== 'undefined' && 'serviceWorker' in navigator && !import.meta.env.PROD) {
  void navigator.serviceWorker.getRegistrations().then((all) => Promise.all(all.map((r) => r.unregister())));
}
