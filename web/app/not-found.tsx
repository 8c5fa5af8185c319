import Link from "next/link";

import { Userbar } from "@/components/site/Userbar";

export default function NotFound() {
  return (
    <div className="mx-auto max-w-xl py-16 text-center">
      <p className="text-sm font-semibold uppercase tracking-wide text-brand">404</p>
      <h1 className="mt-2 text-4xl font-bold">Page not found</h1>
      <p className="mt-4 text-stone-700">There is no page at this address. It may have moved or been taken down.</p>
      <p className="mt-8"><Link href="/" className="underline">Go to the home page</Link></p>
      <Userbar />
    </div>
  );
}
