// src/components/__ssr/render.tsx
import { renderToString } from "react-dom/server";

// src/components/auth-card.tsx
import { LeafIcon } from "lucide-react";

// src/components/ui/card.tsx
import { Slot } from "radix-ui";

// src/lib/utils.ts
import { clsx } from "clsx";
import { twMerge } from "tailwind-merge";
function cn(...inputs) {
  return twMerge(clsx(inputs));
}

// src/components/ui/card.tsx
import { jsx } from "react/jsx-runtime";
function Card({ className, ...props }) {
  return /* @__PURE__ */ jsx(
    "div",
    {
      "data-slot": "card",
      className: cn(
        "flex flex-col gap-6 rounded-xl border bg-card py-6 text-card-foreground shadow-sm",
        className
      ),
      ...props
    }
  );
}
function CardHeader({ className, ...props }) {
  return /* @__PURE__ */ jsx(
    "div",
    {
      "data-slot": "card-header",
      className: cn("flex flex-col gap-1.5 px-6", className),
      ...props
    }
  );
}
function CardTitle({ className, asChild = false, ...props }) {
  const Comp = asChild ? Slot.Root : "h2";
  return /* @__PURE__ */ jsx(
    Comp,
    {
      "data-slot": "card-title",
      className: cn("text-lg leading-tight font-semibold tracking-tight", className),
      ...props
    }
  );
}
function CardDescription({ className, ...props }) {
  return /* @__PURE__ */ jsx(
    "p",
    {
      "data-slot": "card-description",
      className: cn("text-sm text-muted-foreground", className),
      ...props
    }
  );
}
function CardContent({ className, ...props }) {
  return /* @__PURE__ */ jsx("div", { "data-slot": "card-content", className: cn("px-6", className), ...props });
}
function CardFooter({ className, ...props }) {
  return /* @__PURE__ */ jsx(
    "div",
    {
      "data-slot": "card-footer",
      className: cn("flex flex-wrap items-center gap-2 px-6", className),
      ...props
    }
  );
}

// src/components/auth-card.tsx
import { jsx as jsx2, jsxs } from "react/jsx-runtime";
function AuthCard({ title, description, children, footer }) {
  return /* @__PURE__ */ jsxs(
    "main",
    {
      id: "content",
      className: "flex min-h-dvh flex-col items-center justify-center gap-6 bg-muted px-4 py-10",
      children: [
        /* @__PURE__ */ jsxs("p", { className: "flex items-center gap-2 text-lg font-semibold tracking-tight", children: [
          /* @__PURE__ */ jsx2(LeafIcon, { "aria-hidden": "true", className: "size-6 text-primary" }),
          "OmniCRM"
        ] }),
        /* @__PURE__ */ jsxs(Card, { className: "w-full max-w-sm", children: [
          /* @__PURE__ */ jsxs(CardHeader, { children: [
            /* @__PURE__ */ jsx2(CardTitle, { asChild: true, children: /* @__PURE__ */ jsx2("h1", { children: title }) }),
            description ? /* @__PURE__ */ jsx2(CardDescription, { children: description }) : null
          ] }),
          /* @__PURE__ */ jsx2(CardContent, { children }),
          footer ? /* @__PURE__ */ jsx2(CardFooter, { className: "justify-center text-sm text-muted-foreground", children: footer }) : null
        ] })
      ]
    }
  );
}

// src/components/theme-provider.tsx
import { ThemeProvider as NextThemesProvider } from "next-themes";
import { jsx as jsx3 } from "react/jsx-runtime";
function ThemeProvider({ children, ...props }) {
  return /* @__PURE__ */ jsx3(
    NextThemesProvider,
    {
      attribute: "class",
      defaultTheme: "system",
      enableSystem: true,
      disableTransitionOnChange: true,
      ...props,
      children
    }
  );
}

// src/components/theme-toggle.tsx
import { MonitorIcon, MoonIcon, SunIcon } from "lucide-react";
import { useTheme } from "next-themes";

// src/components/ui/button.tsx
import { cva } from "class-variance-authority";
import { Slot as Slot2 } from "radix-ui";
import { jsx as jsx4 } from "react/jsx-runtime";
var buttonVariants = cva(
  [
    "inline-flex shrink-0 cursor-pointer items-center justify-center gap-2 rounded-md text-sm font-medium whitespace-nowrap transition-colors select-none",
    "focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring",
    "disabled:pointer-events-none disabled:opacity-50 aria-disabled:pointer-events-none aria-disabled:opacity-50",
    "[&_svg]:pointer-events-none [&_svg]:shrink-0 [&_svg:not([class*='size-'])]:size-4"
  ],
  {
    variants: {
      variant: {
        default: "bg-primary text-primary-foreground shadow-xs hover:bg-primary/90",
        secondary: "bg-secondary text-secondary-foreground shadow-xs hover:bg-secondary/80",
        outline: "border border-input bg-background shadow-xs hover:bg-accent hover:text-accent-foreground",
        ghost: "hover:bg-accent hover:text-accent-foreground",
        destructive: "bg-destructive text-destructive-foreground shadow-xs hover:bg-destructive/90 focus-visible:outline-destructive",
        link: "text-primary underline-offset-4 hover:underline"
      },
      size: {
        sm: "h-9 gap-1.5 px-3",
        default: "h-10 px-4 py-2",
        lg: "h-11 px-6 text-base",
        icon: "size-10"
      }
    },
    defaultVariants: {
      variant: "default",
      size: "default"
    }
  }
);
function Button({ className, variant, size, asChild = false, ...props }) {
  const Comp = asChild ? Slot2.Root : "button";
  return /* @__PURE__ */ jsx4(
    Comp,
    {
      "data-slot": "button",
      className: cn(buttonVariants({ variant, size }), className),
      ...props
    }
  );
}

// src/components/ui/dropdown-menu.tsx
import { CheckIcon, CircleIcon } from "lucide-react";
import { DropdownMenu as DropdownMenuPrimitive } from "radix-ui";
import { jsx as jsx5, jsxs as jsxs2 } from "react/jsx-runtime";
var itemClasses = [
  "relative flex cursor-default items-center gap-2 rounded-sm px-2 py-2 text-sm outline-hidden select-none",
  "focus:bg-accent focus:text-accent-foreground",
  "data-[disabled]:pointer-events-none data-[disabled]:opacity-50",
  "[&_svg]:pointer-events-none [&_svg]:shrink-0 [&_svg:not([class*='size-'])]:size-4 [&_svg:not([class*='text-'])]:text-muted-foreground"
];
function DropdownMenu(props) {
  return /* @__PURE__ */ jsx5(DropdownMenuPrimitive.Root, { "data-slot": "dropdown-menu", ...props });
}
function DropdownMenuTrigger(props) {
  return /* @__PURE__ */ jsx5(DropdownMenuPrimitive.Trigger, { "data-slot": "dropdown-menu-trigger", ...props });
}
function DropdownMenuContent({
  className,
  sideOffset = 4,
  ...props
}) {
  return /* @__PURE__ */ jsx5(DropdownMenuPrimitive.Portal, { children: /* @__PURE__ */ jsx5(
    DropdownMenuPrimitive.Content,
    {
      "data-slot": "dropdown-menu-content",
      sideOffset,
      className: cn(
        "z-50 max-h-(--radix-dropdown-menu-content-available-height) min-w-40 origin-(--radix-dropdown-menu-content-transform-origin) overflow-x-hidden overflow-y-auto outline-hidden",
        "rounded-md border bg-popover p-1 text-popover-foreground shadow-md",
        "data-[state=open]:animate-pop-in",
        className
      ),
      ...props
    }
  ) });
}
function DropdownMenuRadioGroup(props) {
  return /* @__PURE__ */ jsx5(DropdownMenuPrimitive.RadioGroup, { "data-slot": "dropdown-menu-radio-group", ...props });
}
function DropdownMenuRadioItem({
  className,
  children,
  ...props
}) {
  return /* @__PURE__ */ jsxs2(
    DropdownMenuPrimitive.RadioItem,
    {
      "data-slot": "dropdown-menu-radio-item",
      className: cn(itemClasses, "pl-8", className),
      ...props,
      children: [
        /* @__PURE__ */ jsx5("span", { className: "pointer-events-none absolute left-2 flex size-4 items-center justify-center", children: /* @__PURE__ */ jsx5(DropdownMenuPrimitive.ItemIndicator, { children: /* @__PURE__ */ jsx5(CircleIcon, { className: "size-2 fill-current text-foreground", "aria-hidden": "true" }) }) }),
        children
      ]
    }
  );
}
function DropdownMenuLabel({
  className,
  inset,
  ...props
}) {
  return /* @__PURE__ */ jsx5(
    DropdownMenuPrimitive.Label,
    {
      "data-slot": "dropdown-menu-label",
      "data-inset": inset,
      className: cn("px-2 py-1.5 text-sm font-medium data-[inset=true]:pl-8", className),
      ...props
    }
  );
}
function DropdownMenuSeparator({
  className,
  ...props
}) {
  return /* @__PURE__ */ jsx5(
    DropdownMenuPrimitive.Separator,
    {
      "data-slot": "dropdown-menu-separator",
      className: cn("-mx-1 my-1 h-px bg-border", className),
      ...props
    }
  );
}

// src/components/theme-toggle.tsx
import { jsx as jsx6, jsxs as jsxs3 } from "react/jsx-runtime";
var themeOptions = [
  { value: "light", label: "Light", Icon: SunIcon },
  { value: "dark", label: "Dark", Icon: MoonIcon },
  { value: "system", label: "System", Icon: MonitorIcon }
];
function ThemeToggle() {
  const { theme, setTheme } = useTheme();
  return /* @__PURE__ */ jsxs3(DropdownMenu, { children: [
    /* @__PURE__ */ jsx6(DropdownMenuTrigger, { asChild: true, children: /* @__PURE__ */ jsxs3(Button, { variant: "ghost", size: "icon", children: [
      /* @__PURE__ */ jsx6(SunIcon, { "aria-hidden": "true", className: "size-5 dark:hidden" }),
      /* @__PURE__ */ jsx6(MoonIcon, { "aria-hidden": "true", className: "hidden size-5 dark:block" }),
      /* @__PURE__ */ jsx6("span", { className: "sr-only", children: "Toggle theme" })
    ] }) }),
    /* @__PURE__ */ jsxs3(DropdownMenuContent, { align: "end", children: [
      /* @__PURE__ */ jsx6(DropdownMenuLabel, { children: "Theme" }),
      /* @__PURE__ */ jsx6(DropdownMenuSeparator, {}),
      /* @__PURE__ */ jsx6(
        DropdownMenuRadioGroup,
        {
          "aria-label": "Theme",
          value: theme ?? "system",
          onValueChange: setTheme,
          children: themeOptions.map(({ value, label, Icon }) => /* @__PURE__ */ jsxs3(DropdownMenuRadioItem, { value, children: [
            /* @__PURE__ */ jsx6(Icon, { "aria-hidden": "true" }),
            label
          ] }, value))
        }
      )
    ] })
  ] });
}

// src/components/ui/badge.tsx
import { cva as cva2 } from "class-variance-authority";
import { Slot as Slot3 } from "radix-ui";
import { jsx as jsx7 } from "react/jsx-runtime";
var badgeVariants = cva2(
  [
    "inline-flex w-fit shrink-0 items-center justify-center gap-1 overflow-hidden rounded-md border px-2 py-0.5 text-xs font-medium whitespace-nowrap transition-colors",
    "focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring",
    "[&>svg]:pointer-events-none [&>svg]:size-3"
  ],
  {
    variants: {
      variant: {
        default: "border-transparent bg-primary text-primary-foreground [a&]:hover:bg-primary/90",
        secondary: "border-transparent bg-secondary text-secondary-foreground [a&]:hover:bg-secondary/80",
        outline: "text-foreground [a&]:hover:bg-accent [a&]:hover:text-accent-foreground",
        destructive: "border-transparent bg-destructive text-destructive-foreground [a&]:hover:bg-destructive/90"
      }
    },
    defaultVariants: {
      variant: "default"
    }
  }
);
function Badge({ className, variant, asChild = false, ...props }) {
  const Comp = asChild ? Slot3.Root : "span";
  return /* @__PURE__ */ jsx7(Comp, { "data-slot": "badge", className: cn(badgeVariants({ variant }), className), ...props });
}

// src/components/ui/form-field.tsx
import { Slot as Slot4 } from "radix-ui";

// src/components/ui/label.tsx
import { Label as LabelPrimitive } from "radix-ui";
import { jsx as jsx8 } from "react/jsx-runtime";
function Label({ className, ...props }) {
  return /* @__PURE__ */ jsx8(
    LabelPrimitive.Root,
    {
      "data-slot": "label",
      className: cn(
        "flex items-center gap-2 text-sm leading-none font-medium select-none",
        "peer-disabled:cursor-not-allowed peer-disabled:opacity-50",
        "group-data-[disabled=true]:pointer-events-none group-data-[disabled=true]:opacity-50",
        className
      ),
      ...props
    }
  );
}

// src/components/ui/form-field.tsx
import { jsx as jsx9, jsxs as jsxs4 } from "react/jsx-runtime";
function fieldDescriptionId(id) {
  return `${id}-description`;
}
function fieldErrorId(id) {
  return `${id}-error`;
}
function fieldProps(id, error, options = {}) {
  const describedBy = [
    options.hasDescription ? fieldDescriptionId(id) : null,
    error ? fieldErrorId(id) : null
  ].filter((value) => value !== null);
  return {
    id,
    "aria-invalid": error ? true : void 0,
    "aria-describedby": describedBy.length > 0 ? describedBy.join(" ") : void 0
  };
}
function FormField({
  id,
  label,
  error,
  description,
  required = false,
  className,
  children
}) {
  const hasDescription = description !== void 0 && description !== null && description !== "";
  return /* @__PURE__ */ jsxs4("div", { "data-slot": "form-field", className: cn("grid gap-2", className), children: [
    /* @__PURE__ */ jsxs4(Label, { htmlFor: id, className: cn(error ? "text-destructive" : void 0), children: [
      label,
      required ? /* @__PURE__ */ jsx9("span", { "aria-hidden": "true", className: "text-destructive", children: "*" }) : null
    ] }),
    /* @__PURE__ */ jsx9(Slot4.Root, { ...fieldProps(id, error, { hasDescription }), children }),
    hasDescription ? /* @__PURE__ */ jsx9("p", { id: fieldDescriptionId(id), className: "text-sm text-muted-foreground", children: description }) : null,
    error ? /* @__PURE__ */ jsx9("p", { id: fieldErrorId(id), role: "alert", className: "text-sm font-medium text-destructive", children: error }) : null
  ] });
}

// src/components/ui/input.tsx
import { jsx as jsx10 } from "react/jsx-runtime";
var controlClasses = [
  "w-full min-w-0 rounded-md border border-input bg-background px-3 text-base shadow-xs transition-colors md:text-sm",
  "placeholder:text-muted-foreground",
  "focus-visible:border-ring focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring",
  "disabled:cursor-not-allowed disabled:opacity-50",
  "aria-invalid:border-destructive aria-invalid:focus-visible:outline-destructive"
];
function Input({ className, type = "text", ...props }) {
  return /* @__PURE__ */ jsx10(
    "input",
    {
      type,
      "data-slot": "input",
      className: cn(
        controlClasses,
        "flex h-10 py-2",
        "file:mr-3 file:inline-flex file:h-7 file:border-0 file:bg-transparent file:text-sm file:font-medium file:text-foreground",
        className
      ),
      ...props
    }
  );
}

// src/components/ui/separator.tsx
import { Separator as SeparatorPrimitive } from "radix-ui";
import { jsx as jsx11 } from "react/jsx-runtime";
function Separator({
  className,
  orientation = "horizontal",
  decorative = true,
  ...props
}) {
  return /* @__PURE__ */ jsx11(
    SeparatorPrimitive.Root,
    {
      "data-slot": "separator",
      decorative,
      orientation,
      className: cn(
        "shrink-0 bg-border data-[orientation=horizontal]:h-px data-[orientation=horizontal]:w-full data-[orientation=vertical]:h-full data-[orientation=vertical]:w-px",
        className
      ),
      ...props
    }
  );
}

// src/components/ui/skeleton.tsx
import { jsx as jsx12 } from "react/jsx-runtime";
function Skeleton({ className, ...props }) {
  return /* @__PURE__ */ jsx12(
    "div",
    {
      "data-slot": "skeleton",
      "aria-hidden": "true",
      className: cn("animate-pulse rounded-md bg-muted", className),
      ...props
    }
  );
}

// src/components/ui/table.tsx
import { jsx as jsx13 } from "react/jsx-runtime";
function Table({ className, regionLabel, containerClassName, ...props }) {
  return /* @__PURE__ */ jsx13(
    "div",
    {
      "data-slot": "table-container",
      className: cn("relative w-full overflow-x-auto rounded-md", containerClassName),
      role: regionLabel ? "region" : void 0,
      "aria-label": regionLabel,
      tabIndex: regionLabel ? 0 : void 0,
      children: /* @__PURE__ */ jsx13(
        "table",
        {
          "data-slot": "table",
          className: cn("w-full caption-bottom text-sm", className),
          ...props
        }
      )
    }
  );
}
function TableBody({ className, ...props }) {
  return /* @__PURE__ */ jsx13(
    "tbody",
    {
      "data-slot": "table-body",
      className: cn("[&_tr:last-child]:border-0", className),
      ...props
    }
  );
}
function TableRow({ className, ...props }) {
  return /* @__PURE__ */ jsx13(
    "tr",
    {
      "data-slot": "table-row",
      className: cn(
        "border-b transition-colors hover:bg-muted/50 data-[state=selected]:bg-muted",
        className
      ),
      ...props
    }
  );
}
function TableCell({ className, ...props }) {
  return /* @__PURE__ */ jsx13("td", { "data-slot": "table-cell", className: cn("px-3 py-2.5 align-middle", className), ...props });
}

// src/components/ui/textarea.tsx
import { jsx as jsx14 } from "react/jsx-runtime";
function Textarea({ className, ...props }) {
  return /* @__PURE__ */ jsx14(
    "textarea",
    {
      "data-slot": "textarea",
      className: cn(controlClasses, "flex field-sizing-content min-h-20 py-2", className),
      ...props
    }
  );
}

// src/components/ui/sonner.tsx
import { useTheme as useTheme2 } from "next-themes";
import { Toaster as Sonner } from "sonner";
import { jsx as jsx15 } from "react/jsx-runtime";
function toSonnerTheme(theme) {
  return theme === "light" || theme === "dark" ? theme : "system";
}
function Toaster(props) {
  const { theme } = useTheme2();
  return /* @__PURE__ */ jsx15(
    Sonner,
    {
      theme: toSonnerTheme(theme),
      className: "toaster group",
      style: {
        "--normal-bg": "var(--popover)",
        "--normal-text": "var(--popover-foreground)",
        "--normal-border": "var(--border)",
        "--border-radius": "var(--radius)"
      },
      ...props
    }
  );
}

// src/components/__ssr/render.tsx
import { jsx as jsx16, jsxs as jsxs5 } from "react/jsx-runtime";
var html = renderToString(
  /* @__PURE__ */ jsxs5(ThemeProvider, { children: [
    /* @__PURE__ */ jsxs5(AuthCard, { title: "Sign in", description: "Welcome back", footer: /* @__PURE__ */ jsx16("a", { href: "/sign-up", children: "Create account" }), children: [
      /* @__PURE__ */ jsx16(FormField, { id: "email", label: "Email", description: "Work email", error: "Email is required", required: true, children: /* @__PURE__ */ jsx16(Input, { type: "email", name: "email" }) }),
      /* @__PURE__ */ jsx16(FormField, { id: "notes", label: "Notes", children: /* @__PURE__ */ jsx16(Textarea, { name: "notes" }) }),
      /* @__PURE__ */ jsx16(Button, { asChild: true, variant: "link", children: /* @__PURE__ */ jsx16("a", { href: "/x", children: "Link button" }) }),
      /* @__PURE__ */ jsx16(Button, { variant: "destructive", size: "sm", className: "px-8", children: "Delete" }),
      /* @__PURE__ */ jsx16(Badge, { children: "New" }),
      /* @__PURE__ */ jsx16(Skeleton, { className: "h-4" }),
      /* @__PURE__ */ jsx16(Separator, {}),
      /* @__PURE__ */ jsx16(Table, { regionLabel: "Contacts", children: /* @__PURE__ */ jsx16(TableBody, { children: /* @__PURE__ */ jsx16(TableRow, { children: /* @__PURE__ */ jsx16(TableCell, { children: "A" }) }) }) }),
      /* @__PURE__ */ jsx16(ThemeToggle, {})
    ] }),
    /* @__PURE__ */ jsx16(Toaster, {})
  ] })
);
console.log(html.replace(/<script[\s\S]*?<\/script>/, "<script/>").replace(/></g, ">\n<"));
