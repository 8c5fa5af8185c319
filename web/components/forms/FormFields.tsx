"use client";
/**
 * The controls of a Form (Form.tsx), in the browser: one labelled control per field, by
 * Wagtail's field type, with the browser's own required and type checks as hints; the
 * CMS's verdict is what counts. `action` is the server action, already bound to its form
 * page by Form; its errors show beside each field, and on success `thankYou` replaces the
 * form and takes the focus. Without JavaScript the browser posts the same form to the
 * page and the answer is the page drawn with the action's state (React's progressive
 * enhancement of useActionState).
 *
 * The honeypot field is out of sight, out of the tab order and hidden from assistive
 * technology; only bots fill it, and the CMS refuses what they send.
 */
import { type ReactNode, useActionState, useEffect, useId, useRef } from "react";

import { type FormAction, INITIAL_FORM_STATE } from "@/components/forms/state";
import type { FormDefinition, FormFieldDefinition } from "@/lib/types";

type Values = Record<string, string | string[]>;

const INPUT_TYPES: Partial<Record<FormFieldDefinition["type"], string>> = {
  singleline: "text", email: "email", number: "number", url: "url", date: "date",
  datetime: "datetime-local",
};
const CONTROL = "rounded border border-stone-400 px-3 py-2 focus:outline-2 focus:outline-stone-900";

function asList(value: string | boolean | string[] | undefined): string[] {
  if (Array.isArray(value)) return value;
  return typeof value === "string" && value ? [value] : [];
}

export function FormFields({ action: submit, form, thankYou, submitLabel, preview }: {
  action: FormAction;
  preview: boolean;
  form: FormDefinition;
  thankYou: ReactNode;
  submitLabel: string;
}) {
  const [state, action, pending] = useActionState(submit, INITIAL_FORM_STATE);
  const id = useId();
  const thanks = useRef<HTMLDivElement>(null);
  const summary = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (state.status === "sent") thanks.current?.focus();
    else if (state.status !== "idle") summary.current?.focus();
  }, [state]);

  if (state.status === "sent") {
    return (
      <div ref={thanks} tabIndex={-1} role="status" data-testid="form-thank-you"
        className="rounded border border-green-700 bg-green-50 p-4">
        {thankYou}
      </div>
    );
  }

  const errors = state.status === "invalid" ? state.errors : {};
  const sent: Values | null = state.status === "invalid" || state.status === "failed" ? state.values : null;
  const overall = [...(errors.__all__ ?? []),
    ...(state.status === "failed" ? [state.message] : [])];
  const fieldError = (name: string) => errors[name] ?? [];

  return (
    // Remounted after each answer, so the fields show what was sent (defaultValue).
    <form key={"attempt" in state ? state.attempt : 0} action={action}
      className="mt-8 flex flex-col gap-6" aria-describedby={`${id}-summary`}>
      <div id={`${id}-summary`} ref={summary} tabIndex={-1}>
        {state.status === "invalid" && Object.keys(errors).some((name) => name !== "__all__") ? (
          <p role="alert" className="font-semibold text-red-700">{state.message}</p>
        ) : null}
        {overall.map((message) => (
          <p key={message} role="alert" className="font-semibold text-red-700">{message}</p>
        ))}
      </div>
      {form.fields.map((field) => (
        <Field key={field.name} id={`${id}-${field.name}`} field={field}
          value={sent ? (sent[field.name] ?? (field.type === "checkbox" ? [] : "")) : undefined}
          errors={fieldError(field.name)} />
      ))}
      <div aria-hidden="true" className="absolute -left-[10000px] h-px w-px overflow-hidden">
        <label htmlFor={`${id}-hp`}>Leave this field empty</label>
        <input id={`${id}-hp`} name={form.honeypot} type="text" tabIndex={-1} autoComplete="off"
          defaultValue="" />
      </div>
      {preview ? <p className="text-stone-600">This is a preview: the form sends nothing.</p> : null}
      <button type="submit" disabled={pending || preview}
        className="self-start rounded bg-stone-900 px-4 py-2 font-semibold text-white disabled:opacity-60">
        {pending ? "Sending…" : submitLabel}
      </button>
    </form>
  );
}

function Field({ id, field, value, errors }: {
  id: string;
  field: FormFieldDefinition;
  /** What was sent last time; undefined before the first submission (the default shows). */
  value: string | string[] | undefined;
  errors: string[];
}) {
  const helpId = field.help_text ? `${id}-help` : undefined;
  const errorId = errors.length ? `${id}-error` : undefined;
  const describedBy = [helpId, errorId].filter(Boolean).join(" ") || undefined;
  const invalid = errors.length ? true : undefined;
  const text = typeof value === "string" ? value : Array.isArray(value) ? value[0] ?? ""
    : typeof field.default === "string" ? field.default : "";
  const chosen = value !== undefined ? asList(value) : asList(field.default);
  const common = { id, name: field.name, required: field.required, "aria-invalid": invalid,
    "aria-describedby": describedBy };
  const label = (
    <>
      {field.label}
      {field.required ? <span aria-hidden="true" className="text-red-700"> *</span> : null}
    </>
  );
  const help = field.help_text ? <p id={helpId} className="text-sm text-stone-600">{field.help_text}</p> : null;
  const problems = errors.length ? (
    <ul id={errorId} className="text-sm font-semibold text-red-700" data-testid={`error-${field.name}`}>
      {errors.map((message) => <li key={message}>{message}</li>)}
    </ul>
  ) : null;

  if (field.type === "hidden") {
    return <input type="hidden" name={field.name} defaultValue={text} />;
  }
  if (field.type === "checkbox") {
    const checked = value !== undefined ? asList(value).length > 0 : field.default === true;
    return (
      <div className="flex flex-col gap-1">
        <div className="flex items-center gap-2">
          <input {...common} type="checkbox" value="on" defaultChecked={checked} />
          <label htmlFor={id} className="font-semibold">{label}</label>
        </div>
        {help}{problems}
      </div>
    );
  }
  if (field.type === "radio" || field.type === "checkboxes") {
    const kind = field.type === "radio" ? "radio" : "checkbox";
    return (
      <fieldset className="flex flex-col gap-1" aria-describedby={describedBy}
        aria-invalid={invalid} aria-required={field.required || undefined}>
        <legend className="font-semibold">{label}</legend>
        {field.choices.map((choice, index) => (
          <div key={choice} className="flex items-center gap-2">
            <input id={`${id}-${index}`} type={kind} name={field.name} value={choice}
              defaultChecked={chosen.includes(choice)}
              // A radio group is required through its buttons; a checkbox each is not.
              required={kind === "radio" ? field.required : undefined} />
            <label htmlFor={`${id}-${index}`}>{choice}</label>
          </div>
        ))}
        {help}{problems}
      </fieldset>
    );
  }
  let control: ReactNode;
  if (field.type === "multiline") {
    control = <textarea {...common} rows={6} defaultValue={text} className={CONTROL}
      maxLength={field.max_length ?? undefined} />;
  } else if (field.type === "dropdown" || field.type === "multiselect") {
    const multiple = field.type === "multiselect";
    control = (
      <select {...common} multiple={multiple} className={CONTROL}
        defaultValue={multiple ? chosen : chosen[0] ?? ""}>
        {!multiple ? <option value="">Choose…</option> : null}
        {field.choices.map((choice) => <option key={choice} value={choice}>{choice}</option>)}
      </select>
    );
  } else {
    control = <input {...common} type={INPUT_TYPES[field.type] ?? "text"} defaultValue={text}
      maxLength={field.max_length ?? undefined} step={field.type === "number" ? "any" : undefined}
      autoComplete={field.type === "email" ? "email" : undefined} className={CONTROL} />;
  }
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="font-semibold">{label}</label>
      {help}{control}{problems}
    </div>
  );
}
