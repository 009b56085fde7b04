"use client";

import {
  HouseIcon,
  LogOutIcon,
  MenuIcon,
  RefreshCwIcon,
  SparklesIcon,
  SearchIcon,
  UsersIcon,
  XIcon,
  type LucideIcon,
} from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { signOut } from "next-auth/react";
import { Dialog as DialogPrimitive } from "radix-ui";
import { useEffect, useState } from "react";

import { Button } from "@/components/ui/button";
import { DialogOverlay, DialogPortal, DialogTitle } from "@/components/ui/dialog";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { cn } from "@/lib/utils";

export type NavIcon = "home" | "contacts" | "search" | "assistant" | "sync";

export type NavItem = { href: string; label: string; icon: NavIcon };

export type ShellUser = { name: string | null; email: string };

const navIcons: Record<NavIcon, LucideIcon> = {
  home: HouseIcon,
  contacts: UsersIcon,
  assistant: SparklesIcon,
  search: SearchIcon,
  sync: RefreshCwIcon,
};

const MD_UP_QUERY = "(min-width: 48rem)";

function isActive(pathname: string | null, href: string): boolean {
  if (pathname === null) return false;
  if (href === "/") return pathname === "/";
  return pathname === href || pathname.startsWith(`${href}/`);
}

function NavLinks({ nav, onNavigate }: { nav: NavItem[]; onNavigate?: () => void }) {
  const pathname: string | null = usePathname();
  return (
    <ul className="flex flex-col gap-1">
      {nav.map(({ href, label, icon }) => {
        const Icon = navIcons[icon];
        const active = isActive(pathname, href);
        return (
          <li key={href}>
            <Link
              href={href}
              aria-current={active ? "page" : undefined}
              onClick={onNavigate}
              className={cn(
                "relative flex min-h-10 items-center gap-3 rounded-md px-3 py-2 text-sm font-medium text-muted-foreground transition-colors",
                "hover:bg-accent hover:text-accent-foreground",
                "focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring",
                "aria-[current=page]:bg-accent aria-[current=page]:font-semibold aria-[current=page]:text-accent-foreground",
                "before:absolute before:inset-y-2 before:left-0 before:w-1 before:rounded-full aria-[current=page]:before:bg-primary",
              )}
            >
              <Icon aria-hidden="true" className="size-4 shrink-0" />
              {label}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}

function MobileNav({ nav }: { nav: NavItem[] }) {
  const [open, setOpen] = useState(false);

  useEffect(() => {
    if (!open) return;
    const query = window.matchMedia(MD_UP_QUERY);
    const closeOnDesktop = (event: MediaQueryListEvent) => {
      if (event.matches) setOpen(false);
    };
    query.addEventListener("change", closeOnDesktop);
    return () => query.removeEventListener("change", closeOnDesktop);
  }, [open]);

  return (
    <DialogPrimitive.Root open={open} onOpenChange={setOpen}>
      <DialogPrimitive.Trigger asChild>
        <Button variant="ghost" size="icon" className="md:hidden">
          <MenuIcon aria-hidden="true" className="size-5" />
          <span className="sr-only">Open navigation</span>
        </Button>
      </DialogPrimitive.Trigger>
      <DialogPortal>
        <DialogOverlay />
        <DialogPrimitive.Content
          aria-describedby={undefined}
          className={cn(
            "fixed inset-y-0 left-0 z-50 flex h-dvh w-72 max-w-[85vw] flex-col gap-4 border-r bg-background p-4 shadow-lg outline-none",
            "data-[state=open]:animate-sheet-in",
          )}
        >
          <div className="flex items-center justify-between gap-2">
            <DialogTitle className="text-base">Navigation</DialogTitle>
            <DialogPrimitive.Close asChild>
              <Button variant="ghost" size="icon">
                <XIcon aria-hidden="true" className="size-5" />
                <span className="sr-only">Close navigation</span>
              </Button>
            </DialogPrimitive.Close>
          </div>
          <nav aria-label="Main">
            <NavLinks nav={nav} onNavigate={() => setOpen(false)} />
          </nav>
        </DialogPrimitive.Content>
      </DialogPortal>
    </DialogPrimitive.Root>
  );
}

function getInitials({ name, email }: ShellUser): string {
  const words = (name ?? "").trim().split(/\s+/).filter(Boolean);
  const first = words[0];
  const last = words.length > 1 ? words[words.length - 1] : undefined;
  const letters = [first, last].map((word) => (word ? (Array.from(word)[0] ?? "") : "")).join("");
  return (letters || (Array.from(email)[0] ?? "?")).toUpperCase();
}

function UserMenu({ user }: { user: ShellUser }) {
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="ghost" size="icon" className="rounded-full" aria-label="Account menu">
          <span
            aria-hidden="true"
            className="flex size-8 items-center justify-center rounded-full bg-primary text-xs font-semibold text-primary-foreground"
          >
            {getInitials(user)}
          </span>
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end" className="w-64 max-w-[calc(100vw-1rem)]">
        <DropdownMenuLabel className="flex flex-col gap-0.5 font-normal">
          {user.name ? (
            <span className="text-sm font-medium wrap-anywhere">{user.name}</span>
          ) : null}
          <span className="text-xs wrap-anywhere text-muted-foreground">{user.email}</span>
        </DropdownMenuLabel>
        <DropdownMenuSeparator />
        <DropdownMenuItem
          onSelect={() => {
            void signOut({ callbackUrl: "/sign-in" });
          }}
        >
          <LogOutIcon aria-hidden="true" />
          Sign out
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}

export { MobileNav, NavLinks, UserMenu };
