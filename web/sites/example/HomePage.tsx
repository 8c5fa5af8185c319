import { CallToAction } from "@/components/blocks/CallToAction";
import { StreamField } from "@/components/blocks/StreamField";
import { Picture } from "@/components/Picture";
import type { DocumentOf } from "@/lib/page-types";

export function HomePage({ page }: { page: DocumentOf<"example.HomePage"> }) {
  const cta = page.hero_cta[0];
  return (
    <>
      <section className="grid items-center gap-8 py-8 md:grid-cols-2 md:py-12">
        <div>
          <h1 className="text-4xl font-bold tracking-tight md:text-5xl">{page.hero_heading || page.title}</h1>
          {page.hero_text ? <p className="mt-4 text-lg text-stone-700">{page.hero_text}</p> : null}
          {cta ? <CallToAction value={cta.value} /> : null}
        </div>
        {page.hero_image ? (
          <Picture image={page.hero_image} crop="4 / 3" priority sizes="(min-width: 768px) 50vw, 100vw"
            className="rounded-xl" />
        ) : null}
      </section>
      <StreamField blocks={page.body} />
    </>
  );
}
