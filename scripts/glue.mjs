// The build's rewrites of wasm-bindgen's output (the glue, tokenstore.js, and the wasm module). Each finds
// what it changes by the structure of the parsed glue, so it works on wasm-bindgen's own output and on a
// minified copy alike, and throws a GlueShapeError naming what it expected when the glue has another shape.
import { parse } from "acorn";
import { ancestor } from "acorn-walk";
import { readdir } from "node:fs/promises";
import { dirname, join, sep } from "node:path";

/** The module name under which the wasm imports the functions of the glue itself. */
export const GLUE_MODULE = "./tokenstore_bg.js";

/** The glue or the wasm has a shape these rewrites do not know. */
export class GlueShapeError extends Error {
  name = "GlueShapeError";
}

const fail = (why) => {
  throw new GlueShapeError(why);
};

function parseModule(code) {
  try {
    return parse(code, { ecmaVersion: "latest", sourceType: "module" });
  } catch (error) {
    return fail(`the glue does not parse as a module: ${error.message}`);
  }
}

const isFunction = (node) =>
  node.type === "FunctionDeclaration" || node.type === "FunctionExpression" || node.type === "ArrowFunctionExpression";

// A property's name as written: `name:`, `"name":` (computed keys have none).
const keyName = (property) => {
  if (property.type !== "Property" || property.computed) return undefined;
  return property.key.type === "Identifier" ? property.key.name : property.key.value;
};

/** Applies [start, end, text] edits to `code`, which must not overlap. */
function edit(code, edits) {
  let out = code;
  for (const [start, end, text] of [...edits].sort((a, b) => b[0] - a[0])) {
    out = out.slice(0, start) + text + out.slice(end);
  }
  return out;
}

// --- The wasm binary: its import section ---

// Unsigned LEB128, as the wasm binary format writes every count and size.
function readU32(bytes, at) {
  let value = 0;
  for (let shift = 0; ; shift += 7) {
    if (at >= bytes.length) fail("the wasm module ends inside a number");
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
  return [Buffer.from(bytes.subarray(start, start + length)).toString("utf8"), start + length];
}
const encodeName = (text) => Buffer.concat([writeU32(Buffer.byteLength(text)), Buffer.from(text)]);

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
    default: return fail(`import kind ${kind} is not one of function, table, memory or global`);
  }
}

/**
 * Rewrites the names of the wasm's imports: `rename(module, name)` returns the new name (or the same).
 * Returns the new module's bytes.
 */
function renameImports(wasm, rename) {
  const bytes = Buffer.from(wasm);
  if (bytes.length < 8 || bytes.readUInt32LE(0) !== 0x6d736100) fail("the wasm file is not a WebAssembly module");
  const sections = [bytes.subarray(0, 8)];
  for (let at = 8; at < bytes.length; ) {
    const id = bytes[at];
    const [size, start] = readU32(bytes, at + 1);
    const end = start + size;
    if (end > bytes.length) fail("a section of the wasm module runs past its end");
    if (id !== 2) {
      sections.push(bytes.subarray(at, end));
      at = end;
      continue;
    }
    let [count, cursor] = readU32(bytes, start);
    const imports = [writeU32(count)];
    while (count-- > 0) {
      const [module, afterModule] = readName(bytes, cursor);
      const [field, afterField] = readName(bytes, afterModule);
      const afterDescription = skipDescription(bytes, afterField);
      imports.push(encodeName(module), encodeName(rename(module, field)), bytes.subarray(afterField, afterDescription));
      cursor = afterDescription;
    }
    const content = Buffer.concat(imports);
    sections.push(Buffer.from([2]), writeU32(content.length), content);
    at = end;
  }
  return Buffer.concat(sections);
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

// --- The glue ---

/**
 * The object literal the glue hands WebAssembly.instantiate as the imports of GLUE_MODULE: the value of
 * the one property keyed GLUE_MODULE, written in place or as a variable bound to an object literal in
 * a scope around that property (wasm-bindgen writes `const import0 = {...}` and `"./tokenstore_bg.js":
 * import0`; minifiers inline it or rename the variable).
 */
function findImportObject(program) {
  const keyed = [];
  const declarators = [];
  ancestor(program, {
    Property(node, _state, ancestors) {
      if (keyName(node) === GLUE_MODULE) keyed.push({ node, ancestors: [...ancestors] });
    },
    VariableDeclarator(node, _state, ancestors) {
      if (node.id.type === "Identifier") declarators.push({ node, ancestors: [...ancestors] });
    },
  });
  if (keyed.length !== 1) {
    fail(`expected one property keyed "${GLUE_MODULE}" (the imports object wasm-bindgen's __wbg_get_imports returns), found ${keyed.length}`);
  }
  const [{ node: property, ancestors }] = keyed;
  if (property.value.type === "ObjectExpression") return property.value;
  if (property.value.type !== "Identifier") {
    fail(`expected "${GLUE_MODULE}" to be an object literal or a variable holding one, found ${property.value.type}`);
  }
  // The innermost function (or the module) around the property that declares the name.
  const name = property.value.name;
  const scopes = ancestors.filter((node) => isFunction(node) || node.type === "Program").reverse();
  for (const scope of scopes) {
    const declared = declarators.filter(
      ({ node, ancestors }) => node.id.name === name && ancestors.filter((a) => isFunction(a) || a.type === "Program").at(-1) === scope,
    );
    if (declared.length === 0) continue;
    const init = declared.length === 1 ? declared[0].node.init : undefined;
    if (init?.type !== "ObjectExpression") {
      fail(`expected "${GLUE_MODULE}": ${name} to name one variable holding an object literal`);
    }
    return init;
  }
  return fail(`expected a declaration of ${name}, the imports of "${GLUE_MODULE}", around the object that names it`);
}

/**
 * Gives the wasm's imports from the glue short names ("a", "b", ... "ab", ...) in both files.
 * wasm-bindgen names each after the JS it runs plus a 16-digit hash ("__wbg_addEventListener_847f...")
 * and writes every name twice, in the wasm's import section and as a key of the glue's import object:
 * kilobytes gzipped of names that nothing reads. Each name must be exactly one key of that object and
 * appear nowhere else in the glue.
 */
export function shortenImports(wasm, glue) {
  const importObject = findImportObject(parseModule(glue));
  const keys = new Map();
  for (const property of importObject.properties) {
    const name = keyName(property);
    if (name === undefined) fail(`expected only named keys in the imports of "${GLUE_MODULE}", found a ${property.type}`);
    keys.set(name, [...(keys.get(name) ?? []), property]);
  }
  const edits = [];
  const renamed = new Map();
  const newWasm = renameImports(wasm, (module, field) => {
    if (module !== GLUE_MODULE) return field;
    if (renamed.has(field)) fail(`the wasm imports ${field} from "${GLUE_MODULE}" twice`);
    const properties = keys.get(field) ?? [];
    if (properties.length !== 1) {
      fail(`expected ${field}, which the wasm imports, to be one key of the imports of "${GLUE_MODULE}" in the glue; found ${properties.length}`);
    }
    const mentions = glue.split(field).length - 1;
    if (mentions !== 1) fail(`expected ${field} once in the glue, as a key of its imports; found it ${mentions} times`);
    const short = shortName(renamed.size);
    if (keys.has(short)) fail(`the imports of "${GLUE_MODULE}" already have a key ${short}`);
    renamed.set(field, short);
    const { key } = properties[0];
    edits.push([key.start, key.end, short]);
    return short;
  });
  if (renamed.size === 0) fail(`the wasm imports nothing from "${GLUE_MODULE}"`);
  return { wasm: newWasm, glue: edit(glue, edits) };
}

/**
 * Makes the glue refuse, before keeping it, a module that does not export `exportName`: wasm-bindgen's
 * glue keeps the first module it finalizes even when its start then fails, so a wrong module given to
 * init() would leave every later init() resolving on it. The check goes first in the one function that
 * starts the module (`instance.exports.__wbindgen_start()`, wasm-bindgen's __wbg_finalize_init), whose
 * first parameter is the instance.
 */
export function refuseForeignModule(glue, exportName) {
  const finalizers = new Set();
  ancestor(parseModule(glue), {
    CallExpression(node, _state, ancestors) {
      const { callee } = node;
      if (callee.type !== "MemberExpression" || callee.computed || callee.property.name !== "__wbindgen_start") return;
      const around = ancestors.findLast(isFunction);
      if (around) finalizers.add(around);
    },
  });
  if (finalizers.size !== 1) {
    fail(`expected one function that calls the instance's __wbindgen_start() (wasm-bindgen's __wbg_finalize_init), found ${finalizers.size}`);
  }
  const [finalize] = finalizers;
  const instance = finalize.params[0];
  if (instance?.type !== "Identifier" || finalize.body.type !== "BlockStatement") {
    fail("expected __wbg_finalize_init to be a function with a body whose first parameter is the instance");
  }
  let readsExports = false;
  ancestor(finalize.body, {
    MemberExpression(node) {
      if (node.object.type === "Identifier" && node.object.name === instance.name && !node.computed && node.property.name === "exports") readsExports = true;
    },
  });
  if (!readsExports) fail(`expected __wbg_finalize_init to read ${instance.name}.exports, its first parameter being the instance`);
  const check =
    `if (typeof ${instance.name}.exports.${exportName} !== "function") ` +
    `throw new TypeError("tokenstore: this WebAssembly module is not tokenstore_bg.wasm");`;
  return edit(glue, [[finalize.body.start + 1, finalize.body.start + 1, check]]);
}

/**
 * An esbuild plugin for the hand-written entries of `entryDir`: `./core.js` is wasm-bindgen's glue
 * (`glue`), and `./snippets/NAME_JS` the snippet `src/wasm/name.js` that wasm-bindgen wrote under
 * `snippets/` beside the glue, which must be exactly one file (the directory between carries the crate's
 * name and a hash, known only once it is written).
 */
export function glueImports({ entryDir, glue, snippets }) {
  return {
    name: "glue-imports",
    setup(build) {
      build.onResolve({ filter: /^\.\/(core\.js|snippets\/.*)$/ }, async ({ path, importer }) => {
        if (dirname(importer) !== entryDir) return undefined;
        if (path === "./core.js") return { path: glue };
        const placeholder = /^\.\/snippets\/([A-Z_]+)_JS$/.exec(path);
        if (!placeholder) return { errors: [{ text: `expected a snippet placeholder ./snippets/NAME_JS, found ${path}` }] };
        const file = `${placeholder[1].toLowerCase()}.js`;
        const found = (await readdir(snippets, { recursive: true }))
          .filter((entry) => entry.split(sep).slice(1).join("/") === `src/wasm/${file}`);
        if (found.length !== 1) {
          return { errors: [{ text: `expected one snippets/*/src/wasm/${file} (for ${path}) in ${snippets}, found ${found.length}` }] };
        }
        return { path: join(snippets, found[0]) };
      });
    },
  };
}
