import { Picture } from "@/components/Picture";
import { SmartLink } from "@/components/SmartLink";
import { linkHref } from "@/lib/paths";
import type { CardsBlockValue } from "@/lib/types";

export function Cards({ value }: { value: CardsBlockValue }) {
  return (
    <section className="my-10">
      {value.heading ? <h2 className="mb-4 text-2xl font-semibold">{value.heading}</h2> : null}
      <ul className="grid gap-6 sm:grid-cols-2 lg:grid-cols-3">
        {value.cards.map((card, index) => {
          const href = linkHref(card.link);
          return (
            <li key={index} className="overflow-hidden rounded-lg border border-stone-200 bg-white shadow-sm">
              {card.image ? (
                <Picture image={card.image} crop="16 / 10" sizes="(min-width: 1024px) 320px, (min-width: 640px) 50vw, 100vw" />
              ) : null}
              <div className="p-4">
                <h3 className="text-lg font-semibold">
                  {href ? <SmartLink href={href} className="hover:underline">{card.title}</SmartLink> : card.title}
                </h3>
                {card.text ? <p className="mt-1 text-stone-700">{card.text}</p> : null}
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
