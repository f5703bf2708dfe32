// `node --import tsx --import ./record-imports.mjs main.ts`: appends the URL of every ES module the
// process resolves to $RECORD_IMPORTS_FILE (one per line), to check what a start loads.
import { register } from 'node:module';

if (process.env.RECORD_IMPORTS_FILE) {
  register('./record-imports-hooks.mjs', import.meta.url, { data: { file: process.env.RECORD_IMPORTS_FILE } });
}
