// Runs the generator compiled to wasm32-unknown-unknown in V8 (node): prints the digests the
// native tests pin (tests/determinism.rs) and the course-size timings.
//
//   (cd crates/datagen/wasm/probe && cargo build --release --target wasm32-unknown-unknown)
//   node crates/datagen/wasm/check.mjs <target-dir>/wasm32-unknown-unknown/release/datagen_wasm_probe.wasm
//
// Timings report wall time and this process's CPU time (the machine may be shared).
import { readFileSync } from 'node:fs';

const [wasmPath] = process.argv.slice(2);
const { instance } = await WebAssembly.instantiate(readFileSync(wasmPath), {});
const { landed_digest, landed_bytes, generate_rows } = instance.exports;
const hex = (n) => '0x' + BigInt.asUintN(64, n).toString(16).padStart(16, '0');

console.log(`tiny seed 42 initial   ${hex(landed_digest(0, 42n, 0))}`);
console.log(`tiny seed 42 increment ${hex(landed_digest(0, 42n, 1))}`);
console.log(`course seed 1 initial  ${hex(landed_digest(1, 1n, 0))}`);
const rows = Number(generate_rows(1, 1n, 0));
for (const [name, fn] of [['generate', generate_rows], ['generate+land', landed_bytes]]) {
  const wall = [];
  const cpu = [];
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    const startCpu = process.cpuUsage();
    fn(1, 1n, 0);
    const used = process.cpuUsage(startCpu);
    wall.push(performance.now() - start);
    cpu.push((used.user + used.system) / 1000);
  }
  const median = (xs) => xs.sort((a, b) => a - b)[2];
  const m = median(cpu);
  console.log(
    `course ${name} (${rows} rows): wall median ${median(wall).toFixed(0)} ms, ` +
      `cpu median ${m.toFixed(0)} ms (${((rows / m) * 1000 / 1e6).toFixed(2)} M rows/s)`,
  );
}
