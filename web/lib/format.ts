/** Formatting shared by every site's layouts. */

/** "4 March 2026" for "2026-03-04" (or a full ISO timestamp); the input itself if unreadable. */
export function formatDate(iso: string): string {
  const date = new Date(`${iso.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
}
