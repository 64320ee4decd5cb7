// The facade's modules must import each other in one direction. This reads every `.rs` file under a
// directory (src/wasm by default), takes each module's `use` lines and the `super::` / `self::` /
// `crate::wasm::` paths in its code as edges to the modules they name, and fails with the import
// circles it finds. `node scripts/module-cycles.mjs [DIR] [--graph]`; `--graph` also prints the edges.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The module path of a file under the root: `mod.rs` names its directory. */
function modulePath(root, file) {
  const parts = relative(root, file).split(sep);
  const last = parts.pop().replace(/\.rs$/, '');
  if (last !== 'mod') parts.push(last);
  return parts;
}

function rustFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return rustFiles(path);
    return entry.name.endsWith('.rs') ? [path] : [];
  });
}

/** `source` without comments, string and char literals, so that prose never counts as an import. */
export function stripNoise(source) {
  return source
    .replace(/r(#*)"[\s\S]*?"\1/g, '""')
    .replace(/"(?:[^"\\]|\\[\s\S])*"/g, '""')
    .replace(/'(?:[^'\\\n]|\\[^\n]{1,10})'/g, "''")
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\/\/[^\n]*/g, '');
}

/** The paths a use tree names: `a::{b, c::{d, e}}` gives `a::b`, `a::c::d`, `a::c::e`. */
export function expandUseTree(tree) {
  tree = tree.replace(/\s+/g, '');
  const open = tree.indexOf('{');
  if (open === -1) return [tree.replace(/::self$/, '').replace(/\bas\w+$/, '')];
  const prefix = tree.slice(0, open);
  const inner = tree.slice(open + 1, tree.lastIndexOf('}'));
  const parts = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < inner.length; i += 1) {
    if (inner[i] === '{') depth += 1;
    else if (inner[i] === '}') depth -= 1;
    else if (inner[i] === ',' && depth === 0) {
      parts.push(inner.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(inner.slice(start));
  return parts
    .filter((part) => part !== '')
    .flatMap((part) => (part === 'self' ? [prefix.replace(/::$/, '')] : expandUseTree(prefix + part)));
}

/** Resolves `path` (segments) from module `from` to the longest prefix that is a known module. */
function resolve(path, from, modules, childRelative) {
  let at;
  let rest = path;
  if (rest[0] === 'crate' && rest[1] === 'wasm') {
    at = [];
    rest = rest.slice(2);
  } else if (rest[0] === 'super' || rest[0] === 'self') {
    at = [...from];
    while (rest[0] === 'super' || rest[0] === 'self') {
      if (rest[0] === 'super') at.pop();
      rest = rest.slice(1);
    }
  } else if (childRelative && modules.has([...from, rest[0]].join('::'))) {
    at = [...from];
  } else {
    return null;
  }
  let best = at.join('::');
  for (const segment of rest) {
    at = [...at, segment];
    if (!modules.has(at.join('::'))) break;
    best = at.join('::');
  }
  return best;
}

/** The import graph of the `.rs` files under `root`: module name (`''` for mod.rs) to the set it uses. */
export function moduleGraph(root) {
  const files = rustFiles(root).map((file) => ({ file, path: modulePath(root, file) }));
  const modules = new Set(files.map(({ path }) => path.join('::')));
  const graph = new Map();
  for (const { file, path } of files) {
    const name = path.join('::');
    const edges = new Set();
    const code = stripNoise(readFileSync(file, 'utf8'));
    const add = (segments, childRelative) => {
      const target = resolve(segments, path, modules, childRelative);
      if (target !== null && target !== name) edges.add(target);
    };
    for (const [, tree] of code.matchAll(/\buse\s+([^;]+);/g)) {
      for (const used of expandUseTree(tree)) add(used.split('::'), true);
    }
    for (const [used] of code.matchAll(/\b(?:crate::wasm|super|self)(?:::\w+)+/g)) {
      add(used.split('::'), false);
    }
    graph.set(name, edges);
  }
  return graph;
}

/**
 * The import circles of `graph`: for each group of modules that reach each other, its members and one
 * circle through it (first module repeated last).
 */
export function findCycles(graph) {
  // Tarjan's strongly connected components.
  let next = 0;
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const groups = [];
  const visit = (node) => {
    index.set(node, next);
    low.set(node, next);
    next += 1;
    stack.push(node);
    onStack.add(node);
    for (const to of graph.get(node) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node), low.get(to)));
      } else if (onStack.has(to)) {
        low.set(node, Math.min(low.get(node), index.get(to)));
      }
    }
    if (low.get(node) === index.get(node)) {
      const group = [];
      let member;
      do {
        member = stack.pop();
        onStack.delete(member);
        group.push(member);
      } while (member !== node);
      if (group.length > 1) groups.push(new Set(group));
    }
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  // A circle through each group, found by a walk that stays inside it.
  return groups.map((group) => {
    const start = [...group].sort()[0];
    const path = [start];
    const seen = new Set([start]);
    const walk = (node) => {
      for (const to of [...(graph.get(node) ?? [])].sort()) {
        if (to === start) return true;
        if (group.has(to) && !seen.has(to)) {
          seen.add(to);
          path.push(to);
          if (walk(to)) return true;
          path.pop();
        }
      }
      return false;
    };
    walk(start);
    const label = (name) => name || 'mod.rs';
    return { members: [...group].sort().map(label), circle: [...path, start].map(label) };
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const root = args.find((arg) => !arg.startsWith('--')) ?? 'src/wasm';
  const graph = moduleGraph(root);
  if (args.includes('--graph')) {
    for (const [name, edges] of [...graph].sort()) {
      console.log(`${name || 'mod.rs'} -> ${[...edges].sort().map((e) => e || 'mod.rs').join(', ')}`);
    }
  }
  const cycles = findCycles(graph);
  if (cycles.length > 0) {
    for (const { members, circle } of cycles) {
      console.error(`import circle in ${root} among ${members.join(', ')}: ${circle.join(' -> ')}`);
    }
    process.exit(1);
  }
  console.log(`${root}: ${graph.size} modules, no import circle`);
}
