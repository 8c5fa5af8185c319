import { cleanup, render } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";

import { CallToAction } from "@/components/blocks/CallToAction";
import { Cards } from "@/components/blocks/Cards";
import { Embed } from "@/components/blocks/Embed";
import { Heading } from "@/components/blocks/Heading";
// Aliased: next's lint takes any <Image> for next/image and asks for an alt prop.
import { Image as ImageBlock } from "@/components/blocks/Image";
import { Quote } from "@/components/blocks/Quote";
import { RichText } from "@/components/blocks/RichText";
import { StreamField } from "@/components/blocks/StreamField";
import { TwoColumn } from "@/components/blocks/TwoColumn";
import type { BodyBlock } from "@/lib/types";
import { image } from "@/tests/fixtures";

afterEach(cleanup);

describe("Heading", () => {
  it("renders the level the editor chose", () => {
    const { container } = render(<Heading value={{ text: "The problem", level: 3 }} />);
    expect(container.querySelector("h3")?.textContent).toBe("The problem");
  });

  it("falls back to h2 for a level the site does not style", () => {
    const { container } = render(<Heading value={{ text: "X", level: 7 as 2 }} />);
    expect(container.querySelector("h2")?.textContent).toBe("X");
  });
});

describe("RichText", () => {
  it("keeps formatting and internal links", () => {
    const { container } = render(<RichText value={'<p>Read <b>this</b> <a href="/about/">about us</a></p>'} />);
    expect(container.querySelector("b")?.textContent).toBe("this");
    expect(container.querySelector("a")?.getAttribute("href")).toBe("/about/");
  });

  it("removes anything that could run script", () => {
    const html = '<p onclick="alert(1)">Hi</p><script>alert(2)</script><img src=x onerror="alert(3)">'
      + '<a href="javascript:alert(4)">x</a><iframe src="https://evil.example"></iframe>'
      + '<svg onload="alert(5)"></svg><style>body{}</style>';
    const { container } = render(<RichText value={html} />);
    const out = container.innerHTML;
    expect(out).not.toMatch(/script|onclick|onerror|onload|javascript:|iframe|svg|style/i);
    expect(container.textContent).toContain("Hi");
  });

  it("marks external links noopener", () => {
    const { container } = render(<RichText value={'<a href="https://wagtail.org/">W</a>'} />);
    expect(container.querySelector("a")?.getAttribute("rel")).toBe("noopener noreferrer");
  });
});

describe("Image", () => {
  it("renders every rendition format with width, height and alt", () => {
    const { container } = render(<ImageBlock value={{ image: image(), caption: "A caption" }} />);
    const img = container.querySelector("img");
    expect(img?.getAttribute("alt")).toBe("A demo image");
    expect(img?.getAttribute("width")).toBe("1600");
    expect(img?.getAttribute("height")).toBe("1000");
    expect(img?.getAttribute("srcset")).toBe(
      "/media/images/demo.width-480.jpg 480w, /media/images/demo.width-960.jpg 960w");
    const sources = [...container.querySelectorAll("source")].map((s) => s.getAttribute("type"));
    expect(sources).toEqual(["image/avif", "image/webp"]);
    expect(container.querySelector("figcaption")?.textContent).toBe("A caption");
  });

  it("renders nothing when the image was deleted", () => {
    const { container } = render(<ImageBlock value={{ image: null, caption: "" }} />);
    expect(container.innerHTML).toBe("");
  });
});

describe("Cards", () => {
  it("crops card images around the focal point and links titles", () => {
    const value = { heading: "Start here", cards: [
      { title: "About", text: "Who we are", image: image({ focal_point: { x: 0.25, y: 0.75 } }),
        link: { page: { id: 4, title: "About", html_path: "/about/" }, url: null } },
      { title: "No link", text: "", image: null, link: { page: null, url: null } },
    ] };
    const { container, getByText } = render(<Cards value={value} />);
    const img = container.querySelector("img") as HTMLImageElement;
    expect(img.style.objectPosition).toBe("25% 75%");
    expect(img.style.aspectRatio).toBe("16 / 10");
    expect(getByText("About").closest("a")?.getAttribute("href")).toBe("/about/");
    expect(getByText("No link").closest("a")).toBeNull();
    expect(container.querySelectorAll("li")).toHaveLength(2);
  });
});

describe("Quote", () => {
  it("shows the text and the attribution", () => {
    const { container } = render(<Quote value={{ text: "Ship small.", attribution: "An editor" }} />);
    expect(container.querySelector("blockquote")?.textContent).toBe("Ship small.");
    expect(container.querySelector("figcaption")?.textContent).toContain("An editor");
  });
});

describe("CallToAction", () => {
  it("links to a page by its site path", () => {
    const { container } = render(<CallToAction value={{ label: "Talk to us",
      link: { page: { id: 6, title: "Contact", html_path: "/contact/" }, url: null } }} />);
    const link = container.querySelector("a");
    expect(link?.getAttribute("href")).toBe("/contact/");
    expect(link?.textContent).toBe("Talk to us");
  });

  it("links to an external URL", () => {
    const { container } = render(<CallToAction value={{ label: "Wagtail", link: { page: null, url: "https://wagtail.org/" } }} />);
    expect(container.querySelector("a")?.getAttribute("href")).toBe("https://wagtail.org/");
  });

  it("renders nothing for a link to a page that is no longer public", () => {
    const { container } = render(<CallToAction value={{ label: "Gone", link: { page: null, url: null } }} />);
    expect(container.innerHTML).toBe("");
  });
});

describe("Embed", () => {
  const base = { url: "https://www.youtube.com/watch?v=x", title: "A video", provider_name: "YouTube",
    width: 480, height: 270, thumbnail_url: null };

  it("renders the provider's iframe, keeping its ratio", () => {
    const { container } = render(<Embed value={{ ...base,
      html: '<iframe src="https://www.youtube.com/embed/x" width="480" height="270"></iframe>' }} />);
    expect(container.querySelector("iframe")?.getAttribute("src")).toBe("https://www.youtube.com/embed/x");
    expect((container.firstChild as HTMLElement).style.aspectRatio).toBe("480 / 270");
  });

  it("strips script from the provider's HTML", () => {
    const { container } = render(<Embed value={{ ...base,
      html: '<script src="https://evil.example/x.js"></script><iframe src="javascript:alert(1)"></iframe>' }} />);
    expect(container.innerHTML).not.toMatch(/script|javascript:/);
  });

  it("falls back to a link before the provider answered", () => {
    const { container } = render(<Embed value={{ ...base, html: null }} />);
    expect(container.querySelector("a")?.getAttribute("href")).toBe(base.url);
  });
});

describe("TwoColumn and StreamField", () => {
  it("renders nested blocks in both columns", () => {
    const { container } = render(<TwoColumn value={{
      left: [{ type: "rich_text", id: null, value: "<p>Left text</p>" }],
      right: [{ type: "quote", id: null, value: { text: "Right quote", attribution: "" } }],
    }} />);
    const columns = container.firstElementChild?.children;
    expect(columns?.[0]?.textContent).toBe("Left text");
    expect(columns?.[1]?.querySelector("blockquote")?.textContent).toBe("Right quote");
  });

  it("renders each block by its type and skips types it does not know", () => {
    const blocks = [
      { type: "heading", id: "1", value: { text: "Title", level: 2 } },
      { type: "future_block", id: "2", value: { anything: true } },
      { type: "two_column", id: "3", value: { left: [{ type: "heading", id: null, value: { text: "Nested", level: 4 } }], right: [] } },
    ] as unknown as BodyBlock[];
    const { container } = render(<StreamField blocks={blocks} />);
    expect(container.querySelector("h2")?.textContent).toBe("Title");
    expect(container.querySelector("h4")?.textContent).toBe("Nested");
    expect(container.textContent).not.toContain("anything");
  });
});
