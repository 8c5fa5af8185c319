/**
 * Wagtail's userbar on the site, for signed-in editors (cms/userbar): what the browser and
 * the renderer's /api/userbar route share.
 */

/**
 * The hint the admin leaves on an editor's browser (cms/userbar/middleware.py): only with
 * it does a page ask for the userbar, so visitors cost the site nothing.
 */
export const EDITOR_COOKIE = "mortar_editor";

/** The CMS's session cookie (Django's SESSION_COOKIE_NAME), which signs the editor in. */
export const CMS_SESSION_COOKIE = "sessionid";

/** Where the page asks for its userbar (app/api/userbar/route.ts). */
export const USERBAR_ROUTE = "/api/userbar";
