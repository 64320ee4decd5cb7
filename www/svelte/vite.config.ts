import { defineConfig } from "vite";
import { svelte } from "@sveltejs/vite-plugin-svelte";

// Served by www/server.mjs under /svelte/; top-level await initialises the wasm before the app mounts.
export default defineConfig({
  base: "/svelte/",
  plugins: [svelte()],
  build: { target: "es2022" },
});
