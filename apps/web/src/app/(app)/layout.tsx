import { redirect } from "next/navigation";
import { AppShell } from "@/components/app-shell";
import { CommandPalette } from "@/components/command-palette";
import type { NavItem } from "@/components/app-shell-client";
import { getSessionUser } from "@/server/auth";

export const dynamic = "force-dynamic";

const nav: NavItem[] = [
  { href: "/", label: "Home", icon: "home" },
  { href: "/contacts", label: "Contacts", icon: "contacts" },
  { href: "/search", label: "Search", icon: "search" },
  { href: "/assistant", label: "Assistant", icon: "assistant" },
  { href: "/settings/sync", label: "Sync", icon: "sync" },
];

export default async function AppLayout({ children }: { children: React.ReactNode }) {
  // The proxy redirects signed-out visitors first; this keeps pages safe without it.
  const user = await getSessionUser();
  if (!user) redirect("/sign-in");
  return (
    <AppShell user={{ name: user.name, email: user.email }} nav={nav}>
      {children}
      <CommandPalette />
    </AppShell>
  );
}
