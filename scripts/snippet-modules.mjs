// The JS snippet modules the crate's wasm-bindgen glue imports must stay at most four (MAX_SNIPPETS).
// Why: a browser test page loads the glue, then all its snippets at once from wasm-bindgen-test-runner's
// server (rouille over tiny_http 0.12). One connection is already open and kept alive; each further
// one needs a worker of tiny_http's pool, which starts with four, one of them busy with that open
// connection. A worker that picks up a connection keeps it until the browser closes it, and the pool
// counts idle workers before they wake: when more new connections arrive at once than there are idle
// workers, the last one can be queued behind busy workers and never served. The page then never starts
// its tests, and the driver times out ("Timed out receiving message from renderer"). Four snippets
// mean one request on the open connection and three new connections: never queued.
// `node scripts/snippet-modules.mjs [DIR...]` (default src and tests) lists them and fails above four.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const MAX_SNIPPETS = 4;

function rustFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return rustFiles(path);
    return entry.name.endsWith('.rs') ? [path] : [];
  });
}

/** The snippet modules `source` makes wasm-bindgen write: each `module = "/..."` path and each `inline_js`. */
export function snippetsOf(source, file) {
  // Outside line comments only, so that prose naming an attribute never counts.
  const code = source.replace(/\/\/[^\n]*/g, '');
  const modules = [...code.matchAll(/#\[wasm_bindgen\([^\]]*?\bmodule\s*=\s*"(\/[^"]+)"/g)].map((m) => m[1]);
  const inline = [...code.matchAll(/#\[wasm_bindgen\([^\]]*?\binline_js\s*=/g)].map((_, i) => `${file} inline_js #${i + 1}`);
  return [...modules, ...inline];
}

/** Every distinct snippet module of the Rust files under `dirs`. */
export function snippetModules(dirs) {
  const found = new Set();
  for (const dir of dirs) {
    for (const file of rustFiles(dir)) for (const snippet of snippetsOf(readFileSync(file, 'utf8'), file)) found.add(snippet);
  }
  return [...found].sort();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const dirs = process.argv.length > 2 ? process.argv.slice(2) : [join(root, 'src'), join(root, 'tests')];
  const snippets = snippetModules(dirs);
  console.log(`snippet modules (${snippets.length}, at most ${MAX_SNIPPETS}):\n  ${snippets.join('\n  ')}`);
  if (snippets.length > MAX_SNIPPETS) {
    console.error(
      `${snippets.length} snippet modules: a browser test page would open more connections at once than ` +
        "wasm-bindgen-test-runner's server serves reliably (see this script's header); merge one into another",
    );
    process.exit(1);
  }
}
