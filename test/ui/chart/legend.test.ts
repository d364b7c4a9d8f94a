// The chart legend names every curve (edited plan and every pin), and the PNG's composed SVG carries every entry, wrapped within its width.
import { describe, expect, it } from 'vitest';
import { chartLegend, CE_COLOR, CP_COLOR } from '../../../ui/chart/legend.ts';
import { composeSvg } from '../../../ui/chart/export-png.ts';
import { PIN_COLORS } from '../../../ui/state/scenario.ts';

const pins = [0.5, 1, 1.5, 2].map((d, i) => ({
  id: `p${i}`,
  label: `Domino 1984 · 70 kg · ${d} mg/kg over 40 min`,
  color: PIN_COLORS[i],
}));

describe('chartLegend', () => {
  it('names the edited curves by the edited plan and each of four pins by its label, with the overlaid series', () => {
    const items = chartLegend('Current: Domino 1984 · 70 kg · bolus 1 mg/kg', pins, 'both');
    expect(items.map((i) => i.label)).toEqual([
      'Cp (plasma) — Current: Domino 1984 · 70 kg · bolus 1 mg/kg',
      'Ce (effect site) — Current: Domino 1984 · 70 kg · bolus 1 mg/kg',
      ...pins.map((p) => `${p.label} (Ce dashed, Cp dotted)`),
    ]);
    expect(items.map((i) => i.color)).toEqual([CP_COLOR, CE_COLOR, ...PIN_COLORS]);
    expect(chartLegend(null, [], 'ce').map((i) => i.label)).toEqual(['Cp (plasma)', 'Ce (effect site)']);
    expect(chartLegend(null, pins.slice(0, 1), 'cp')[2]).toMatchObject({ label: `${pins[0].label} (Cp)`, dash: '2 3' });
  });
});

describe('composeSvg (the PNG is rasterised from this text)', () => {
  it('writes every legend entry, wrapping onto new rows inside the picture instead of running off its right edge', () => {
    const legend = chartLegend('Current: Domino 1984 · 70 kg · 2 mg/kg over 40 min', pins, 'both');
    const chart = { svg: '<svg width="640" height="300"></svg>', width: 640, height: 300 };
    const { svg, width, height } = composeSvg([chart], 'title', legend, 'footer');
    for (const l of legend) expect(svg).toContain(`>${l.label.replace(/&/g, '&amp;')}</text>`);
    const xs = [...svg.matchAll(/<g class="legend-item"><line x1="([\d.]+)" y1="([\d.]+)"/g)].map((m) => [
      Number(m[1]),
      Number(m[2]),
    ]);
    expect(xs).toHaveLength(legend.length);
    const rows = new Set(xs.map(([, y]) => y));
    expect(rows.size).toBeGreaterThan(1); // six long labels cannot share one 640-px row
    for (const [x] of xs) expect(x).toBeLessThan(width);
    expect(Math.max(...xs.map(([, y]) => y))).toBeLessThan(height - 22); // above the footer
  });
});
