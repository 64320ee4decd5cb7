// Makes `import "tokenstore"` from these tests resolve to pkg/ through its package.json, exports map
// included, as it does for an app that installed the package.
import { mkdirSync, rmSync, symlinkSync } from "node:fs";

const modules = new URL("./node_modules/", import.meta.url);
mkdirSync(modules, { recursive: true });
rmSync(new URL("tokenstore", modules), { force: true, recursive: true });
symlinkSync(new URL("../../pkg", import.meta.url).pathname, new URL("tokenstore", modules).pathname, "dir");
