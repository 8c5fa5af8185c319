"use client";
/**
 * Wagtail's userbar (cms/userbar) for signed-in editors: "Edit this page", "Add a child
 * page", the admin and the content checks. Pages are the same for everyone and cached
 * (ISR, the HTTP cache), so the userbar is never in them: in the browser, a page asks
 * /api/userbar for it, and only when the admin left its hint cookie (EDITOR_COOKIE), so
 * a visitor's page asks nothing. A preview hands over the HTML it was given (`html`).
 *
 * The HTML is Wagtail's userbar template; its scripts (served by the CMS) do not run when
 * the HTML is inserted, so they are added to the document once, in order.
 */
import { useEffect } from "react";

import type { UserbarAnswer } from "@/lib/types";
import { EDITOR_COOKIE, USERBAR_ROUTE } from "@/lib/userbar";

function hasCookie(name: string): boolean {
  return document.cookie.split("; ").some((cookie) => cookie.startsWith(`${name}=`)
    && cookie.length > name.length + 1);
}

function forgetCookie(name: string): void {
  document.cookie = `${name}=; Max-Age=0; Path=/; SameSite=Lax`;
}

/** Puts the userbar's HTML in `host` and loads the scripts it names, each once a page. */
function mount(host: HTMLElement, html: string): void {
  host.innerHTML = html;
  for (const inert of Array.from(host.querySelectorAll("script"))) {
    inert.remove();
    const src = inert.getAttribute("src");
    if (!src || Array.from(document.scripts).some((script) => script.dataset.userbar === src)) continue;
    const script = document.createElement("script");
    script.src = src;
    script.async = false; // vendor.js before userbar.js
    script.dataset.userbar = src;
    document.head.append(script);
  }
}

export function Userbar({ pageId = null, html = null }: { pageId?: number | null; html?: string | null }) {
  useEffect(() => {
    const host = document.createElement("div");
    document.body.append(host);
    let gone = false;
    if (html) {
      mount(host, html);
    } else if (hasCookie(EDITOR_COOKIE)) {
      fetch(pageId ? `${USERBAR_ROUTE}?page_id=${pageId}` : USERBAR_ROUTE, { cache: "no-store" })
        .then(async (response) => {
          if (response.ok) {
            const answer = (await response.json()) as UserbarAnswer;
            if (!gone) mount(host, answer.html);
          } else if (response.status === 403) {
            forgetCookie(EDITOR_COOKIE); // signed out, or the session is gone
          }
        })
        .catch(() => undefined); // no userbar: the page is whole without it
    }
    return () => {
      gone = true;
      host.remove();
    };
  }, [pageId, html]);
  return null;
}
