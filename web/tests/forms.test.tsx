import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";

import { Form } from "@/components/forms/Form";
import { submissionValues } from "@/lib/forms";
import { visitorIp } from "@/lib/visitor";
import type { FormDefinition, FormFieldDefinition } from "@/lib/types";

afterEach(cleanup);

function field(overrides: Partial<FormFieldDefinition> & Pick<FormFieldDefinition, "name" | "type">): FormFieldDefinition {
  return { label: overrides.name, required: false, help_text: "", choices: [], default: "",
    max_length: null, ...overrides };
}

const FORM: FormDefinition = {
  action: "/api/v2/forms/7/submissions/",
  honeypot: "website-address",
  fields: [
    field({ name: "your_name", label: "Your name", type: "singleline", required: true, max_length: 255 }),
    field({ name: "email", label: "Email", type: "email", required: true, help_text: "We reply here" }),
    field({ name: "message", label: "Message", type: "multiline" }),
    field({ name: "topic", label: "Topic", type: "dropdown", choices: ["Question", "Quote"], default: "Quote" }),
    field({ name: "extras", label: "Extras", type: "checkboxes", choices: ["Tea", "Coffee"], default: ["Tea"] }),
    field({ name: "size", label: "Size", type: "radio", choices: ["S", "M"], required: true }),
    field({ name: "subscribe", label: "Subscribe", type: "checkbox", default: true }),
    field({ name: "visitors", label: "Visitors", type: "number" }),
    field({ name: "day", label: "Day", type: "date" }),
    field({ name: "source", label: "Source", type: "hidden", default: "site" }),
  ],
};

describe("Form", () => {
  it("labels a control of the right kind for every field, with the browser's hints", () => {
    const { container } = render(<Form pageId={7} form={FORM} thankYou={<p>Thanks</p>} />);
    const name = screen.getByLabelText(/Your name/) as HTMLInputElement;
    expect([name.type, name.required, name.maxLength, name.name]).toEqual(["text", true, 255, "your_name"]);
    const email = screen.getByLabelText(/Email/) as HTMLInputElement;
    expect(email.type).toBe("email");
    expect(document.getElementById(email.getAttribute("aria-describedby")!)?.textContent).toBe("We reply here");
    expect(screen.getByLabelText("Message").tagName).toBe("TEXTAREA");
    expect((screen.getByLabelText("Topic") as HTMLSelectElement).value).toBe("Quote");
    expect((screen.getByLabelText("Tea") as HTMLInputElement).checked).toBe(true);
    expect((screen.getByLabelText("Coffee") as HTMLInputElement).checked).toBe(false);
    expect(screen.getByRole("group", { name: /Extras/ })).toBeTruthy();
    expect((screen.getByLabelText("S") as HTMLInputElement).required).toBe(true);
    expect((screen.getByLabelText("Subscribe") as HTMLInputElement).checked).toBe(true);
    expect((screen.getByLabelText("Visitors") as HTMLInputElement).type).toBe("number");
    expect((screen.getByLabelText("Day") as HTMLInputElement).type).toBe("date");
    expect((container.querySelector('input[name="source"]') as HTMLInputElement).value).toBe("site");
    expect(screen.getByRole("button", { name: "Send" })).toBeTruthy();
  });

  it("hides the honeypot from people, the keyboard and assistive technology", () => {
    const { container } = render(<Form pageId={7} form={FORM} thankYou={<p>Thanks</p>} />);
    const trap = container.querySelector('input[name="website-address"]') as HTMLInputElement;
    expect(trap.tabIndex).toBe(-1);
    expect(trap.autocomplete).toBe("off");
    expect(trap.closest('[aria-hidden="true"]')).not.toBeNull();
    expect(screen.queryByRole("textbox", { name: /Leave this field empty/ })).toBeNull();
  });

  it("sends nothing from a preview", () => {
    render(<Form pageId={7} form={FORM} thankYou={<p>Thanks</p>} preview />);
    expect((screen.getByRole("button", { name: "Send" }) as HTMLButtonElement).disabled).toBe(true);
  });
});

describe("submissionValues", () => {
  it("keeps a name given once as text and one given more as a list, without React's fields", () => {
    const data = new FormData();
    data.append("name", "Ada");
    data.append("extras", "Tea");
    data.append("extras", "Coffee");
    data.append("$ACTION_ID_abc", "");
    expect(submissionValues(data)).toEqual({ name: "Ada", extras: ["Tea", "Coffee"] });
  });
});

describe("visitorIp", () => {
  it("believes nginx's X-Real-IP, else the last X-Forwarded-For entry", () => {
    expect(visitorIp(new Headers({ "x-real-ip": "203.0.113.9", "x-forwarded-for": "1.2.3.4" })))
      .toBe("203.0.113.9");
    expect(visitorIp(new Headers({ "x-forwarded-for": "1.2.3.4, 198.51.100.7" }))).toBe("198.51.100.7");
    expect(visitorIp(new Headers())).toBeNull();
  });
});
