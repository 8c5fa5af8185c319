import { readdirSync } from "node:fs";

import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

// One-way layering: the app reaches the sites' page layouts through sites/index.ts only;
// lib/, which the sites build on, never imports them (it takes their registries as a
// parameter; app/page-types.ts composes them); a site uses the platform and its own files,
// never the registry of all sites nor another site. Sites import through "@/" so that these
// patterns see where an import goes. Each file gets one list of patterns (a later config's
// `no-restricted-imports` replaces an earlier one's), so each list is written out whole.
const sites = readdirSync(new URL("./sites", import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory()).map((entry) => entry.name);

const siteFiles = {
  regex: String.raw`^(@/|(\.\.?/)+)sites/.+`,
  message: "Platform code reaches a site's layouts through \"@/sites\" (sites/index.ts) only.",
};
const anySite = {
  regex: String.raw`^(@/|(\.\.?/)+)sites(/.*)?$`,
  message: "lib/ never imports the sites (they import it): take the registry as a parameter; "
    + "the app composes every site's (app/page-types.ts).",
};
// The 61 KB document is the type generator's input and the tests' reference: shipped code
// takes its types from lib/api.generated.ts and its values from lib/*.generated.ts.
const openapiDocument = {
  regex: String.raw`(^|/)openapi\.json$`,
  message: "Only tests read lib/openapi.json: import its types from lib/api.generated.ts, "
    + "its values from a generated module (lib/cache-tags.generated.ts).",
};
const restrict = (files, patterns, ignores = []) => ({
  files, ignores, rules: { "no-restricted-imports": ["error", { patterns }] },
});
const tests = ["tests/**", "sites/*/tests/**"];

const siteRule = (site) => ({
  regex: String.raw`^(@/sites(/index)?$|@/sites/(?!${site}/)|\.\./)`,
  message: `A site imports the platform and its own files ("@/sites/${site}/..."), never "@/sites" or another site.`,
});

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  restrict(["**/*.{ts,tsx,mjs}"], [siteFiles, openapiDocument], ["sites/**", ...tests]),
  restrict(["tests/**/*.{ts,tsx,mjs}"], [siteFiles]),
  restrict(["lib/**/*.{ts,tsx,mjs}"], [anySite, openapiDocument]),
  ...sites.flatMap((site) => [
    restrict([`sites/${site}/**/*.{ts,tsx}`], [siteRule(site), openapiDocument], [`sites/${site}/tests/**`]),
    restrict([`sites/${site}/tests/**/*.{ts,tsx}`], [siteRule(site)]),
  ]),
  globalIgnores([".next/**", ".next-*/**", "out/**", "build/**", "next-env.d.ts", "test-results/**"]),
]);
