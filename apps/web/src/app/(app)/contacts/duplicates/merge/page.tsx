import type { Metadata } from "next";
import { Suspense } from "react";
import { MergeView } from "@/components/contacts/duplicates/merge-view";

export const metadata: Metadata = { title: "Merge contacts" };

export default function MergePage() {
  return (
    <Suspense fallback={null}>
      <MergeView />
    </Suspense>
  );
}
