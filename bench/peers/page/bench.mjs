// The peer benchmark's page: the workbook's engine (wasm, this page's thread) and DuckDB-WASM
// (its single-threaded EH build, in its own worker as its docs set it up) run the same
// operations on the same data. `window.peerBench` resolves to the figures the runner prints.
import * as duckdb from "/nm/@duckdb/duckdb-wasm/dist/duckdb-browser.mjs";
import init, { Bench } from "/pkg/peer_bench.js";
import { CHECKSUM_COLUMNS, QUERIES } from "./duckdb_sql.mjs";

const params = new URLSearchParams(location.search);
const num = (name, fallback) => Number(params.get(name) ?? fallback);
const config = {
  rows: num("rows", 1_000_000),
  devices: num("devices", 100),
  rightRows: num("right", 10_000),
  preset: params.get("preset") ?? "large",
  runs: num("runs", 3),
  ops: (params.get("ops") ?? "asof,ema,resample,range_stats,gold").split(","),
};

const say = (text) => console.log(`[peers] ${text}`);

async function startDuckDb() {
  const dist = "/nm/@duckdb/duckdb-wasm/dist";
  const worker = new Worker(`${dist}/duckdb-browser-eh.worker.js`);
  const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
  await db.instantiate(`${dist}/duckdb-eh.wasm`);
  const conn = await db.connect();
  // Nothing may come from the network: no extension downloads.
  await conn.query("SET autoinstall_known_extensions = false");
  await conn.query("SET autoload_known_extensions = false");
  const version = (await conn.query("SELECT version() AS v")).toArray()[0].v;
  return { db, conn, version };
}

/** Fastest of `runs` timed calls after one warm-up, in milliseconds. */
async function bestOf(runs, call) {
  await call();
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await call();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

async function duckChecksum(conn, op) {
  const sums = CHECKSUM_COLUMNS[op].map((c) => `sum("${c}")::DOUBLE AS "${c}"`);
  const row = (await conn.query(`SELECT count(*)::DOUBLE AS n, ${sums.join(", ")} FROM r`)).toArray()[0];
  const columns = (await conn.query("SELECT column_name FROM (DESCRIBE r)")).toArray();
  return {
    sums: [row.n, ...CHECKSUM_COLUMNS[op].map((c) => row[c])],
    columns: columns.map((c) => c.column_name),
  };
}

async function run() {
  await init();
  say(`generating ${config.rows} rows, ${config.devices} devices, ${config.rightRows} inspections`);
  const bench = new Bench(config.rows, config.devices, config.rightRows);
  const { conn, version } = await startDuckDb();
  say(`DuckDB-WASM ${version}`);
  await conn.insertArrowFromIPCStream(bench.sensors_ipc(), { name: "sensors", create: true });
  await conn.insertArrowFromIPCStream(bench.inspections_ipc(), { name: "inspections", create: true });
  let updateMs = null;
  if (config.ops.includes("gold")) {
    say(`course data (${config.preset} preset) and the SQL project's first update`);
    updateMs = bench.prepare_gold(config.preset);
    for (const table of ["sensor_bronze", "inspection_bronze"]) {
      await conn.insertArrowFromIPCStream(bench.bronze_ipc(table), { name: table, create: true });
    }
  }
  const results = [];
  for (const op of config.ops) {
    say(`${op}: workbook`);
    const workbookMs = await bestOf(config.runs, () => bench.run(op));
    const workbook = { sums: Array.from(bench.checksum(op)), columns: bench.columns().split(",") };
    say(`${op}: DuckDB-WASM`);
    const sql = `CREATE OR REPLACE TEMP TABLE r AS ${QUERIES[op]}`;
    const duckMs = await bestOf(config.runs, () => conn.query(sql));
    const duck = await duckChecksum(conn, op);
    results.push({ op, workbookMs, duckMs, workbook, duck });
  }
  const count = async (sql) => Number((await conn.query(sql)).toArray()[0].n);
  const gold = config.ops.includes("gold");
  const sourceRows = gold ? await count("SELECT count(*)::DOUBLE AS n FROM sensor_bronze") : null;
  const tiedHours = gold
    ? await count(`SELECT count(*)::DOUBLE AS n FROM (
        SELECT device_id, date_trunc('hour', "timestamp") AS h FROM sensor_bronze
        GROUP BY ALL HAVING count(DISTINCT (trip_id, factory_id, model_id)) > 1)`)
    : null;
  return { config, version, updateMs, sourceRows, tiedHours, results };
}

window.peerBench = run().catch((e) => ({ error: `${e?.message ?? e}\n${e?.stack ?? ""}` }));
