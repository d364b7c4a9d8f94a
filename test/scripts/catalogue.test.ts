// docs/FILES.md is what scripts/catalogue.mjs generates now; every source file has a first comment; the comment reader.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCatalogue, firstComment, folderDescription, OUTPUT, ROOT_DIR } from '../../scripts/catalogue.mjs';

/** The catalogue lines (`- \`path\` — …`) of a FILES.md text, by path. */
function entries(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of text.matchAll(/^- `([^`]+)` — .*$/gm)) out.set(m[1], m[0]);
  return out;
}

describe('docs/FILES.md (npm run catalogue)', () => {
  const generated = buildCatalogue();

  it('every source file starts with a comment saying what it is for', () => {
    expect(generated.files.length).toBeGreaterThan(100);
    expect(generated.missing, 'files without a first comment (add one line at the very top)').toEqual([]);
  });

  it('every catalogued folder has a one-line description', () => {
    expect(generated.undescribed, 'folders without a description (FOLDERS in scripts/catalogue.mjs)').toEqual([]);
  });

  it('is up to date with the sources (run `npm run catalogue` after adding, renaming or re-describing a file)', () => {
    const current = readFileSync(join(ROOT_DIR, OUTPUT), 'utf8');
    if (current === generated.text) return;
    const want = entries(generated.text),
      have = entries(current);
    const stale = [
      ...[...want.keys()].filter((p) => !have.has(p)).map((p) => `${p}: not listed`),
      ...[...have.keys()].filter((p) => !want.has(p)).map((p) => `${p}: listed but gone`),
      ...[...want.keys()].filter((p) => have.has(p) && have.get(p) !== want.get(p)).map((p) => `${p}: description changed`),
    ];
    // Entries all agree: then a heading, a folder description or the file count differs.
    expect(stale.length > 0 ? stale : ['headings or folder descriptions differ'], `${OUTPUT} is out of date`).toEqual([]);
  });
});

describe('firstComment(text): the first sentence of the first comment', () => {
  it('reads a line comment, skipping a shebang and blank lines', () => {
    expect(firstComment('#!/usr/bin/env node\n\n// `npm start`: build and serve.\nimport x from "y";\n')).toBe(
      '`npm start`: build and serve.',
    );
  });

  it('reads a docblock, joining lines until the sentence ends', () => {
    const text =
      '/**\n * Min/max decimation of columnar samples for plotting at\n * pixel resolution. More here.\n */\nexport {};\n';
    expect(firstComment(text)).toBe('Min/max decimation of columnar samples for plotting at pixel resolution.');
  });

  it('does not end a sentence at an abbreviation followed by a lower-case word', () => {
    expect(firstComment('// Engine vs reference: max rel. error ≤ 1e-9 (cp, ce).\n')).toBe(
      'Engine vs reference: max rel. error ≤ 1e-9 (cp, ce).',
    );
  });

  it('ends the first paragraph at a blank comment line or a list', () => {
    expect(firstComment('/**\n * Two projects, both in node:\n *  - unit: every test;\n *  - e2e: the browser.\n */\n')).toBe(
      'Two projects, both in node:',
    );
    expect(firstComment('// First part\n//\n// Second paragraph.\n')).toBe('First part');
  });

  it('reads Python (# or docstring), CSS and HTML comments', () => {
    expect(firstComment('#!/usr/bin/env python3\n"""Independent reference. Reads a plan."""\n')).toBe('Independent reference.');
    expect(firstComment('# CI: a clean clone.\nset -e\n')).toBe('CI: a clean clone.');
    expect(firstComment('/* Live mode styles. */\n.a { color: red; }\n')).toBe('Live mode styles.');
    expect(firstComment('<!-- Vite entry page. -->\n<!doctype html>\n')).toBe('Vite entry page.');
  });

  it('skips tool directives and finds none where the file starts with code', () => {
    expect(firstComment('/// <reference types="vite/client" />\n// The boot script.\n')).toBe('The boot script.');
    expect(firstComment("import { x } from './x.ts';\n// Not first.\n")).toBeNull();
    expect(firstComment('')).toBeNull();
    expect(firstComment('/** */\nexport {};\n')).toBeNull();
  });

  it('cuts a very long first sentence at a word, marked with an ellipsis', () => {
    const long = `// ${'word '.repeat(100).trim()}.\n`;
    const got = firstComment(long)!;
    expect(got.length).toBeLessThanOrEqual(240);
    expect(got.endsWith(' …')).toBe(true);
  });
});

describe('folderDescription', () => {
  it('describes a test folder that mirrors a source folder, and nothing for an unknown folder', () => {
    expect(folderDescription('test/engine/pk')).toBe('tests of engine/pk/');
    expect(folderDescription('engine')).toMatch(/pure TypeScript/);
    expect(folderDescription('no-such-folder')).toBeNull();
    expect(folderDescription('test/no-such-folder')).toBeNull();
  });
});
