import NextLink from "next/link";
import type { ReactNode } from "react";

/** Site paths navigate client side; anything else is a plain link. */
export function SmartLink({ href, className, children }: { href: string; className?: string; children: ReactNode }) {
  if (href.startsWith("/") && !href.startsWith("//")) {
    return <NextLink href={href} className={className}>{children}</NextLink>;
  }
  return <a href={href} className={className} rel="noopener noreferrer">{children}</a>;
}
