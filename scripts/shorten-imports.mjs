// Gives the wasm module's imports from its JS glue short names ("a", "b", ... "ab", ...) in both files of
// pkg/. wasm-bindgen names each import after the JS it runs plus a 16-digit hash
// ("__wbg_addEventListener_847fd86b8c33ec43"), and every name appears twice, in the wasm import section
// and as a key of the glue's import object: about 2 KB gzipped of names that nothing reads.
//
// Usage: node scripts/shorten-imports.mjs pkg/tokenstore_bg.wasm pkg/core.js
import { readFileSync, writeFileSync } from "node:fs";

const [wasmPath, gluePath] = process.argv.slice(2);
const GLUE_MODULE = "./tokenstore_bg.js";
const wasm = readFileSync(wasmPath);
let glue = readFileSync(gluePath, "utf8");

const fail = (why) => {
  console.error(`shorten-imports: ${why}`);
  process.exit(1);
};

// Unsigned LEB128, as the wasm binary format writes every count and size.
function readU32(bytes, at) {
  let value = 0;
  for (let shift = 0; ; shift += 7) {
    const byte = bytes[at++];
    value += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return [value, at];
  }
}
function writeU32(value) {
  const out = [];
  do {
    let byte = value & 0x7f;
    value = Math.floor(value / 128);
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return Buffer.from(out);
}
function readName(bytes, at) {
  const [length, start] = readU32(bytes, at);
  return [bytes.subarray(start, start + length).toString("utf8"), start + length];
}
const name = (text) => Buffer.concat([writeU32(Buffer.byteLength(text)), Buffer.from(text)]);

// The end of an import's description: a function's type index, a table, a memory or a global.
function skipDescription(bytes, at) {
  const kind = bytes[at++];
  const limits = (at) => {
    const flags = bytes[at++];
    [, at] = readU32(bytes, at);
    if (flags & 1) [, at] = readU32(bytes, at);
    return at;
  };
  switch (kind) {
    case 0: return readU32(bytes, at)[1];
    case 1: return limits(at + 1);
    case 2: return limits(at);
    case 3: return at + 2;
    default: return fail(`import kind ${kind} is not handled`);
  }
}

const shortName = (index) => {
  const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  let text = "";
  do {
    text = letters[index % 52] + text;
    index = Math.floor(index / 52) - 1;
  } while (index >= 0);
  return text;
};

if (wasm.readUInt32LE(0) !== 0x6d736100) fail(`${wasmPath} is not a wasm module`);
const sections = [wasm.subarray(0, 8)];
let renamed = 0;
for (let at = 8; at < wasm.length; ) {
  const id = wasm[at];
  const [size, start] = readU32(wasm, at + 1);
  const end = start + size;
  if (id !== 2) {
    sections.push(wasm.subarray(at, end));
    at = end;
    continue;
  }
  let [count, cursor] = readU32(wasm, start);
  const imports = [writeU32(count)];
  while (count-- > 0) {
    const [module, afterModule] = readName(wasm, cursor);
    const [field, afterField] = readName(wasm, afterModule);
    const afterDescription = skipDescription(wasm, afterField);
    let newField = field;
    if (module === GLUE_MODULE) {
      newField = shortName(renamed++);
      // Each name is one key of the glue's import object, written `name:` after `{` or `,`.
      const key = new RegExp(`([{,])${field}:`, "g");
      const keys = glue.match(key)?.length ?? 0;
      const mentions = glue.split(field).length - 1;
      if (keys !== 1 || mentions !== 1) fail(`${field} is in ${gluePath} ${mentions} times, not once as a key`);
      glue = glue.replace(key, `$1${newField}:`);
    }
    imports.push(name(module), name(newField), wasm.subarray(afterField, afterDescription));
    cursor = afterDescription;
  }
  const content = Buffer.concat(imports);
  sections.push(Buffer.from([2]), writeU32(content.length), content);
  at = end;
}
if (renamed === 0) fail(`no imports from ${GLUE_MODULE} in ${wasmPath}`);
writeFileSync(wasmPath, Buffer.concat(sections));
writeFileSync(gluePath, glue);
