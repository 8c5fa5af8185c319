"use server";
/**
 * The server action behind every Form: the submission goes from the renderer's server to
 * the CMS (lib/forms.ts), never from the browser, with the visitor's address.
 */
import { headers } from "next/headers";

import type { FormState } from "@/components/forms/state";
import { CmsUnavailableError } from "@/lib/cms";
import { postSubmission, submissionValues } from "@/lib/forms";
import { requestHost, siteOfHost } from "@/lib/site";
import { visitorIp } from "@/lib/visitor";

const REFUSED: Record<number, string> = {
  404: "This form is no longer available.",
  413: "The form is too long to send: please shorten your answers.",
  429: "Too many submissions from your address: please try again in a few minutes.",
};

/**
 * Anyone may call a server action with arguments of their own (a `Next-Action` request),
 * so each is checked: a page id that is no whole number is no form, a state that is not
 * ours counts as none, a body that is no form is refused.
 */
export async function submitForm(pageId: number, previous: FormState,
                                 data: FormData): Promise<FormState> {
  const attempt = previousAttempt(previous) + 1;
  if (!(data instanceof FormData)) {
    return { status: "failed", values: {}, attempt, message: "The form could not be read." };
  }
  const values = submissionValues(data);
  try {
    const requestHeaders = await headers();
    const host = requestHost(requestHeaders.get("host"));
    const result = await postSubmission(pageId, values, visitorIp(requestHeaders),
      host ? siteOfHost(host) : null);
    if (result.kind === "submitted") return { status: "sent" };
    if (result.kind === "invalid") {
      return { status: "invalid", message: result.message, errors: result.errors, values, attempt };
    }
    return { status: "failed", values, attempt,
      message: REFUSED[result.status] ?? "The form could not be sent. Please try again." };
  } catch (error) {
    // Never thrown on: a 500 on an action request means a malformed one (lib/client-errors.ts).
    if (!(error instanceof CmsUnavailableError)) console.error("form submission failed:", error);
    return { status: "failed", values, attempt,
      message: "The form could not be sent just now. Please try again in a moment." };
  }
}

function previousAttempt(previous: unknown): number {
  const attempt = typeof previous === "object" && previous !== null && "attempt" in previous
    ? previous.attempt : 0;
  return typeof attempt === "number" && Number.isSafeInteger(attempt) && attempt >= 0
    ? Math.min(attempt, 1_000_000) : 0;
}
