import { readdirSync } from "node:fs";

import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

// One-way layering: the platform reaches the sites' page layouts through sites/index.ts
// only; a site uses the platform and its own files, never the registry of all sites nor
// another site. Sites import through "@/" so that these patterns see where an import goes.
const sites = readdirSync(new URL("./sites", import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory()).map((entry) => entry.name);

const platformRule = {
  files: ["**/*.{ts,tsx,mjs}"],
  ignores: ["sites/**"],
  rules: { "no-restricted-imports": ["error", { patterns: [{
    regex: String.raw`^(@/|(\.\.?/)+)sites/.+`,
    message: "Platform code reaches a site's layouts through \"@/sites\" (sites/index.ts) only.",
  }] }] },
};

const siteRule = (site) => ({
  files: [`sites/${site}/**/*.{ts,tsx}`],
  rules: { "no-restricted-imports": ["error", { patterns: [{
    regex: String.raw`^(@/sites(/index)?$|@/sites/(?!${site}/)|\.\./)`,
    message: `A site imports the platform and its own files ("@/sites/${site}/..."), never "@/sites" or another site.`,
  }] }] },
});

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  platformRule,
  ...sites.map(siteRule),
  globalIgnores([".next/**", ".next-*/**", "out/**", "build/**", "next-env.d.ts", "test-results/**"]),
]);
