// A directory of small files for the build scripts' tests.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

/** Writes `files` (relative path -> text) under a new temporary directory named after `prefix`; returns
 * the directory. */
export function fileTree(prefix, files) {
  const root = mkdtempSync(join(tmpdir(), `${prefix}-`));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}
