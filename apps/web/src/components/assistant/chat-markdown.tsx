import Link from "next/link";
import Markdown, { type Components, type UrlTransform } from "react-markdown";
import remarkGfm from "remark-gfm";
import {
  linkClasses,
  markdownComponents,
  remarkHtmlAsText,
} from "@/components/contacts/detail/note-markdown";
import { safeUrl } from "@/components/contacts/detail/text";

/** Links into the app the assistant may write: a contact's page. */
const APP_LINK = /^\/contacts\/[0-9a-f-]{36}$/i;

const urlTransform: UrlTransform = (url) => (APP_LINK.test(url.trim()) ? url.trim() : safeUrl(url));

const components: Components = {
  ...markdownComponents,
  a: ({ href, children }) => {
    if (!href) return <span>{children}</span>;
    if (APP_LINK.test(href))
      return (
        <Link href={href} className={linkClasses}>
          {children}
        </Link>
      );
    return (
      <a href={href} target="_blank" rel="noopener noreferrer nofollow" className={linkClasses}>
        {children}
      </a>
    );
  },
};

/**
 * The assistant's Markdown, rendered safely: no raw HTML, no pictures, only web, mail and phone
 * links, and links to the practitioner's own contacts.
 */
export function ChatMarkdown({ text }: { text: string }) {
  return (
    <div className="grid gap-2 text-sm leading-relaxed wrap-break-word [&_li>p]:inline">
      <Markdown
        remarkPlugins={[remarkGfm, remarkHtmlAsText]}
        urlTransform={urlTransform}
        components={components}
      >
        {text}
      </Markdown>
    </div>
  );
}
