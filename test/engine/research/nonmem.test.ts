/**
 * Tests of engine/research/nonmem.ts: a plan's regimen as NONMEM dose records (mg, mg/h, h), the
 * exported text, and the strict reader (every malformation named by line and column, nothing returned
 * from a half-read file; unknown columns ignored).
 */
import { describe, expect, it } from 'vitest';
import { MODEL_IDS } from '../../../engine/models/registry.ts';
import { parsePlan, type Plan } from '../../../engine/plan.ts';
import { doseRecords, exportNonmem, readNonmem, splitCsvLine } from '../../../engine/research/nonmem.ts';
import { expectClose } from '../../support/tolerance.ts';

const TOOL = { name: 'ketasim', version: '9.9.9-test' };
function plan(input: unknown): Plan {
  const r = parsePlan(input, MODEL_IDS);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.plan;
}
const BASE = { patient: { weightKg: 70 }, model: { id: 'domino-1984' }, horizonMin: 240, resolutionSec: 10 };

describe('doseRecords', () => {
  it('0.5 mg/kg over 40 min at 70 kg is one infusion record: AMT 35 mg at RATE 52.5 mg/h from 0 h', () => {
    const { records, notes } = doseRecords(plan({ ...BASE, regimen: [{ at: 0, dose: 0.5, unit: 'mg/kg', overMin: 40 }] }));
    expect(records).toEqual([{ timeH: 0, amtMg: 35, rateMgPerH: 52.5 }]);
    expect(notes).toEqual([]);
  });

  it('boluses are RATE 0 records; each constant-rate interval of the one pump is one infusion record; a pause ends one', () => {
    const { records } = doseRecords(
      plan({
        ...BASE,
        regimen: [
          { at: 0, bolus: 10, unit: 'mg' },
          { at: 0, rate: 0.6, unit: 'mg/kg/h' }, // 42 mg/h
          { at: 30, rate: 12, unit: 'mg/h' },
          { at: 45, rate: 0 },
          { at: 60, rate: 0.5, unit: 'mg/min' }, // 30 mg/h
          { at: 90, rate: 0 },
          { at: 120, bolus: 500, unit: 'ug/kg' },
        ],
      }),
    );
    const want = [
      [0, 10, 0],
      [0, 21, 42],
      [0.5, 3, 12],
      [1, 15, 30],
      [2, 35, 0],
    ];
    expect(records).toHaveLength(want.length);
    // Unit conversions (mg/kg/h → mg/min → mg/h) carry float noise: compare to 1e-14.
    expectClose(
      records.flatMap((r) => [r.timeH, r.amtMg, r.rateMgPerH]),
      want.flat(),
      1e-14,
      'records',
    );
  });

  it('a pump still running at the horizon ends there, and says so', () => {
    const { records, notes } = doseRecords(plan({ ...BASE, regimen: [{ at: 60, rate: 6, unit: 'mg/h' }] }));
    expect(records).toEqual([{ timeH: 1, amtMg: 18, rateMgPerH: 6 }]);
    expect(notes).toEqual([
      { code: 'infusion-ends-at-horizon', message: expect.stringMatching(/^the pump still runs at the horizon \(240 min\)/) },
    ]);
  });
});

describe('exportNonmem', () => {
  it('comment lines with units and the time unit, a header with the covariates the plan has, DV "." on dose records', () => {
    const text = exportNonmem(
      plan({
        ...BASE,
        patient: { weightKg: 64, ageYears: 35, sex: 'female', heightCm: 168 },
        regimen: [{ at: 0, dose: 0.5, unit: 'mg/kg', overMin: 40 }],
        label: 'say "hi"',
      }),
      TOOL,
    );
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('# ketasim 9.9.9-test export of plan "say \\"hi\\"" (domino-1984): NONMEM-style dataset, one subject');
    expect(lines).toContain('# time-unit: h');
    expect(lines.filter((l) => !l.startsWith('#'))).toEqual([
      'ID,TIME,AMT,RATE,DV,EVID,MDV,CMT,WT,AGE,SEX,HT',
      '1,0,32,48,.,1,1,1,64,35,1,168',
    ]);
    expect(
      exportNonmem(plan({ ...BASE, regimen: [{ at: 6, bolus: 1, unit: 'mg/kg' }] }), TOOL)
        .trimEnd()
        .split('\n')
        .slice(-2),
    ).toEqual(['ID,TIME,AMT,RATE,DV,EVID,MDV,CMT,WT', '1,0.1,70,0,.,1,1,1,70']);
  });

  it('reads back through readNonmem: the same doses (min, mg, mg/h), WT, hours from the comment', () => {
    const p = plan({
      ...BASE,
      patient: { weightKg: 80, sex: 'male' },
      regimen: [
        { at: 0, bolus: 0.25, unit: 'mg/kg' },
        { at: 25, dose: 40, unit: 'mg', overMin: 35 },
      ],
    });
    const r = readNonmem(exportNonmem(p, TOOL));
    if (!r.ok) throw new Error(r.problems.join('\n'));
    expect(r.dataset.timeUnit).toBe('h');
    expect(r.dataset.timeUnitSource).toBe('file');
    expect(r.dataset.subjects).toHaveLength(1);
    const s = r.dataset.subjects[0];
    expect(s.covariates).toEqual({ WT: 80, SEX: 0 });
    expect(s.records.every((x) => x.kind === 'dose')).toBe(true);
    // Written to 15 significant digits: read back within 1e-14 of the plan's values.
    expectClose(
      s.records.flatMap((x) => (x.kind === 'dose' ? [x.tMin, x.amtMg, x.rateMgPerH] : [])),
      [0, 20, 0, 25, 40, (40 / 35) * 60],
      1e-14,
      'records read back',
    );
  });
});

const HEAD = 'ID,TIME,AMT,RATE,DV,EVID,MDV,WT';
const GOOD = [HEAD, '1,0,70,0,.,1,1,70', '1,0.5,.,.,210,0,0,70', '1,1,.,.,150,0,0,70', '2,0,35,70,.,1,1,60', '2,1,.,.,90,0,0,60'];
function problems(lines: string[], unit?: 'h' | 'min'): string[] {
  const r = readNonmem(lines.join('\n') + '\n', unit);
  if (r.ok) throw new Error('accepted');
  return r.problems;
}

describe('readNonmem', () => {
  it('reads subjects, records (TIME h → min) and covariates; unknown columns are ignored; # lines are comments', () => {
    const lines = ['# a comment', 'ID,TIME,AMT,RATE,DV,EVID,MDV,WT,SITE', ...GOOD.slice(1).map((l) => l + ',north')];
    const r = readNonmem(lines.join('\r\n'));
    if (!r.ok) throw new Error(r.problems.join('\n'));
    expect(r.dataset.timeUnitSource).toBe('default');
    expect(r.dataset.subjects.map((s) => [s.id, s.line, s.covariates.WT, s.records.length])).toEqual([
      ['1', 3, 70, 3],
      ['2', 6, 60, 2],
    ]);
    expect(r.dataset.subjects[0].records).toEqual([
      { kind: 'dose', line: 3, tMin: 0, amtMg: 70, rateMgPerH: 0 },
      { kind: 'observation', line: 4, tMin: 30, dvNgMl: 210 },
      { kind: 'observation', line: 5, tMin: 60, dvNgMl: 150 },
    ]);
    const min = readNonmem(GOOD.join('\n'), 'min');
    if (!min.ok) throw new Error('refused');
    expect(min.dataset.subjects[0].records[1].tMin).toBe(0.5);
  });

  it('EVID and MDV may be absent (EVID from AMT > 0; MDV from EVID); an observation with MDV 1 has no DV; quoted headers', () => {
    const r = readNonmem(['"ID","TIME","AMT","DV"', '1,0,10,0', '1,1,0,55', '1,2,.,.'].join('\n'));
    expect(r.ok).toBe(false); // line 4: DV missing on an observation with MDV 0
    const ok = readNonmem(['"ID","TIME","AMT","DV","MDV"', '1,0,10,0,1', '1,1,0,55,0', '1,2,.,.,1'].join('\n'));
    if (!ok.ok) throw new Error(ok.problems.join('\n'));
    // Without EVID, MDV 1 and no AMT is NONMEM's "other event" (EVID 2): not an observation.
    expect(ok.dataset.subjects[0].records.map((x) => x.kind)).toEqual(['dose', 'observation']);
    const withEvid = readNonmem(['ID,TIME,AMT,DV,EVID,MDV', '1,0,10,.,1,1', '1,2,.,.,0,1'].join('\n'));
    if (!withEvid.ok) throw new Error(withEvid.problems.join('\n'));
    expect(withEvid.dataset.subjects[0].records[1]).toEqual({ kind: 'observation', line: 3, tMin: 120, dvNgMl: null });
  });

  it('refuses text in a number column, naming line and column', () => {
    expect(problems([HEAD, '1,0,70,0,.,1,1,70', '1,0.5,.,.,high,0,0,70'])).toEqual([
      'line 3, column 5 (DV): expected a number, got "high"',
    ]);
    expect(problems([HEAD, '1,zero,70,0,.,1,1,70'])).toEqual(['line 2, column 2 (TIME): expected a number, got "zero"']);
  });

  it('refuses a missing ID', () => {
    expect(problems([HEAD, '1,0,70,0,.,1,1,70', '.,0.5,.,.,100,0,0,70'])).toEqual(['line 3, column 1 (ID): missing subject ID']);
  });

  it('refuses EVID 1 without AMT, and a dose of 0 mg', () => {
    expect(problems([HEAD, '1,0,.,0,.,1,1,70'])).toEqual(['line 2, column 3 (AMT): a dose record (EVID 1) needs AMT (mg)']);
    expect(problems([HEAD, '1,0,0,0,.,1,1,70'])).toEqual(['line 2, column 3 (AMT): a dose (EVID 1) must be > 0 mg, got 0']);
  });

  it('refuses a negative TIME and time going backwards within a subject (not across subjects)', () => {
    expect(problems([HEAD, '1,-0.5,70,0,.,1,1,70'])).toEqual(['line 2, column 2 (TIME): must be ≥ 0, got -0.5']);
    expect(problems([HEAD, '1,0,70,0,.,1,1,70', '1,2,.,.,100,0,0,70', '1,1.5,.,.,120,0,0,70'])).toEqual([
      'line 4, column 2 (TIME): time goes backwards within subject 1 (1.5 after 2 on line 3)',
    ]);
    expect(readNonmem([HEAD, '1,0,70,0,.,1,1,70', '1,2,.,.,100,0,0,70', '2,0,70,0,.,1,1,70'].join('\n')).ok).toBe(true);
  });

  it('refuses other malformations: field count, a repeated subject, changing or half-given covariates, ADDL, EVID 4, RATE −2, unit conflict', () => {
    expect(problems([HEAD, '1,0,70,0,.,1,1'])).toEqual(['line 2: 7 fields, but the header (line 1) has 8']);
    expect(problems([...GOOD, '1,3,.,.,40,0,0,70'])).toEqual([
      'line 7, column 1 (ID): subject 1 appears again after other subjects; sort the dataset by ID, then TIME',
    ]);
    expect(problems([HEAD, '1,0,70,0,.,1,1,70', '1,1,.,.,100,0,0,72'])[0]).toMatch(
      /^line 3, column 8 \(WT\): WT changes within subject 1 \(70 on line 2, 72 here\)/,
    );
    expect(problems([HEAD, '1,0,70,0,.,1,1,70', '1,1,.,.,100,0,0,.'])[0]).toMatch(
      /^line 3, column 8 \(WT\): WT is missing here but given on line 2/,
    );
    expect(problems([HEAD, '1,0,70,0,.,1,1,500'])).toEqual(['line 2, column 8 (WT): must be between 0.3 and 400 kg, got 500']);
    expect(problems(['ID,TIME,AMT,DV,ADDL,II', '1,0,70,.,3,12'])[0]).toMatch(
      /^line 2, column 5 \(ADDL\): ADDL 3 is not supported/,
    );
    expect(problems([HEAD, '1,0,70,0,.,4,1,70'])[0]).toMatch(/^line 2, column 6 \(EVID\): EVID 4 is not supported/);
    expect(problems([HEAD, '1,0,70,-2,.,1,1,70'])[0]).toMatch(/^line 2, column 4 \(RATE\): must be ≥ 0 mg\/h/);
    expect(problems(['# time-unit: h', ...GOOD], 'min')).toEqual([
      '--time-unit: min contradicts the file\'s "# time-unit: h" (line 1); give one or make them agree',
    ]);
    expect(problems(['ID,TIME,DV', '1,0,5'])).toEqual([
      'line 1: column AMT is missing; a dataset needs ID, TIME, AMT and DV (RATE, EVID, MDV optional)',
    ]);
    expect(problems([''])).toEqual([
      'line 1: no header row; expected columns ID, TIME, AMT, DV (RATE, EVID, MDV, WT, AGE, SEX, HT optional)',
    ]);
  });

  it('lists every problem of the file, not just the first; nothing is returned from a file with any', () => {
    const r = readNonmem([HEAD, '1,0,70,0,.,1,1,70', '1,x,.,.,100,0,0,70', '.,1,.,.,100,0,0,70', '2,0,.,0,.,1,1,70'].join('\n'));
    expect(r).toEqual({
      ok: false,
      problems: [
        'line 3, column 2 (TIME): expected a number, got "x"',
        'line 4, column 1 (ID): missing subject ID',
        'line 5, column 3 (AMT): a dose record (EVID 1) needs AMT (mg)',
      ],
    });
  });

  it('a C column holding "C" marks a comment row (NONMEM convention)', () => {
    const r = readNonmem(['C,ID,TIME,AMT,DV', '.,1,0,10,.', 'C,1,oops,.,.', '.,1,1,.,50'].join('\n'));
    if (!r.ok) throw new Error(r.problems.join('\n'));
    expect(r.dataset.subjects[0].records).toHaveLength(2);
  });

  it('splitCsvLine: trims plain fields, keeps quoted ones, unescapes doubled quotes', () => {
    expect(splitCsvLine(' a , "b, c" ,"d""e",')).toEqual(['a', 'b, c', 'd"e', '']);
  });
});
