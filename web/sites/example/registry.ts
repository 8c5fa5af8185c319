/** The example site's page types (sites/example in the CMS): `meta.type` to its layout. */
import type { SitePageTypes } from "@/lib/page-types";
import { ArticleIndexPage } from "@/sites/example/ArticleIndexPage";
import { ArticlePage } from "@/sites/example/ArticlePage";
import { ContentPage } from "@/sites/example/ContentPage";
import { FormPage } from "@/sites/example/FormPage";
import { HomePage } from "@/sites/example/HomePage";

export const pageTypes: SitePageTypes<"example"> = {
  "example.HomePage": { layout: HomePage },
  "example.ContentPage": { layout: ContentPage },
  "example.ArticleIndexPage": { layout: ArticleIndexPage },
  "example.ArticlePage": { layout: ArticlePage, openGraphType: "article" },
  "example.FormPage": { layout: FormPage },
};
