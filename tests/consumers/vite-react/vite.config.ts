import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// Two pages: the app (index.html), and the early answer read by useTokenStore (early.html).
export default defineConfig({
  plugins: [react()],
  build: { target: "es2022", rollupOptions: { input: ["index.html", "early.html"] } },
});
