// Tidies the declarations wasm-bindgen writes (pkg/core.d.ts) so that they say what the package does:
// the glue's init functions and InitOutput (the raw wasm exports) go: index.d.ts declares init() and
// initSync() as the entries define them.
import { readFileSync, writeFileSync } from "node:fs";

const file = process.argv[2];
let text = readFileSync(file, "utf8");

const glue = text.indexOf("\nexport type InitInput");
if (glue === -1) throw new Error(`${file}: no "export type InitInput", has wasm-bindgen changed its output?`);
text = `${text.slice(0, glue).trimEnd()}\n`;
if (/InitOutput|__wbg_init/.test(text)) throw new Error(`${file}: still names the glue's init`);
writeFileSync(file, text);
