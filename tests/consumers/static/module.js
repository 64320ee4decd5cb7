// The README's static page: the package's module entry, no build step. External, so it runs under a
// Content-Security-Policy without 'unsafe-inline'; an init() failure is shown in #error.
import init, * as api from "./node_modules/tokenstore/index.js";

try {
  await init();
  mountTokenUi(api, "static.module");
} catch (error) {
  document.getElementById("error").textContent = `${error.name}: ${error.message}`;
  document.body.dataset.ready = "error";
}
