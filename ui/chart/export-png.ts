// PNG export: the chart SVGs composed under a title, above a wrapped legend naming every curve and the disclaimer, rasterised at 2×.
/**
 * The chart as a PNG: the concentration chart and the dose track (their SVGs, as drawn) stacked
 * under a title and above a legend and the disclaimer, rasterised at 2× on a canvas. Everything
 * stays in the page: the SVG becomes a data: URL, nothing is fetched.
 */
export interface PngLegendItem {
  readonly label: string;
  readonly color: string;
  readonly dash?: string;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The composed SVG text (exported for tests). */
export function composeSvg(
  parts: readonly { svg: string; width: number; height: number }[],
  title: string,
  legend: readonly PngLegendItem[],
  footer: string,
): { svg: string; width: number; height: number } {
  const width = Math.max(600, ...parts.map((p) => p.width));
  const head = 34,
    rowH = 20,
    foot = 22;
  let y = head;
  const body = parts
    .map((p) => {
      const g = p.svg.replace(/^<svg\b/, `<svg x="0" y="${y}"`);
      y += p.height;
      return g;
    })
    .join('');
  // The legend wraps onto as many rows as it needs, so every entry is in the picture (none runs off the right edge).
  let x = 12,
    row = 0;
  const items = legend
    .map((l) => {
      const w = 40 + l.label.length * 6.4;
      if (x > 12 && x + w > width - 8) {
        x = 12;
        row++;
      }
      const ly = y + row * rowH;
      const item =
        `<g class="legend-item"><line x1="${x}" y1="${ly + 12}" x2="${x + 26}" y2="${ly + 12}" stroke="${esc(l.color)}" stroke-width="3"${l.dash ? ` stroke-dasharray="${esc(l.dash)}"` : ''}/>` +
        `<text x="${x + 32}" y="${ly + 16}" font-size="12" fill="#222">${esc(l.label)}</text></g>`;
      x += w;
      return item;
    })
    .join('');
  const legendH = legend.length ? (row + 1) * rowH + 2 : 0;
  const height = y + legendH + foot;
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif">` +
    `<rect width="100%" height="100%" fill="#ffffff"/>` +
    `<text x="12" y="22" font-size="15" font-weight="600" fill="#111">${esc(title)}</text>` +
    body +
    items +
    `<text x="12" y="${height - 7}" font-size="11" fill="#555">${esc(footer)}</text></svg>`;
  return { svg, width, height };
}

/** Rasterise the charts inside `container` to a PNG blob. */
export async function chartPng(
  container: HTMLElement,
  title: string,
  legend: readonly PngLegendItem[],
  footer: string,
): Promise<Blob> {
  const svgs = [...container.querySelectorAll<SVGSVGElement>('svg.ketasim-chart')];
  if (svgs.length === 0) throw new Error('no chart to export yet');
  const parts = svgs.map((s) => {
    const clone = s.cloneNode(true) as SVGSVGElement;
    clone.removeAttribute('style');
    const r = s.getBoundingClientRect();
    return {
      svg: new XMLSerializer().serializeToString(clone).replace(/ xmlns="http:\/\/www\.w3\.org\/2000\/svg"/, ''),
      width: Math.round(r.width),
      height: Math.round(r.height),
    };
  });
  const { svg, width, height } = composeSvg(parts, title, legend, footer);
  return rasterise(svg, width, height);
}

/** An SVG document (text) as a PNG blob at 2×, drawn on a canvas in the page (nothing is fetched). */
export async function rasterise(svg: string, width: number, height: number): Promise<Blob> {
  const img = new Image();
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  await img.decode();
  const scale = 2;
  const canvas = document.createElement('canvas');
  canvas.width = width * scale;
  canvas.height = height * scale;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('this browser cannot draw on a canvas');
  ctx.scale(scale, scale);
  ctx.drawImage(img, 0, 0, width, height);
  return new Promise((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the PNG could not be encoded'))), 'image/png'),
  );
}

/** Offer a blob as a download. */
export function download(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
