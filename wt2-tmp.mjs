const esbuild = await import('esbuild');
const r = await esbuild.build({ entryPoints: ['/work/main/engine/population/local.ts'], bundle: true, format: 'cjs', platform: 'node', write: false, external: ['mathjs'], logLevel: 'silent', metafile: true });
const text = r.outputFiles[0].text;
const i = text.indexOf('require("mathjs")'); console.log(text.slice(i - 300, i + 50));
console.log(Object.keys(r.metafile.inputs));
