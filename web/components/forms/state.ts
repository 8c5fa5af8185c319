/** What a form shows after each submission: the server action's answer (actions.ts). */
export type FormState =
  | { status: "idle" }
  | { status: "sent" }
  /** The CMS's messages by field name (`__all__`: the whole form), and what was sent. */
  | { status: "invalid"; message: string; errors: Record<string, string[]>;
      values: Record<string, string | string[]>; attempt: number }
  /** Not taken now (too many, too large, gone, CMS down): the values stay in the form. */
  | { status: "failed"; message: string; values: Record<string, string | string[]>;
      attempt: number };

export const INITIAL_FORM_STATE: FormState = { status: "idle" };

/** A server action a form submits to (actions.ts's submitForm bound to its page). */
export type FormAction = (previous: FormState, data: FormData) => Promise<FormState>;
