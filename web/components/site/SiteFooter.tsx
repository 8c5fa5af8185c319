import { SmartLink } from "@/components/SmartLink";
import { linkHref } from "@/lib/paths";
import type { Navigation } from "@/lib/types";

export function SiteFooter({ navigation }: { navigation: Navigation }) {
  const { footer } = navigation;
  return (
    <footer className="mt-16 border-t border-stone-200 bg-stone-100">
      <div className="mx-auto flex max-w-5xl flex-col gap-4 px-4 py-8 sm:flex-row sm:justify-between">
        <p className="text-sm text-stone-600">{footer.text}</p>
        <ul className="flex flex-wrap gap-x-4 gap-y-2 text-sm">
          {footer.links.map((item, index) => {
            const href = linkHref(item.link);
            return href ? <li key={index}><SmartLink href={href} className="hover:underline">{item.label}</SmartLink></li> : null;
          })}
        </ul>
      </div>
    </footer>
  );
}
