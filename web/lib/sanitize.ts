/** Rich text and embed HTML from the CMS, reduced to what cannot run script. */
import sanitizeHtml from "sanitize-html";

const RICH_TEXT: sanitizeHtml.IOptions = {
  allowedTags: ["p", "br", "h2", "h3", "h4", "h5", "h6", "b", "strong", "i", "em", "u", "s",
    "sup", "sub", "code", "pre", "blockquote", "hr", "ul", "ol", "li", "a", "img", "figure",
    "figcaption", "span"],
  allowedAttributes: {
    a: ["href", "title", "rel", "target"],
    img: ["src", "srcset", "sizes", "alt", "width", "height", "loading", "decoding"],
    "*": ["class"],
  },
  allowedSchemes: ["http", "https", "mailto", "tel"],
  allowedSchemesByTag: { img: ["http", "https"] },
  allowProtocolRelative: false,
  transformTags: {
    // External links open as usual but cannot reach back into this window.
    a: (tagName, attribs) => {
      const external = /^https?:\/\//i.test(attribs.href ?? "");
      return { tagName, attribs: external ? { ...attribs, rel: "noopener noreferrer" } : attribs };
    },
  },
};

const EMBED: sanitizeHtml.IOptions = {
  allowedTags: ["iframe", "div", "blockquote", "p", "a"],
  allowedAttributes: {
    iframe: ["src", "width", "height", "title", "allow", "allowfullscreen", "frameborder",
      "referrerpolicy", "loading"],
    a: ["href"],
    "*": ["class"],
  },
  allowedSchemes: ["https"],
  allowProtocolRelative: false,
};

export function sanitizeRichText(html: string): string {
  return sanitizeHtml(html, RICH_TEXT);
}

export function sanitizeEmbed(html: string): string {
  return sanitizeHtml(html, EMBED);
}

/** A search result's snippet: escaped text with the matched words in <mark>, nothing else. */
export function sanitizeSnippet(html: string): string {
  return sanitizeHtml(html, { allowedTags: ["mark"], allowedAttributes: {} });
}
