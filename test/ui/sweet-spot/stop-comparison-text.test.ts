// The stop comparison panel's input reading (a message naming the field) and its minutes in words.
import { describe, expect, it } from 'vitest';
import { fallText, plainNum, readStopInput } from '../../../ui/sweet-spot/stop-comparison-text.ts';

describe('readStopInput', () => {
  it('reads a number (a decimal comma too) and names the field otherwise', () => {
    expect(readStopInput(' 15 ', 'Decision to stop at', 'min')).toEqual({ ok: true, value: 15 });
    expect(readStopInput('0,5', 'IV dose', 'mg/kg')).toEqual({ ok: true, value: 0.5 });
    expect(readStopInput('', 'IV dose', 'mg/kg')).toEqual({ ok: false, message: 'IV dose: required (mg/kg)' });
    expect(readStopInput('1x', 'Decision to stop at', 'min')).toEqual({
      ok: false,
      message: 'Decision to stop at: must be a number (min), got "1x"',
    });
  });
});

describe('fallText', () => {
  it('0 is "not at or above it", null is past the horizon, else minutes to one decimal', () => {
    expect(fallText(0, 480)).toBe('0 min (not at or above it after the decision)');
    expect(fallText(null, 480)).toBe('still above at the end of the 480-min horizon');
    expect(fallText(13.26, 480)).toBe('13.3 min');
    expect(plainNum(15)).toBe('15');
    expect(plainNum(0.1 + 0.2)).toBe('0.3');
  });
});
