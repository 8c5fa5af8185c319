import { Breadcrumbs } from "@/components/site/Breadcrumbs";
import { RichText } from "@/components/blocks/RichText";
import { Form } from "@/components/forms/Form";
import type { DocumentOf } from "@/lib/page-types";

export function FormPage({ page }: { page: DocumentOf<"example.FormPage"> }) {
  return (
    <article className="mx-auto max-w-2xl">
      <Breadcrumbs items={page.meta.breadcrumbs} current={page.title} />
      <h1 className="text-4xl font-bold tracking-tight">{page.title}</h1>
      {page.intro ? <div className="mt-4"><RichText value={page.intro} /></div> : null}
      <Form pageId={page.id ?? 0} form={page.form} preview={page.meta.preview === true}
        thankYou={page.thank_you_text ? <RichText value={page.thank_you_text} />
          : <p>Thank you: your message was sent.</p>} />
    </article>
  );
}
