const N = 10000, T = 300;
const data = new Float64Array(N * T);
let seed = 1; const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const a = Array.from({length: N}, rnd), b = Array.from({length: N}, rnd), c = Array.from({length: N}, rnd);
for (let j = 0; j < T; j++) for (let i = 0; i < N; i++) data[j * N + i] = 1000 * Math.exp(-0.01 * j * (0.5 + a[i])) * (1 + 0.3 * b[i]) + 30 * Math.sin(j * 0.05 * c[i]);
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
function timeit(name, f) { for (let r = 0; r < 4; r++) { const w0 = performance.now(), c0 = cpu(); const x = f(); console.log(name, 'wall', (performance.now() - w0).toFixed(1), 'cpu', (cpu() - c0).toFixed(1), x ?? ''); } }
// 1. compare pass
timeit('compare pass', () => { let s = 0; for (let j = 0; j < T; j++) { const o = j * N; for (let k = 1; k < N; k++) if (data[o + k] < data[o + k - 1]) s++; } return s; });
// 2. insertion with carry, runs of S
for (const S of [2500, 10000]) {
  timeit('ins carry S=' + S, () => {
    let moves = 0;
    const runs = N / S; const perms = Array.from({ length: runs }, () => new Int32Array(S).map((_, i) => i)); const out = new Float64Array(S);
    for (let j = 0; j < T; j++) for (let r = 0; r < runs; r++) {
      const perm = perms[r], src = data, so = j * N + r * S;
      for (let k = 0; k < S; k++) out[k] = src[so + perm[k]];
      for (let k = 1; k < S; k++) { const v = out[k]; let m = k - 1; if (!(out[m] > v)) continue; const p = perm[k]; do { out[m + 1] = out[m]; perm[m + 1] = perm[m]; m--; moves++; } while (m >= 0 && out[m] > v); out[m + 1] = v; perm[m + 1] = p; }
    }
    return moves / T / N;
  });
}
// 3. window pass with 3 windows (hinted by previous exact answers, computed by sort here)
{
  const ks = [0.05, 0.5, 0.95].map(p => Math.floor(p * (N - 1)));
  const sortedPrev = []; for (let j = 0; j < T; j++) sortedPrev.push(Float64Array.from(data.subarray(j * N, (j + 1) * N)).sort());
  timeit('window pass 3q', () => {
    let fails = 0; const buf = new Float64Array(N);
    for (let j = 1; j < T; j++) {
      const o = j * N; const prev = sortedPrev[j - 1];
      for (const k of ks) {
        const lo = prev[Math.max(0, k - 40)], hi = prev[Math.min(N - 1, k + 40)];
        let below = 0, w = 0;
        for (let i = 0; i < N; i++) { const x = data[o + i]; if (x < lo) below++; else if (x <= hi) buf[w++] = x; }
        if (!(below <= k && k < below + w)) fails++;
      }
    }
    return fails;
  });
}
