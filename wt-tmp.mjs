import { Worker } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
const tsxApi = import.meta.resolve('tsx/esm/api');
const target = pathToFileURL('/work/main/engine/population/local.ts').href;
const code = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  const t0 = performance.now();
  const { register } = await import(workerData.tsxApi);
  register();
  const t1 = performance.now();
  const m = await import(workerData.target);
  parentPort.postMessage({ reg: t1 - t0, imp: performance.now() - t1, keys: Object.keys(m) });
})();`;
for (let k = 0; k < 2; k++) {
  const t0 = performance.now();
  await Promise.all([0, 1].map(() => new Promise((res) => {
    const w = new Worker(code, { eval: true, workerData: { tsxApi, target } });
    w.once('message', (m) => { console.log('worker ready', (performance.now() - t0).toFixed(1), m); w.terminate(); res(); });
    w.once('error', (e) => { console.log('err', e); res(); });
  })));
}
// esbuild bundle approach
const esbuild = await import('esbuild');
let t0 = performance.now();
const r = await esbuild.build({ entryPoints: ['/work/main/engine/population/local.ts'], bundle: true, format: 'cjs', platform: 'node', write: false, external: ['mathjs'], logLevel: 'silent' });
const text = r.outputFiles[0].text;
console.log('esbuild bundle ms', (performance.now() - t0).toFixed(1), 'bytes', text.length);
t0 = performance.now();
await Promise.all([0, 1].map(() => new Promise((res) => {
  const w = new Worker(text + `\nrequire('node:worker_threads').parentPort.postMessage('ok')`, { eval: true });
  w.once('message', (m) => { console.log('eval worker ready', (performance.now() - t0).toFixed(1)); w.terminate(); res(); });
  w.once('error', (e) => { console.log('err', e); res(); });
})));
