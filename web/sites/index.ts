/**
 * Every site's page types, by the `meta.type` of their documents: the one place the
 * platform finds a layout (components/pages/PageLayout.tsx). A new site adds one line
 * here, spreading its own registry; platform code imports this module, never a site's.
 */
import { pageTypes as example } from "@/sites/example/registry";

export const PAGE_TYPES = { ...example };
