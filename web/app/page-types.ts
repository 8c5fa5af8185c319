/**
 * The page layouts of every installed site, in the one map the page routes look a
 * document's `meta.type` up in and pass down (`PageLayout`'s `pageTypes`). The app composes
 * it here, from sites/index.ts (one line a site, written by `startsite`), so that lib/
 * takes a registry as a parameter and never imports the sites, which import it.
 */
import { type PageTypes, mergePageTypes } from "@/lib/page-types";
import * as sites from "@/sites";

export const PAGE_TYPES: PageTypes = mergePageTypes(sites);
