#!/usr/bin/env node
// `npm start`: build the dashboard if dist/ is missing or older than its sources, then serve the
// production build with vite preview at http://localhost:4173 (or $PORT), strict port. The server
// runs in this process, so stopping it (Ctrl-C, SIGTERM, closing the terminal) leaves nothing behind.
import { ensureBuilt, servePreview } from './app-build.mjs';

const raw = process.env.PORT ?? '4173';
const port = Number(raw);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error(`PORT: must be an integer from 1 to 65535, got ${JSON.stringify(raw)}`);
  process.exit(2);
}

try {
  const b = await ensureBuilt({ log: (line) => console.log(line) });
  console.log(b.built ? `Built in ${(b.ms / 1000).toFixed(1)} s.` : 'The build in dist/ is up to date.');
} catch (e) {
  console.error(`The build failed: ${e.message}`);
  process.exit(1);
}

let server;
try {
  server = await servePreview({ port });
} catch (e) {
  console.error(
    e.code === 'EADDRINUSE' || /already in use/i.test(e.message)
      ? `Port ${port} is already in use: stop the other server or set PORT, e.g. PORT=4174 npm start`
      : `The server could not start: ${e.message}`,
  );
  process.exit(1);
}
console.log(`KetaSim dashboard: ${server.url}  (a planning and teaching tool, not a medical device; Ctrl-C stops it)`);

let closing = false;
const stop = async (signal) => {
  if (closing) return;
  closing = true;
  await Promise.race([server.close(), new Promise((r) => setTimeout(r, 2000))]);
  process.exit(signal === 'SIGINT' ? 130 : 0);
};
for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(s, () => void stop(s));
// `npm start` runs this under npm and a shell; if they are killed without passing the signal on (npm
// does not forward SIGTERM to its script), this process is re-parented: stop with them.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) void stop('SIGTERM');
}, 500).unref();
