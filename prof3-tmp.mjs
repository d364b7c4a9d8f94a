const N = 2500, T = 1441;
// synthetic: smooth curves with crossings: x_i(t) = a_i * t + b_i * sin(t * c_i)
const data = new Float64Array(N * T);
let seed = 1; const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const a = Array.from({length: N}, rnd), b = Array.from({length: N}, rnd), c = Array.from({length: N}, rnd);
for (let j = 0; j < T; j++) for (let i = 0; i < N; i++) data[j * N + i] = a[i] * j + 300 * b[i] * Math.sin(j * 0.01 * c[i]);
function ins1(src, srcOff, n, perm, dst, dstOff) {
  for (let k = 0; k < n; k++) dst[dstOff + k] = src[srcOff + perm[k]];
  for (let k = 1; k < n; k++) {
    const v = dst[dstOff + k];
    let m = k - 1;
    if (!(dst[dstOff + m] > v)) continue;
    const p = perm[k];
    while (m >= 0 && dst[dstOff + m] > v) { dst[dstOff + m + 1] = dst[dstOff + m]; perm[m + 1] = perm[m]; m--; }
    dst[dstOff + m + 1] = v; perm[m + 1] = p;
  }
}
let moves = 0;
function ins2(src, srcOff, n, perm, dst) {
  for (let k = 0; k < n; k++) dst[k] = src[srcOff + perm[k]];
  for (let k = 1; k < n; k++) {
    const v = dst[k];
    let m = k - 1;
    if (!(dst[m] > v)) continue;
    const p = perm[k];
    do { dst[m + 1] = dst[m]; perm[m + 1] = perm[m]; m--; moves++; } while (m >= 0 && dst[m] > v);
    dst[m + 1] = v; perm[m + 1] = p;
  }
}
for (const [name, f] of [['ins1', (s, o, n, p, d) => ins1(s, o, n, p, d, 0)], ['ins2', ins2]]) {
  for (let rep = 0; rep < 3; rep++) {
    const perm = new Int32Array(N).map((_, i) => i); const out = new Float64Array(N);
    // initial full sort
    const t0 = performance.now(); moves = 0;
    for (let j = 0; j < T; j++) f(data, j * N, N, perm, out);
    console.log(name, (performance.now() - t0).toFixed(1), 'ms', 'moves/col', (moves / T).toFixed(0));
  }
}
{
  const perm = new Int32Array(N).map((_, i) => i); const out = new Float64Array(N);
  for (let rep = 0; rep < 3; rep++) {
    let t0 = performance.now();
    for (let j = 0; j < T; j++) { for (let k = 0; k < N; k++) out[k] = data[j * N + perm[k]]; }
    console.log('gather only identity', (performance.now() - t0).toFixed(1));
  }
  // shuffled perm
  for (let k = N - 1; k > 0; k--) { const r = Math.floor(rnd() * (k + 1)); const t = perm[k]; perm[k] = perm[r]; perm[r] = t; }
  for (let rep = 0; rep < 3; rep++) {
    let t0 = performance.now();
    for (let j = 0; j < T; j++) { const o = j * N; for (let k = 0; k < N; k++) out[k] = data[o + perm[k]]; }
    console.log('gather only shuffled', (performance.now() - t0).toFixed(1));
  }
  for (let rep = 0; rep < 3; rep++) {
    let t0 = performance.now(); let s = 0;
    for (let j = 0; j < T; j++) { const o = j * N; for (let k = 1; k < N; k++) if (data[o + k] < data[o+k-1]) s++; }
    console.log('compare pass', (performance.now() - t0).toFixed(1), s);
  }
}
