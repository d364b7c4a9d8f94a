// `chromiumExecutable`: `CHROMIUM_PATH`, system chromium, or @sparticuz/chromium unpacked to /tmp.
import { existsSync } from 'node:fs';

/**
 * The Chromium every browser test and benchmark drives. `CHROMIUM_PATH` wins; else Debian's
 * /usr/bin/chromium when installed; else the binary shipped inside the npm package @sparticuz/chromium
 * (unpacked to /tmp on first use), so that `npm ci && npm test` needs nothing downloaded.
 */
export async function chromiumExecutable(): Promise<string> {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  const { default: chromium } = await import('@sparticuz/chromium');
  return chromium.executablePath();
}

/**
 * Launch flags: no sandbox (tests run as root), no GPU, and no background networking (this machine
 * has no network, and no request may leave the app's origin).
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--no-zygote',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
  '--use-gl=angle',
  '--use-angle=swiftshader',
];
