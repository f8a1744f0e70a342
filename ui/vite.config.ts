import optimizeLocales from "@react-aria/optimize-locales-plugin";
import { defineConfig } from "vitest/config";

// React's JSX is compiled by esbuild (no plugin needed); the app is served
// from the binary by Tauri, so relative asset paths and no dev server.
export default defineConfig({
  // The UI is in English: react-aria's strings for its other 30-odd
  // locales are left out of the script (a third of it), which the app
  // parses at every start.
  plugins: [{ ...optimizeLocales.vite({ locales: ["en-US"] }), enforce: "pre" }],
  base: "./",
  esbuild: { jsx: "automatic" },
  build: {
    target: "safari15",
    outDir: "dist",
    emptyOutDir: true,
    chunkSizeWarningLimit: 1024,
  },
  test: {
    environment: "jsdom",
    globals: true,
    include: ["src/**/*.test.{ts,tsx}"],
    setupFiles: ["src/test/setup.ts"],
  },
});
