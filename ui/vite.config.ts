import { defineConfig } from "vitest/config";

// React's JSX is compiled by esbuild (no plugin needed); the app is served
// from the binary by Tauri, so relative asset paths and no dev server.
export default defineConfig({
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
