/**
 * Every site's registry of page types, one line a site (`startsite` adds it): the one
 * place the platform finds a layout for a document's `meta.type`, merged by the app
 * (app/page-types.ts) and passed to lib/ as a parameter. Platform code reaches the sites
 * through this module only, and lib/ not at all (eslint.config.mjs).
 */
export { pageTypes as example } from "@/sites/example/registry";
