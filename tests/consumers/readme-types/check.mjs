// Type-checks every TypeScript sample (```ts and ```tsx) of the README the installed package ships, each
// as a module of its own, under `strict` with `skipLibCheck: false` (so the package's own .d.ts files
// are checked too), once with the `lib` of Vite's React scaffold and once with Next.js's. Samples use
// the package's names without always importing them, and names of the app around them (a `token`,
// `greet`, …): prelude.d.ts declares the latter, and missing imports of the package's are added.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";

const here = new URL("./", import.meta.url);
const readme = readFileSync(new URL("node_modules/tokenstore/README.md", here), "utf8");
const samples = [...readme.matchAll(/^```(tsx?)\n([\s\S]*?)^```$/gm)].map(([, lang, code]) => ({ lang, code }));
if (samples.length < 8) throw new Error(`only ${samples.length} TypeScript samples in the README`);

const api = {
  tokenstore: ["TokenStore", "TokenError", "decodeClaims", "decodeHeader", "isTokenError"],
  "tokenstore/react": ["useTokenStore"],
};

// A sample that shows part of a component (a top-level `return`) becomes a component's body.
function moduleOf(code) {
  const lines = code.split("\n");
  const imports = lines.filter((line) => /^import /.test(line));
  let body = lines.filter((line) => !/^import /.test(line)).join("\n");
  if (/^return /m.test(body)) body = `export function Sample() {\n${body}\n}`;
  const missing = Object.entries(api)
    .map(([from, names]) => [from, names.filter((name) => new RegExp(`\\b${name}\\b`).test(body) && !imports.some((line) => new RegExp(`\\b${name}\\b`).test(line)))])
    .filter(([, names]) => names.length)
    .map(([from, names]) => `import { ${names.join(", ")} } from "${from}";`);
  return [...missing, ...imports, body, "export {};", ""].join("\n");
}

rmSync(new URL("samples/", here), { recursive: true, force: true });
mkdirSync(new URL("samples/", here));
samples.forEach(({ lang, code }, index) => {
  writeFileSync(new URL(`samples/sample${String(index + 1).padStart(2, "0")}.${lang}`, here), moduleOf(code));
});

const scaffolds = {
  // create-vite's react-ts template (tsconfig.app.json)
  vite: { target: "ES2022", lib: ["ES2023", "DOM", "DOM.Iterable"] },
  // create-next-app's tsconfig.json
  next: { target: "ES2017", lib: ["dom", "dom.iterable", "esnext"] },
};
for (const [name, { target, lib }] of Object.entries(scaffolds)) {
  const config = {
    compilerOptions: {
      target, lib, module: "ESNext", moduleResolution: "Bundler", jsx: "react-jsx",
      strict: true, skipLibCheck: false, noEmit: true, isolatedModules: true, moduleDetection: "force",
    },
    include: ["prelude.d.ts", "types.ts", "samples"],
  };
  writeFileSync(new URL(`tsconfig.${name}.json`, here), `${JSON.stringify(config, null, 2)}\n`);
  try {
    execFileSync("node_modules/.bin/tsc", ["-p", `tsconfig.${name}.json`], { cwd: here, stdio: "inherit" });
    console.log(`${samples.length} samples type-check with ${name}'s lib: ${lib.join(", ")}`);
  } catch {
    console.error(`the samples fail to type-check with ${name}'s lib: ${lib.join(", ")}`);
    process.exitCode = 1;
  }
}
