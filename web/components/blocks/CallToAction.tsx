import { SmartLink } from "@/components/SmartLink";
import { linkHref } from "@/lib/paths";
import type { CallToActionBlockValue } from "@/lib/types";

export function CallToAction({ value }: { value: CallToActionBlockValue }) {
  const href = linkHref(value.link);
  // A link to a page that is no longer public resolves to nothing: show no dead button.
  if (!href) return null;
  return (
    <p className="my-8">
      <SmartLink href={href}
        className="inline-block rounded-md bg-brand px-5 py-3 font-semibold text-white no-underline hover:opacity-90">
        {value.label}
      </SmartLink>
    </p>
  );
}
