import { main, processIo } from './main.ts';
import './commands.ts';

/** Entry point of the `ketasim` command (bin/ketasim.mjs runs this file through tsx). */
const code = await main(process.argv.slice(2), processIo, (line) => process.stderr.write(line + '\n'));
process.exitCode = code;
