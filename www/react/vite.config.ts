import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// Served by www/server.mjs under /react/; top-level await initialises the wasm before the first render.
export default defineConfig({
  base: "/react/",
  plugins: [react()],
  build: { target: "es2022" },
});
