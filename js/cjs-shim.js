// Injected by scripts/build.mjs into the CommonJS build (tokenstore.cjs). `import.meta.url` becomes this file's
// URL, so the Node entry finds the wasm beside it. TextDecoder and TextEncoder come from node:util where
// the environment lacks them: Jest's jsdom environment does, and its test files run as CommonJS.
import { TextDecoder as UtilTextDecoder, TextEncoder as UtilTextEncoder } from "node:util";
import { pathToFileURL } from "node:url";

export const importMetaUrl = pathToFileURL(__filename).href;
const TextDecoderOrUtil = globalThis.TextDecoder ?? UtilTextDecoder;
const TextEncoderOrUtil = globalThis.TextEncoder ?? UtilTextEncoder;
export { TextDecoderOrUtil as TextDecoder, TextEncoderOrUtil as TextEncoder };
