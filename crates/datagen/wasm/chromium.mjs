// Times the wasm32 generator in headless Chromium: writes a self-contained page (the module
// inlined as base64, no server needed), runs `chromium --headless --dump-dom` on it and prints
// what the page wrote.
//
//   node crates/datagen/wasm/chromium.mjs <path to datagen_wasm_probe.wasm> [chromium binary]
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [wasmPath, chromium = '/usr/bin/chromium'] = process.argv.slice(2);
const wasm = readFileSync(wasmPath).toString('base64');
const dir = mkdtempSync(join(tmpdir(), 'datagen-wasm-'));
const page = join(dir, 'index.html');
writeFileSync(
  page,
  `<!doctype html><body><pre id="out">running</pre><script>
// Synchronous compile (the module is small), so everything finishes before the load event
// that --dump-dom waits for, and the timings are real wall-clock time.
const bytes = Uint8Array.from(atob("${wasm}"), (c) => c.charCodeAt(0));
const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
const e = instance.exports;
const hex = (n) => '0x' + BigInt.asUintN(64, n).toString(16).padStart(16, '0');
const lines = [navigator.userAgent,
  'tiny seed 42 initial   ' + hex(e.landed_digest(0, 42n, 0)),
  'tiny seed 42 increment ' + hex(e.landed_digest(0, 42n, 1))];
const rows = Number(e.generate_rows(1, 1n, 0));
for (const [name, fn] of [['generate', e.generate_rows], ['generate+land', e.landed_bytes]]) {
  const times = [];
  for (let i = 0; i < 5; i++) { const t = performance.now(); fn(1, 1n, 0); times.push(performance.now() - t); }
  times.sort((a, b) => a - b);
  lines.push('course ' + name + ' (' + rows + ' rows): median ' + times[2].toFixed(0) + ' ms, min ' + times[0].toFixed(0) + ' ms');
}
document.getElementById('out').textContent = lines.join('\\n');
</script></body>`,
);
const dom = execFileSync(
  chromium,
  ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', `--user-data-dir=${dir}/profile`,
   '--dump-dom', `file://${page}`],
  { encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'ignore'] },
);
const match = dom.match(/<pre id="out">([\s\S]*?)<\/pre>/);
console.log(match ? match[1] : dom);
