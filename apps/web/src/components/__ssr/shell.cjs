var __create = Object.create;
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __getProtoOf = Object.getPrototypeOf;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toESM = (mod, isNodeMode, target) => (target = mod != null ? __create(__getProtoOf(mod)) : {}, __copyProps(
  // If the importer is in node compatibility mode or this is not an ESM
  // file that has been converted to a CommonJS file using a Babel-
  // compatible transform (i.e. "__esModule" has not been set), then set
  // "default" to the CommonJS "module.exports" for node compatibility.
  isNodeMode || !mod || !mod.__esModule ? __defProp(target, "default", { value: mod, enumerable: true }) : target,
  mod
));

// src/components/__ssr/shell.tsx
var import_server = require("react-dom/server");

// src/components/app-shell.tsx
var import_lucide_react5 = require("lucide-react");
var import_link2 = __toESM(require("next/link"), 1);

// src/components/app-shell-client.tsx
var import_lucide_react3 = require("lucide-react");
var import_link = __toESM(require("next/link"), 1);
var import_navigation = require("next/navigation");
var import_react = require("next-auth/react");
var import_radix_ui4 = require("radix-ui");
var import_react2 = require("react");

// src/components/ui/button.tsx
var import_class_variance_authority = require("class-variance-authority");
var import_radix_ui = require("radix-ui");

// src/lib/utils.ts
var import_clsx = require("clsx");
var import_tailwind_merge = require("tailwind-merge");
function cn(...inputs) {
  return (0, import_tailwind_merge.twMerge)((0, import_clsx.clsx)(inputs));
}

// src/components/ui/button.tsx
var import_jsx_runtime = require("react/jsx-runtime");
var buttonVariants = (0, import_class_variance_authority.cva)(
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
  const Comp = asChild ? import_radix_ui.Slot.Root : "button";
  return /* @__PURE__ */ (0, import_jsx_runtime.jsx)(
    Comp,
    {
      "data-slot": "button",
      className: cn(buttonVariants({ variant, size }), className),
      ...props
    }
  );
}

// src/components/ui/dialog.tsx
var import_lucide_react = require("lucide-react");
var import_radix_ui2 = require("radix-ui");
var import_jsx_runtime2 = require("react/jsx-runtime");
function DialogPortal(props) {
  return /* @__PURE__ */ (0, import_jsx_runtime2.jsx)(import_radix_ui2.Dialog.Portal, { "data-slot": "dialog-portal", ...props });
}
function DialogOverlay({
  className,
  ...props
}) {
  return /* @__PURE__ */ (0, import_jsx_runtime2.jsx)(
    import_radix_ui2.Dialog.Overlay,
    {
      "data-slot": "dialog-overlay",
      className: cn("fixed inset-0 z-50 bg-black/50 data-[state=open]:animate-fade-in", className),
      ...props
    }
  );
}
function DialogTitle({ className, ...props }) {
  return /* @__PURE__ */ (0, import_jsx_runtime2.jsx)(
    import_radix_ui2.Dialog.Title,
    {
      "data-slot": "dialog-title",
      className: cn("text-lg leading-tight font-semibold", className),
      ...props
    }
  );
}

// src/components/ui/dropdown-menu.tsx
var import_lucide_react2 = require("lucide-react");
var import_radix_ui3 = require("radix-ui");
var import_jsx_runtime3 = require("react/jsx-runtime");
var itemClasses = [
  "relative flex cursor-default items-center gap-2 rounded-sm px-2 py-2 text-sm outline-hidden select-none",
  "focus:bg-accent focus:text-accent-foreground",
  "data-[disabled]:pointer-events-none data-[disabled]:opacity-50",
  "[&_svg]:pointer-events-none [&_svg]:shrink-0 [&_svg:not([class*='size-'])]:size-4 [&_svg:not([class*='text-'])]:text-muted-foreground"
];
function DropdownMenu(props) {
  return /* @__PURE__ */ (0, import_jsx_runtime3.jsx)(import_radix_ui3.DropdownMenu.Root, { "data-slot": "dropdown-menu", ...props });
}
function DropdownMenuTrigger(props) {
  return /* @__PURE__ */ (0, import_jsx_runtime3.jsx)(import_radix_ui3.DropdownMenu.Trigger, { "data-slot": "dropdown-menu-trigger", ...props });
}
function DropdownMenuContent({
  className,
  sideOffset = 4,
  ...props
}) {
  return /* @__PURE__ */ (0, import_jsx_runtime3.jsx)(import_radix_ui3.DropdownMenu.Portal, { children: /* @__PURE__ */ (0, import_jsx_runtime3.jsx)(
    import_radix_ui3.DropdownMenu.Content,
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
function DropdownMenuItem({
  className,
  inset,
  variant = "default",
  ...props
}) {
  return /* @__PURE__ */ (0, import_jsx_runtime3.jsx)(
    import_radix_ui3.DropdownMenu.Item,
    {
      "data-slot": "dropdown-menu-item",
      "data-inset": inset,
      "data-variant": variant,
      className: cn(
        itemClasses,
        "data-[inset=true]:pl-8",
        "data-[variant=destructive]:text-destructive data-[variant=destructive]:focus:bg-destructive/10 data-[variant=destructive]:focus:text-destructive data-[variant=destructive]:[&_svg]:text-destructive!",
        className
      ),
      ...props
    }
  );
}
function DropdownMenuRadioGroup(props) {
  return /* @__PURE__ */ (0, import_jsx_runtime3.jsx)(import_radix_ui3.DropdownMenu.RadioGroup, { "data-slot": "dropdown-menu-radio-group", ...props });
}
function DropdownMenuRadioItem({
  className,
  children,
  ...props
}) {
  return /* @__PURE__ */ (0, import_jsx_runtime3.jsxs)(
    import_radix_ui3.DropdownMenu.RadioItem,
    {
      "data-slot": "dropdown-menu-radio-item",
      className: cn(itemClasses, "pl-8", className),
      ...props,
      children: [
        /* @__PURE__ */ (0, import_jsx_runtime3.jsx)("span", { className: "pointer-events-none absolute left-2 flex size-4 items-center justify-center", children: /* @__PURE__ */ (0, import_jsx_runtime3.jsx)(import_radix_ui3.DropdownMenu.ItemIndicator, { children: /* @__PURE__ */ (0, import_jsx_runtime3.jsx)(import_lucide_react2.CircleIcon, { className: "size-2 fill-current text-foreground", "aria-hidden": "true" }) }) }),
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
  return /* @__PURE__ */ (0, import_jsx_runtime3.jsx)(
    import_radix_ui3.DropdownMenu.Label,
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
  return /* @__PURE__ */ (0, import_jsx_runtime3.jsx)(
    import_radix_ui3.DropdownMenu.Separator,
    {
      "data-slot": "dropdown-menu-separator",
      className: cn("-mx-1 my-1 h-px bg-border", className),
      ...props
    }
  );
}

// src/components/app-shell-client.tsx
var import_jsx_runtime4 = require("react/jsx-runtime");
var navIcons = {
  home: import_lucide_react3.HouseIcon,
  contacts: import_lucide_react3.UsersIcon
};
var MD_UP_QUERY = "(min-width: 48rem)";
function isActive(pathname, href) {
  if (pathname === null) return false;
  if (href === "/") return pathname === "/";
  return pathname === href || pathname.startsWith(`${href}/`);
}
function NavLinks({ nav, onNavigate }) {
  const pathname = (0, import_navigation.usePathname)();
  return /* @__PURE__ */ (0, import_jsx_runtime4.jsx)("ul", { className: "flex flex-col gap-1", children: nav.map(({ href, label, icon }) => {
    const Icon = navIcons[icon];
    const active = isActive(pathname, href);
    return /* @__PURE__ */ (0, import_jsx_runtime4.jsx)("li", { children: /* @__PURE__ */ (0, import_jsx_runtime4.jsxs)(
      import_link.default,
      {
        href,
        "aria-current": active ? "page" : void 0,
        onClick: onNavigate,
        className: cn(
          "relative flex min-h-10 items-center gap-3 rounded-md px-3 py-2 text-sm font-medium text-muted-foreground transition-colors",
          "hover:bg-accent hover:text-accent-foreground",
          "focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring",
          "aria-[current=page]:bg-accent aria-[current=page]:font-semibold aria-[current=page]:text-accent-foreground",
          "before:absolute before:inset-y-2 before:left-0 before:w-1 before:rounded-full aria-[current=page]:before:bg-primary"
        ),
        children: [
          /* @__PURE__ */ (0, import_jsx_runtime4.jsx)(Icon, { "aria-hidden": "true", className: "size-4 shrink-0" }),
          label
        ]
      }
    ) }, href);
  }) });
}
function MobileNav({ nav }) {
  const [open, setOpen] = (0, import_react2.useState)(false);
  (0, import_react2.useEffect)(() => {
    if (!open) return;
    const query = window.matchMedia(MD_UP_QUERY);
    const closeOnDesktop = (event) => {
      if (event.matches) setOpen(false);
    };
    query.addEventListener("change", closeOnDesktop);
    return () => query.removeEventListener("change", closeOnDesktop);
  }, [open]);
  return /* @__PURE__ */ (0, import_jsx_runtime4.jsxs)(import_radix_ui4.Dialog.Root, { open, onOpenChange: setOpen, children: [
    /* @__PURE__ */ (0, import_jsx_runtime4.jsx)(import_radix_ui4.Dialog.Trigger, { asChild: true, children: /* @__PURE__ */ (0, import_jsx_runtime4.jsxs)(Button, { variant: "ghost", size: "icon", className: "md:hidden", children: [
      /* @__PURE__ */ (0, import_jsx_runtime4.jsx)(import_lucide_react3.MenuIcon, { "aria-hidden": "true", className: "size-5" }),
      /* @__PURE__ */ (0, import_jsx_runtime4.jsx)("span", { className: "sr-only", children: "Open navigation" })
    ] }) }),
    /* @__PURE__ */ (0, import_jsx_runtime4.jsxs)(DialogPortal, { children: [
      /* @__PURE__ */ (0, import_jsx_runtime4.jsx)(DialogOverlay, {}),
      /* @__PURE__ */ (0, import_jsx_runtime4.jsxs)(
        import_radix_ui4.Dialog.Content,
        {
          "aria-describedby": void 0,
          className: cn(
            "fixed inset-y-0 left-0 z-50 flex h-dvh w-72 max-w-[85vw] flex-col gap-4 border-r bg-background p-4 shadow-lg outline-none",
            "data-[state=open]:animate-sheet-in"
          ),
          children: [
            /* @__PURE__ */ (0, import_jsx_runtime4.jsxs)("div", { className: "flex items-center justify-between gap-2", children: [
              /* @__PURE__ */ (0, import_jsx_runtime4.jsx)(DialogTitle, { className: "text-base", children: "Navigation" }),
              /* @__PURE__ */ (0, import_jsx_runtime4.jsx)(import_radix_ui4.Dialog.Close, { asChild: true, children: /* @__PURE__ */ (0, import_jsx_runtime4.jsxs)(Button, { variant: "ghost", size: "icon", children: [
                /* @__PURE__ */ (0, import_jsx_runtime4.jsx)(import_lucide_react3.XIcon, { "aria-hidden": "true", className: "size-5" }),
                /* @__PURE__ */ (0, import_jsx_runtime4.jsx)("span", { className: "sr-only", children: "Close navigation" })
              ] }) })
            ] }),
            /* @__PURE__ */ (0, import_jsx_runtime4.jsx)("nav", { "aria-label": "Main", children: /* @__PURE__ */ (0, import_jsx_runtime4.jsx)(NavLinks, { nav, onNavigate: () => setOpen(false) }) })
          ]
        }
      )
    ] })
  ] });
}
function getInitials({ name, email }) {
  const words = (name ?? "").trim().split(/\s+/).filter(Boolean);
  const first = words[0];
  const last = words.length > 1 ? words[words.length - 1] : void 0;
  const letters = [first, last].map((word) => word ? Array.from(word)[0] ?? "" : "").join("");
  return (letters || (Array.from(email)[0] ?? "?")).toUpperCase();
}
function UserMenu({ user }) {
  return /* @__PURE__ */ (0, import_jsx_runtime4.jsxs)(DropdownMenu, { children: [
    /* @__PURE__ */ (0, import_jsx_runtime4.jsx)(DropdownMenuTrigger, { asChild: true, children: /* @__PURE__ */ (0, import_jsx_runtime4.jsx)(Button, { variant: "ghost", size: "icon", className: "rounded-full", "aria-label": "Account menu", children: /* @__PURE__ */ (0, import_jsx_runtime4.jsx)(
      "span",
      {
        "aria-hidden": "true",
        className: "flex size-8 items-center justify-center rounded-full bg-primary text-xs font-semibold text-primary-foreground",
        children: getInitials(user)
      }
    ) }) }),
    /* @__PURE__ */ (0, import_jsx_runtime4.jsxs)(DropdownMenuContent, { align: "end", className: "w-64 max-w-[calc(100vw-1rem)]", children: [
      /* @__PURE__ */ (0, import_jsx_runtime4.jsxs)(DropdownMenuLabel, { className: "flex flex-col gap-0.5 font-normal", children: [
        user.name ? /* @__PURE__ */ (0, import_jsx_runtime4.jsx)("span", { className: "truncate text-sm font-medium", children: user.name }) : null,
        /* @__PURE__ */ (0, import_jsx_runtime4.jsx)("span", { className: "truncate text-xs text-muted-foreground", children: user.email })
      ] }),
      /* @__PURE__ */ (0, import_jsx_runtime4.jsx)(DropdownMenuSeparator, {}),
      /* @__PURE__ */ (0, import_jsx_runtime4.jsxs)(
        DropdownMenuItem,
        {
          onSelect: () => {
            void (0, import_react.signOut)({ callbackUrl: "/sign-in" });
          },
          children: [
            /* @__PURE__ */ (0, import_jsx_runtime4.jsx)(import_lucide_react3.LogOutIcon, { "aria-hidden": "true" }),
            "Sign out"
          ]
        }
      )
    ] })
  ] });
}

// src/components/theme-toggle.tsx
var import_lucide_react4 = require("lucide-react");
var import_next_themes = require("next-themes");
var import_jsx_runtime5 = require("react/jsx-runtime");
var themeOptions = [
  { value: "light", label: "Light", Icon: import_lucide_react4.SunIcon },
  { value: "dark", label: "Dark", Icon: import_lucide_react4.MoonIcon },
  { value: "system", label: "System", Icon: import_lucide_react4.MonitorIcon }
];
function ThemeToggle() {
  const { theme, setTheme } = (0, import_next_themes.useTheme)();
  return /* @__PURE__ */ (0, import_jsx_runtime5.jsxs)(DropdownMenu, { children: [
    /* @__PURE__ */ (0, import_jsx_runtime5.jsx)(DropdownMenuTrigger, { asChild: true, children: /* @__PURE__ */ (0, import_jsx_runtime5.jsxs)(Button, { variant: "ghost", size: "icon", children: [
      /* @__PURE__ */ (0, import_jsx_runtime5.jsx)(import_lucide_react4.SunIcon, { "aria-hidden": "true", className: "size-5 dark:hidden" }),
      /* @__PURE__ */ (0, import_jsx_runtime5.jsx)(import_lucide_react4.MoonIcon, { "aria-hidden": "true", className: "hidden size-5 dark:block" }),
      /* @__PURE__ */ (0, import_jsx_runtime5.jsx)("span", { className: "sr-only", children: "Toggle theme" })
    ] }) }),
    /* @__PURE__ */ (0, import_jsx_runtime5.jsxs)(DropdownMenuContent, { align: "end", children: [
      /* @__PURE__ */ (0, import_jsx_runtime5.jsx)(DropdownMenuLabel, { children: "Theme" }),
      /* @__PURE__ */ (0, import_jsx_runtime5.jsx)(DropdownMenuSeparator, {}),
      /* @__PURE__ */ (0, import_jsx_runtime5.jsx)(
        DropdownMenuRadioGroup,
        {
          "aria-label": "Theme",
          value: theme ?? "system",
          onValueChange: setTheme,
          children: themeOptions.map(({ value, label, Icon }) => /* @__PURE__ */ (0, import_jsx_runtime5.jsxs)(DropdownMenuRadioItem, { value, children: [
            /* @__PURE__ */ (0, import_jsx_runtime5.jsx)(Icon, { "aria-hidden": "true" }),
            label
          ] }, value))
        }
      )
    ] })
  ] });
}

// src/components/app-shell.tsx
var import_jsx_runtime6 = require("react/jsx-runtime");
function AppShell({ user, nav, children }) {
  return /* @__PURE__ */ (0, import_jsx_runtime6.jsxs)("div", { className: "flex min-h-dvh flex-col", children: [
    /* @__PURE__ */ (0, import_jsx_runtime6.jsx)(
      "a",
      {
        href: "#content",
        className: "sr-only focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:z-100 focus:rounded-md focus:bg-background focus:px-4 focus:py-2 focus:text-sm focus:font-medium focus:text-foreground focus:shadow-md",
        children: "Skip to content"
      }
    ),
    /* @__PURE__ */ (0, import_jsx_runtime6.jsx)("header", { className: "sticky top-0 z-40 border-b bg-background/95 backdrop-blur supports-backdrop-filter:bg-background/80", children: /* @__PURE__ */ (0, import_jsx_runtime6.jsxs)("div", { className: "flex h-14 items-center gap-2 px-3 sm:px-4", children: [
      /* @__PURE__ */ (0, import_jsx_runtime6.jsx)(MobileNav, { nav }),
      /* @__PURE__ */ (0, import_jsx_runtime6.jsxs)(
        import_link2.default,
        {
          href: "/",
          className: "flex items-center gap-2 rounded-md px-1 text-base font-semibold tracking-tight focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring",
          children: [
            /* @__PURE__ */ (0, import_jsx_runtime6.jsx)(import_lucide_react5.LeafIcon, { "aria-hidden": "true", className: "size-5 text-primary" }),
            "OmniCRM"
          ]
        }
      ),
      /* @__PURE__ */ (0, import_jsx_runtime6.jsxs)("div", { className: "ml-auto flex items-center gap-1", children: [
        /* @__PURE__ */ (0, import_jsx_runtime6.jsx)(ThemeToggle, {}),
        /* @__PURE__ */ (0, import_jsx_runtime6.jsx)(UserMenu, { user })
      ] })
    ] }) }),
    /* @__PURE__ */ (0, import_jsx_runtime6.jsxs)("div", { className: "flex flex-1", children: [
      /* @__PURE__ */ (0, import_jsx_runtime6.jsx)("aside", { className: "sticky top-14 hidden h-[calc(100dvh-3.5rem)] w-60 shrink-0 overflow-y-auto border-r p-3 md:block", children: /* @__PURE__ */ (0, import_jsx_runtime6.jsx)("nav", { "aria-label": "Main", children: /* @__PURE__ */ (0, import_jsx_runtime6.jsx)(NavLinks, { nav }) }) }),
      /* @__PURE__ */ (0, import_jsx_runtime6.jsx)("main", { id: "content", tabIndex: -1, className: "min-w-0 flex-1 focus-visible:outline-none", children: /* @__PURE__ */ (0, import_jsx_runtime6.jsx)("div", { className: "mx-auto w-full max-w-6xl px-4 py-6 sm:px-6 lg:px-8", children }) })
    ] })
  ] });
}

// src/components/__ssr/shell.tsx
var import_jsx_runtime7 = require("react/jsx-runtime");
var html = (0, import_server.renderToString)(
  /* @__PURE__ */ (0, import_jsx_runtime7.jsx)(AppShell, { user: { name: "Ada  Lovelace-Byron ", email: "ada@example.com" }, nav: [{ href: "/", label: "Home", icon: "home" }, { href: "/contacts", label: "Contacts", icon: "contacts" }], children: /* @__PURE__ */ (0, import_jsx_runtime7.jsx)("h1", { children: "Dashboard" }) })
);
console.log(html.replace(/<svg[\s\S]*?<\/svg>/g, "<svg/>").replace(/ class="[^"]*"/g, "").replace(/></g, ">\n<"));
