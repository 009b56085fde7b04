import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { ChatMarkdown } from "./chat-markdown";

const render = (text: string) => renderToStaticMarkup(createElement(ChatMarkdown, { text }));
const contact = "/contacts/0190b6a4-0000-7000-8000-000000000000";

describe("ChatMarkdown", () => {
  it("links the practitioner's contacts in the same tab and the web in a new one", () => {
    const html = render(`See [Maya](${contact}) and [the guide](https://example.org/breath).`);
    expect(html).toContain(`<a class="text-primary`);
    expect(html).toMatch(new RegExp(`<a [^>]*href="${contact}"[^>]*>Maya</a>`));
    expect(html).not.toMatch(new RegExp(`href="${contact}"[^>]*target=`));
    expect(html).toMatch(
      /<a href="https:\/\/example.org\/breath" target="_blank" rel="noopener noreferrer nofollow"/,
    );
  });

  it("never renders HTML, scripts, pictures or links out of the app it does not know", () => {
    const html = render(
      [
        "<script>alert(1)</script>",
        '<img src="https://tracker.example/p.gif">',
        "[click](javascript:alert(1)) [admin](/settings/sync) [data](data:text/html,hi)",
        "![photo](https://tracker.example/p.gif)",
      ].join("\n\n"),
    );
    expect(html).not.toContain("<script");
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).not.toContain("javascript:");
    expect(html).not.toContain('href="/settings/sync"');
    expect(html).not.toContain("data:text/html");
  });

  it("renders lists and emphasis", () => {
    const html = render("- **Maya**: overdue\n- Bo");
    expect(html).toMatch(
      /<ul class="list-disc pl-5">\s*<li class="mt-0.5"><strong>Maya<\/strong>: overdue<\/li>/,
    );
  });
});
