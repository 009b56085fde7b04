import { renderToString } from "react-dom/server";
import { AppShell } from "@/components/app-shell";

const html = renderToString(
  <AppShell user={{ name: "Ada  Lovelace-Byron ", email: "ada@example.com" }} nav={[{ href: "/", label: "Home", icon: "home" }, { href: "/contacts", label: "Contacts", icon: "contacts" }]}>
    <h1>Dashboard</h1>
  </AppShell>,
);
console.log(html.replace(/<svg[\s\S]*?<\/svg>/g, "<svg/>").replace(/ class="[^"]*"/g, "").replace(/></g, ">\n<"));
