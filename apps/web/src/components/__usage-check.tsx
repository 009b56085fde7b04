"use client";
import Link from "next/link";
import { useRef } from "react";
import { useForm } from "react-hook-form";
import { toast } from "sonner";

import { AppShell } from "@/components/app-shell";
import { AuthCard } from "@/components/auth-card";
import { ThemeProvider } from "@/components/theme-provider";
import { AlertDialog, AlertDialogAction, AlertDialogCancel, AlertDialogContent, AlertDialogDescription, AlertDialogFooter, AlertDialogHeader, AlertDialogTitle, AlertDialogTrigger } from "@/components/ui/alert-dialog";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { FormField, fieldProps } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Skeleton } from "@/components/ui/skeleton";
import { Toaster } from "@/components/ui/sonner";
import { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { Textarea } from "@/components/ui/textarea";

type Values = { email: string; notes: string };

export function Usage() {
  const ref = useRef<HTMLButtonElement>(null);
  const { register, formState: { errors }, handleSubmit } = useForm<Values>();
  const onSubmit = handleSubmit((v) => { toast.success(v.email); });
  return (
    <ThemeProvider>
      <AppShell user={{ name: "Ada Lovelace", email: "ada@example.com" }} nav={[{ href: "/", label: "Home", icon: "home" }, { href: "/contacts", label: "Contacts", icon: "contacts" }]}>
        <AuthCard title="Sign in" description="Welcome" footer={<Link href="/sign-up">Sign up</Link>}>
          <form onSubmit={onSubmit} noValidate>
            <FormField id="email" label="Email" error={errors.email?.message} description="We never share it" required>
              <Input type="email" autoComplete="email" {...register("email", { required: "Email is required" })} />
            </FormField>
            <Textarea {...register("notes")} {...fieldProps("notes", errors.notes?.message)} />
            <Button ref={ref} type="submit">Go</Button>
            <Button asChild variant="link"><Link href="/x">x</Link></Button>
            <Badge variant="outline">New</Badge>
            <Skeleton className="h-4 w-20" />
          </form>
        </AuthCard>
        <Table regionLabel="Contacts"><TableCaption>c</TableCaption><TableHeader><TableRow><TableHead>Name</TableHead></TableRow></TableHeader><TableBody><TableRow><TableCell>A</TableCell></TableRow></TableBody></Table>
        <Dialog><DialogTrigger asChild><Button>Open</Button></DialogTrigger><DialogContent><DialogHeader><DialogTitle>T</DialogTitle><DialogDescription>D</DialogDescription></DialogHeader></DialogContent></Dialog>
        <AlertDialog><AlertDialogTrigger asChild><Button variant="destructive">Delete</Button></AlertDialogTrigger><AlertDialogContent><AlertDialogHeader><AlertDialogTitle>Sure?</AlertDialogTitle><AlertDialogDescription>gone</AlertDialogDescription></AlertDialogHeader><AlertDialogFooter><AlertDialogCancel>Cancel</AlertDialogCancel><AlertDialogAction variant="destructive">Delete</AlertDialogAction></AlertDialogFooter></AlertDialogContent></AlertDialog>
        <Toaster richColors position="top-center" />
      </AppShell>
    </ThemeProvider>
  );
}
