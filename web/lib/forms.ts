/**
 * Editor-built forms (the CMS's cms.forms): the schema a form page's document gives, and
 * the one call that posts a visitor's submission to the CMS, from the renderer's server.
 *
 * The CMS counts submissions per visitor address (its rate limit). The renderer is the
 * one posting, so it names the visitor in `X-Mortar-Visitor-IP`, which the CMS believes
 * only next to the renderer's credentials (`Authorization: Bearer REVALIDATE_SECRET`):
 * a visitor who sends that header to the CMS themselves is counted under their own
 * address (lib/visitor.ts says which address is the visitor's).
 */
import "server-only";

import { CmsUnavailableError } from "@/lib/cms";
import { cmsCircuit } from "@/lib/cms-circuit";
import { cmsApiUrl } from "@/lib/settings";

export type SubmissionValues = Record<string, string | string[]>;

export type SubmissionResult =
  | { kind: "submitted"; message: string }
  /** 400: the CMS's messages by field name (`__all__`: the whole submission). */
  | { kind: "invalid"; message: string; errors: Record<string, string[]> }
  /** 404, 413, 415 or 429: the form cannot take this submission now. */
  | { kind: "refused"; status: number; message: string };

const TIMEOUT_MS = 10_000;
const VISITOR_IP_HEADER = "X-Mortar-Visitor-IP";

/** A submission's values from the posted form: a name given more than once is a list. */
export function submissionValues(form: FormData): SubmissionValues {
  const values: SubmissionValues = {};
  for (const name of new Set(form.keys())) {
    // React's own fields for the action ($ACTION_ID_…, $ACTION_REF_…) are not the form's.
    if (name.startsWith("$ACTION")) continue;
    const all = form.getAll(name).filter((value): value is string => typeof value === "string");
    values[name] = all.length === 1 ? all[0]! : all;
  }
  return values;
}

/**
 * POST /api/v2/forms/<pageId>/submissions/ with the values as JSON, for the form page of
 * `site` (lib/site.ts; null: the CMS's default Site). Throws
 * CmsUnavailableError when the CMS does not answer or answers 5xx.
 */
export async function postSubmission(pageId: number, values: SubmissionValues,
                                     ip: string | null, site: string | null): Promise<SubmissionResult> {
  if (!Number.isSafeInteger(pageId) || pageId < 1) {
    return { kind: "refused", status: 404, message: "This form does not exist." };
  }
  const endpoint = `/api/v2/forms/${pageId}/submissions/`;
  const url = `${cmsApiUrl()}${endpoint}${site ? `?${new URLSearchParams({ site })}` : ""}`;
  const secret = process.env.REVALIDATE_SECRET;
  const headers: Record<string, string> = {
    Accept: "application/json", "Content-Type": "application/json",
    ...(secret ? { Authorization: `Bearer ${secret}` } : {}),
    ...(ip ? { [VISITOR_IP_HEADER]: ip } : {}),
  };
  let response: Response;
  try {
    response = await cmsCircuit().fire(() => fetch(url, {
      method: "POST", cache: "no-store", headers, body: JSON.stringify(values),
      redirect: "manual", signal: AbortSignal.timeout(TIMEOUT_MS),
    }));
  } catch (error) {
    throw new CmsUnavailableError(`CMS request to ${endpoint} failed`, { cause: error });
  }
  let body: { message?: string; errors?: Record<string, string[]> };
  try {
    body = await response.json();
  } catch (error) {
    throw new CmsUnavailableError(`CMS answered ${endpoint} with invalid JSON`, { cause: error });
  }
  const message = typeof body.message === "string" ? body.message : "";
  if (response.status === 201) return { kind: "submitted", message };
  if (response.status === 400) return { kind: "invalid", message, errors: body.errors ?? {} };
  if (response.status >= 400 && response.status < 500) {
    return { kind: "refused", status: response.status, message };
  }
  throw new CmsUnavailableError(`CMS answered ${endpoint} with ${response.status}`);
}
