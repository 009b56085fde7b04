import { LeafIcon } from "lucide-react";
import type * as React from "react";

import {
  Card,
  CardContent,
  CardDescription,
  CardFooter,
  CardHeader,
  CardTitle,
} from "@/components/ui/card";

type AuthCardProps = {
  title: string;
  description?: React.ReactNode;
  children: React.ReactNode;
  footer?: React.ReactNode;
};

function AuthCard({ title, description, children, footer }: AuthCardProps) {
  return (
    <main
      id="content"
      className="flex min-h-dvh flex-col items-center justify-center gap-6 bg-muted px-4 py-10"
    >
      <p className="flex items-center gap-2 text-lg font-semibold tracking-tight">
        <LeafIcon aria-hidden="true" className="size-6 text-primary" />
        OmniCRM
      </p>
      <Card className="w-full max-w-sm">
        <CardHeader>
          <CardTitle asChild>
            <h1>{title}</h1>
          </CardTitle>
          {description ? <CardDescription>{description}</CardDescription> : null}
        </CardHeader>
        <CardContent>{children}</CardContent>
        {footer ? (
          <CardFooter className="justify-center text-sm text-muted-foreground">{footer}</CardFooter>
        ) : null}
      </Card>
    </main>
  );
}

export { AuthCard, type AuthCardProps };
