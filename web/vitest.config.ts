import react from "@vitejs/plugin-react";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  plugins: [react()],
  resolve: {
    alias: {
      "@": fileURLToPath(new URL(".", import.meta.url)),
      // Components import this guard; under test they run outside Next.js.
      "server-only": fileURLToPath(new URL("./tests/server-only.ts", import.meta.url)),
    },
  },
  test: {
    environment: "jsdom",
    // The platform's tests, then each site's beside its layouts.
    include: ["tests/**/*.test.{ts,tsx}", "sites/*/tests/**/*.test.{ts,tsx}"],
    // What next build sets from next.config (trailingSlash: true), so links look as on the site.
    env: { __NEXT_TRAILING_SLASH: "true" },
  },
});
