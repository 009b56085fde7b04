import { LeafIcon } from "lucide-react";
import Link from "next/link";
import type * as React from "react";

import {
  MobileNav,
  NavLinks,
  UserMenu,
  type NavItem,
  type ShellUser,
} from "@/components/app-shell-client";
import { ThemeToggle } from "@/components/theme-toggle";

type AppShellProps = {
  user: ShellUser;
  nav: NavItem[];
  children: React.ReactNode;
};

function AppShell({ user, nav, children }: AppShellProps) {
  return (
    <div className="flex min-h-dvh flex-col">
      <a
        href="#content"
        className="sr-only focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:z-100 focus:rounded-md focus:bg-background focus:px-4 focus:py-2 focus:text-sm focus:font-medium focus:text-foreground focus:shadow-md"
      >
        Skip to content
      </a>
      <header className="sticky top-0 z-40 border-b bg-background/95 backdrop-blur supports-backdrop-filter:bg-background/80">
        <div className="flex h-14 items-center gap-2 px-3 sm:px-4">
          <MobileNav nav={nav} />
          <Link
            href="/"
            className="flex items-center gap-2 rounded-md px-1 text-base font-semibold tracking-tight focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring"
          >
            <LeafIcon aria-hidden="true" className="size-5 text-primary" />
            OmniCRM
          </Link>
          <div className="ml-auto flex items-center gap-1">
            <ThemeToggle />
            <UserMenu user={user} />
          </div>
        </div>
      </header>
      <div className="flex flex-1">
        <aside className="sticky top-14 hidden h-[calc(100dvh-3.5rem)] w-60 shrink-0 overflow-y-auto border-r p-3 md:block">
          <nav aria-label="Main">
            <NavLinks nav={nav} />
          </nav>
        </aside>
        <main id="content" tabIndex={-1} className="min-w-0 flex-1 focus-visible:outline-none">
          <div className="mx-auto w-full max-w-6xl px-4 py-6 sm:px-6 lg:px-8">{children}</div>
        </main>
      </div>
    </div>
  );
}

export { AppShell, type AppShellProps, type NavItem, type ShellUser };
export type { NavIcon } from "@/components/app-shell-client";
