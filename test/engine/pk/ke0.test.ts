// Tests of engine/pk/ke0.ts: exact effect-site peak times and the ke0 that reproduces a target peak time.
import { describe, expect, it } from 'vitest';
import { ke0ForTimeToPeak, timeToPeakCe } from '../../../engine/pk/ke0.ts';
import { mammillary } from '../../../engine/pk/mammillary.ts';
import { expectNear } from '../../support/tolerance.ts';

describe('timeToPeakCe and ke0ForTimeToPeak', () => {
  // One compartment: Cp = e^(−k t)/V, Ce peaks where Cp = Ce, at t* = ln(ke0/k)/(ke0 − k) (closed form).
  const cases = [
    { k: 0.1, ke0: 0.5 },
    { k: 0.05, ke0: 0.238 },
    { k: 0.3, ke0: 0.06 },
    { k: 0.2, ke0: 2.5 },
  ];
  for (const { k, ke0 } of cases) {
    const exact = Math.log(ke0 / k) / (ke0 - k);
    it(`one compartment k = ${k}, ke0 = ${ke0}: t* = ${exact.toFixed(6)} min to 1e-10`, () => {
      expectNear(timeToPeakCe(mammillary(10, k), ke0), exact, 1e-10, 't*');
    });
    it(`one compartment k = ${k}: the ke0 for t* = ${exact.toFixed(4)} min is ${ke0} to 1e-9`, () => {
      expectNear(ke0ForTimeToPeak(mammillary(10, k), exact)!, ke0, 1e-9, 'ke0');
    });
  }

  it('three compartments: the derived ke0 reproduces the target peak time (round trip to 1e-9)', () => {
    const pk = mammillary(4.4, 0.1, 0.05, 0.01, 0.02, 0.001);
    for (const target of [0.8, 1.6, 3, 6]) {
      const ke0 = ke0ForTimeToPeak(pk, target)!;
      expectNear(timeToPeakCe(pk, ke0), target, 1e-9, `t* for target ${target}`);
    }
  });

  it('says null when no ke0 in [1e-4, 1e3] /min reaches the target', () => {
    expect(ke0ForTimeToPeak(mammillary(10, 0.1), 1e-6)).toBeNull();
    expect(ke0ForTimeToPeak(mammillary(10, 0.1), 119)).toBeNull();
  });
});
