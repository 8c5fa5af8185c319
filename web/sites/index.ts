/**
 * Every site's registry of page types, one line a site: the one place the platform finds
 * a layout for a document's `meta.type` (`pageTypeOf` in lib/page-types.ts). Platform code
 * imports this module, never a site's own files.
 */
export { pageTypes as example } from "@/sites/example/registry";
