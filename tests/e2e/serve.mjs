// A plain static file server for dist/, as an instructor's static host would be: no
// single-page-app fallback (deep links must work through the route pages Trunk's hook writes),
// folders redirected to their trailing-slash URL,
// `.wasm` served as application/wasm, optionally under a path prefix such as /course/.
import { createServer } from "node:http";
import { gzipSync } from "node:zlib";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
};

// Compressed like a static host compresses text and wasm (gzip level 9, as `gzip -9`).
const COMPRESSIBLE = new Set([".html", ".js", ".mjs", ".css", ".wasm", ".json", ".svg"]);
const gzipped = new Map();

/**
 * Serves `root` on 127.0.0.1:`port` (0 = any free port) under `prefix`; resolves to the server.
 * `server.log` lists every response sent: `{ path, bytes, at }`, where bytes are the bytes on
 * the wire (gzipped when the browser accepts it) and `at` is `Date.now()` when it was sent.
 */
export function serveDir(root, { port = 0, prefix = "/" } = {}) {
  const base = resolve(root);
  const log = [];
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (!path.startsWith(prefix)) return send(res, 404, "not found");
    let file = normalize(join(base, path.slice(prefix.length)));
    if (!file.startsWith(base)) return send(res, 403, "forbidden");
    try {
      if ((await stat(file)).isDirectory()) {
        // Like nginx, Apache, GitHub Pages and S3: a folder's URL gets its trailing slash.
        if (!path.endsWith("/")) return redirect(res, path + "/");
        file = join(file, "index.html");
      }
      let body = await readFile(file);
      const headers = { "content-type": TYPES[extname(file)] ?? "application/octet-stream" };
      if (COMPRESSIBLE.has(extname(file)) && /\bgzip\b/.test(req.headers["accept-encoding"] ?? "")) {
        const key = `${file}:${body.length}`;
        if (!gzipped.has(key)) gzipped.set(key, gzipSync(body, { level: 9 }));
        body = gzipped.get(key);
        headers["content-encoding"] = "gzip";
      }
      res.writeHead(200, headers);
      res.end(body);
      log.push({ path, bytes: body.length, at: Date.now() });
    } catch {
      send(res, 404, "not found");
    }
  });
  server.log = log;
  return new Promise((ok) => server.listen(port, "127.0.0.1", () => ok(server)));
}

function redirect(res, location) {
  res.writeHead(301, { location });
  res.end();
}

function send(res, status, text) {
  res.writeHead(status, { "content-type": "text/plain" });
  res.end(text);
}

// `node serve.mjs <dir> [port]` serves a folder for people.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [dir = "dist", port = "8080"] = process.argv.slice(2);
  const server = await serveDir(dir, { port: Number(port) });
  console.log(`Serving ${dir} at http://127.0.0.1:${server.address().port}/`);
}
