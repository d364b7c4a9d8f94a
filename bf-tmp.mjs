const N = 10000, T = 400;
const data = new Float64Array(N * T);
let seed = 7; const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const a = Array.from({length: N}, () => 0.5 + rnd()), b = Array.from({length: N}, () => 0.5 + rnd());
for (let j = 0; j < T; j++) for (let i = 0; i < N; i++) data[j * N + i] = 300 * b[i] * (1 - Math.exp(-0.01 * j * a[i]));
function timeit(name, f) { const r = []; for (let k = 0; k < 5; k++) { const t0 = performance.now(); f(); r.push(performance.now() - t0); } console.log(name, r.map(x => (x * 1e6 / (N * T)).toFixed(2)).join(' '), 'ns/value'); }
const ks = [0.05, 0.5, 0.95].map(p => Math.floor(p * (N - 1)));
const ref = []; for (let j = 0; j < T; j++) ref.push(Float64Array.from(data.subarray(j * N, (j + 1) * N)).sort());
// branchy window
timeit('branchy 3 windows', () => { const buf = new Float64Array(N); let s = 0;
  for (let j = 1; j < T; j++) { const o = j * N; const prev = ref[j - 1];
    for (const k of ks) { const lo = prev[Math.max(0, k - 30)], hi = prev[Math.min(N - 1, k + 30)]; let c = 0, w = 0;
      for (let i = 0; i < N; i++) { const x = data[o + i]; if (x < lo) c++; else if (x <= hi) buf[w++] = x; } s += c + w; } } return s; });
// branch-free window
timeit('branchfree 3 windows', () => { const buf = new Float64Array(N + 1); let s = 0;
  for (let j = 1; j < T; j++) { const o = j * N; const prev = ref[j - 1];
    for (const k of ks) { const lo = prev[Math.max(0, k - 30)], hi = prev[Math.min(N - 1, k + 30)]; let c = 0, w = 0;
      for (let i = 0; i < N; i++) { const x = data[o + i]; c += x < lo ? 1 : 0; buf[w] = x; w += (x >= lo) & (x <= hi); } s += c + w; } } return s; });
// branch-free fused 3 windows in one pass
timeit('branchfree fused 3', () => { const b1 = new Float64Array(N + 1), b2 = new Float64Array(N + 1), b3 = new Float64Array(N + 1); let s = 0;
  for (let j = 1; j < T; j++) { const o = j * N; const prev = ref[j - 1];
    const [k1, k2, k3] = ks; const l1 = prev[k1 - 30], h1 = prev[k1 + 30], l2 = prev[k2 - 30], h2 = prev[k2 + 30], l3 = prev[k3 - 30], h3 = prev[k3 + 30];
    let c1 = 0, c2 = 0, c3 = 0, w1 = 0, w2 = 0, w3 = 0;
    for (let i = 0; i < N; i++) { const x = data[o + i];
      c1 += x < l1 ? 1 : 0; c2 += x < l2 ? 1 : 0; c3 += x < l3 ? 1 : 0;
      b1[w1] = x; w1 += (x >= l1) & (x <= h1); b2[w2] = x; w2 += (x >= l2) & (x <= h2); b3[w3] = x; w3 += (x >= l3) & (x <= h3); }
    s += c1 + c2 + c3 + w1 + w2 + w3; } return s; });
// histogram 2-pass like ColumnSelector
timeit('hist 2pass', () => { const nb = 625, top = nb - 1; const hist = new Int32Array(nb), mark = new Uint8Array(nb); const coll = new Float64Array(N); let s = 0;
  for (let j = 1; j < T; j++) { const o = j * N; const hi = 2 * ref[j - 1][ks[2]]; const inv = top / hi; hist.fill(0);
    for (let i = 0; i < N; i++) hist[Math.max(0, Math.min(data[o + i] * inv, top)) | 0]++;
    mark[10] = 1; mark[300] = 1; mark[500] = 1; let c = 0;
    for (let i = 0; i < N; i++) { const x = data[o + i]; if (mark[Math.max(0, Math.min(x * inv, top)) | 0] === 1) coll[c++] = x; }
    s += c; } return s; });
