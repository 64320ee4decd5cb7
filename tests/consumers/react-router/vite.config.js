import { reactRouter } from "@react-router/dev/vite";
import { defineConfig } from "vite";

// optimizeDeps.exclude: the README's one line for the Vite 7 dev server, whose dependency optimizer
// would move the module away from its wasm.
export default defineConfig({ plugins: [reactRouter()], optimizeDeps: { exclude: ["tokenstore"] } });
