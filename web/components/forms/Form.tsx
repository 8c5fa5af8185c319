/**
 * A form an editor built in the CMS (cms.forms), drawn from its page document's `form`
 * (FormFields.tsx, in the browser), submitted through the server action of actions.ts to
 * the CMS; it works with JavaScript and without.
 *
 * A server component, so that the action is bound to its page here, on the server: an
 * action bound in a client component (`submitForm.bind(…)` beside useActionState) makes
 * a form posted without JavaScript render forever, the server spinning until killed
 * (vercel/next.js#57867, #98045): bind() in the browser's copy gives a new pending promise
 * on every render, which useActionState suspends on again. Bound here, the page id travels
 * in the form as the action's bound argument, and the CMS checks it as any other input.
 */
import type { ReactNode } from "react";

import { submitForm } from "@/components/forms/actions";
import { FormFields } from "@/components/forms/FormFields";
import type { FormDefinition } from "@/lib/types";

export function Form({ pageId, form, thankYou, submitLabel = "Send", preview = false }: {
  pageId: number;
  /** A draft being previewed: the form shows, but sends nothing. */
  preview?: boolean;
  form: FormDefinition;
  /** Shown once the CMS has taken the submission (the page's thank-you text). */
  thankYou: ReactNode;
  submitLabel?: string;
}) {
  return <FormFields action={submitForm.bind(null, pageId)} form={form} thankYou={thankYou}
    submitLabel={submitLabel} preview={preview} />;
}
