import { renderToString } from "react-dom/server";

import { AuthCard } from "@/components/auth-card";
import { ThemeProvider } from "@/components/theme-provider";
import { ThemeToggle } from "@/components/theme-toggle";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Separator } from "@/components/ui/separator";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableRow } from "@/components/ui/table";
import { Textarea } from "@/components/ui/textarea";
import { Toaster } from "@/components/ui/sonner";

const html = renderToString(
  <ThemeProvider>
    <AuthCard title="Sign in" description="Welcome back" footer={<a href="/sign-up">Create account</a>}>
      <FormField id="email" label="Email" description="Work email" error="Email is required" required>
        <Input type="email" name="email" />
      </FormField>
      <FormField id="notes" label="Notes">
        <Textarea name="notes" />
      </FormField>
      <Button asChild variant="link"><a href="/x">Link button</a></Button>
      <Button variant="destructive" size="sm" className="px-8">Delete</Button>
      <Badge>New</Badge>
      <Skeleton className="h-4" />
      <Separator />
      <Table regionLabel="Contacts"><TableBody><TableRow><TableCell>A</TableCell></TableRow></TableBody></Table>
      <ThemeToggle />
    </AuthCard>
    <Toaster />
  </ThemeProvider>,
);
console.log(html.replace(/<script[\s\S]*?<\/script>/, "<script/>").replace(/></g, ">\n<"));
