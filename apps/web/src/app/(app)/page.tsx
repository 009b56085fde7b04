import type { Metadata } from "next";
import { HomeOverview } from "@/components/home-overview";
import { PageHeader } from "@/components/page-header";
import { getSessionUser } from "@/server/auth";

export const metadata: Metadata = { title: "Home" };

export default async function HomePage() {
  const user = await getSessionUser();
  const firstName = user?.name?.split(/\s+/)[0];
  return (
    <>
      <PageHeader
        title={firstName ? `Welcome, ${firstName}` : "Welcome"}
        description="Your practice at a glance."
      />
      <HomeOverview />
    </>
  );
}
