import { sanitizeRichText } from "@/lib/sanitize";
import type { RichTextBlockValue } from "@/lib/types";

export function RichText({ value }: { value: RichTextBlockValue }) {
  // Sanitized on the server: whatever an editor pastes, no script from content runs.
  return <div className="prose" dangerouslySetInnerHTML={{ __html: sanitizeRichText(value) }} />;
}
