// The native `iotwb` command as the reference for what the page computes: the same seed
// generated and run natively must give the same tables as the engine in the browser.
import { execFileSync } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(new URL("../..", import.meta.url).pathname);
export const IOTWB = process.env.IOTWB ?? join(process.env.CARGO_TARGET_DIR ?? join(ROOT, "target"), "debug", "iotwb");

/** Rows per table after an update of the Python course project over `batches` of `seed`. */
export async function nativeRun(seed, batches) {
  const dir = await mkdtemp(join(tmpdir(), "iotwb-native-"));
  const volume = join(dir, "volume");
  const state = join(dir, "state");
  const runs = [];
  for (const batch of batches) {
    execFileSync(IOTWB, ["generate", "--seed", String(seed), "--batch", batch, "--out", volume], { stdio: "pipe" });
    const out = execFileSync(
      IOTWB,
      ["run", join(ROOT, "crates/pipeline/projects/iot_python"), "--volume", volume, "--state", state],
      { encoding: "utf8" },
    );
    runs.push(parseRun(out));
  }
  return runs;
}

/** `{ table: { added, rows, refresh } }` from `iotwb run`'s summary lines. */
function parseRun(text) {
  const tables = {};
  for (const line of text.split("\n")) {
    const m = line.match(/^(\w+)\s+(STREAMING_TABLE|MATERIALIZED_VIEW|VIEW)\s+(\d+)\s+(\d+)\s+(\S+)/);
    if (m) tables[m[1]] = { added: Number(m[3]), rows: Number(m[4]), refresh: m[5] };
  }
  return tables;
}
