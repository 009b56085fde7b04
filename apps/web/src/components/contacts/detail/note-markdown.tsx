import { ImageIcon } from "lucide-react";
import Markdown, { type Components, type UrlTransform } from "react-markdown";
import remarkGfm from "remark-gfm";
import { safeUrl } from "./text";

const urlTransform: UrlTransform = (url) => safeUrl(url);

type MdNode = {
  type: string;
  value?: string;
  children?: MdNode[];
  data?: { hProperties?: Record<string, unknown> };
};

const FLOW_PARENTS = new Set(["root", "blockquote", "listItem", "footnoteDefinition"]);

/**
 * HTML written in a note is shown as the text it is, never rendered: a block of HTML becomes a
 * paragraph that keeps its line breaks, inline HTML becomes text.
 */
export function remarkHtmlAsText() {
  const visit = (node: MdNode) => {
    if (!node.children) return;
    node.children = node.children.map((child): MdNode => {
      if (child.type === "html") {
        const text: MdNode = { type: "text", value: child.value ?? "" };
        return FLOW_PARENTS.has(node.type)
          ? {
              type: "paragraph",
              children: [text],
              data: { hProperties: { className: "whitespace-pre-wrap" } },
            }
          : text;
      }
      visit(child);
      return child;
    });
  };
  return (tree: MdNode) => visit(tree);
}

export const linkClasses =
  "text-primary underline underline-offset-4 wrap-anywhere hover:decoration-2";

/** Notes' headings sit below the page's h1 and the section's h2. */
export const markdownComponents: Components = {
  a: ({ href, children }) =>
    href ? (
      <a href={href} target="_blank" rel="noopener noreferrer nofollow" className={linkClasses}>
        {children}
      </a>
    ) : (
      <span>{children}</span>
    ),
  // Pictures are not loaded from notes (they could track when a note is read): a link instead.
  img: ({ src, alt }) =>
    typeof src === "string" && src ? (
      <a href={src} target="_blank" rel="noopener noreferrer nofollow" className={linkClasses}>
        <ImageIcon aria-hidden="true" className="mr-1 inline size-4 align-[-0.15em]" />
        {alt || "Image"}
      </a>
    ) : (
      <span>{alt}</span>
    ),
  h1: ({ children }) => <h3 className="mt-3 mb-1 text-base font-semibold">{children}</h3>,
  h2: ({ children }) => <h4 className="mt-3 mb-1 font-semibold">{children}</h4>,
  h3: ({ children }) => <h5 className="mt-2 mb-1 font-semibold">{children}</h5>,
  h4: ({ children }) => <h6 className="mt-2 mb-1 font-medium">{children}</h6>,
  h5: ({ children }) => <h6 className="mt-2 mb-1 font-medium">{children}</h6>,
  h6: ({ children }) => <h6 className="mt-2 mb-1 font-medium">{children}</h6>,
  p: ({ children, className }) => <p className={className}>{children}</p>,
  ul: ({ children }) => <ul className="list-disc pl-5">{children}</ul>,
  ol: ({ children, start }) => (
    <ol start={start} className="list-decimal pl-5">
      {children}
    </ol>
  ),
  li: ({ children, className }) => (
    <li
      className={
        className?.includes("task-list-item")
          ? "mt-0.5 -ml-5 flex list-none items-start gap-2"
          : "mt-0.5"
      }
    >
      {children}
    </li>
  ),
  input: ({ checked, type }) =>
    type === "checkbox" ? (
      <input
        type="checkbox"
        checked={checked ?? false}
        disabled
        readOnly
        aria-label={checked ? "Done" : "Not done"}
        className="mt-1 size-4 accent-primary"
      />
    ) : null,
  blockquote: ({ children }) => (
    <blockquote className="border-l-2 pl-3 text-muted-foreground">{children}</blockquote>
  ),
  code: ({ children, className }) => (
    <code className={className ?? "rounded bg-muted px-1 py-0.5 font-mono text-[0.9em]"}>
      {children}
    </code>
  ),
  pre: ({ children }) => (
    <pre className="overflow-x-auto rounded-md bg-muted p-3 font-mono text-sm">{children}</pre>
  ),
  table: ({ children }) => (
    <div className="overflow-x-auto">
      <table className="w-full border-collapse text-sm">{children}</table>
    </div>
  ),
  th: ({ children, style }) => (
    <th style={style} className="border px-2 py-1 text-left font-medium">
      {children}
    </th>
  ),
  td: ({ children, style }) => (
    <td style={style} className="border px-2 py-1">
      {children}
    </td>
  ),
  hr: () => <hr className="my-3" />,
};

/** A note's Markdown, rendered safely: no raw HTML, no pictures, only web/mail/phone links. */
export function NoteMarkdown({ body }: { body: string }) {
  return (
    <div className="grid gap-2 text-sm leading-relaxed wrap-break-word [&_li>p]:inline">
      <Markdown
        remarkPlugins={[remarkGfm, remarkHtmlAsText]}
        urlTransform={urlTransform}
        components={markdownComponents}
      >
        {body}
      </Markdown>
    </div>
  );
}
