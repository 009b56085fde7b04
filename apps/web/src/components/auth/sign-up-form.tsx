"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { signUpSchema, type SignUpInput } from "@omnicrm/api/schemas";
import { useMutation } from "@tanstack/react-query";
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { FormAlert } from "@/components/form-alert";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { applyFieldErrors } from "@/lib/apply-field-errors";
import { describeApiError, useTRPC } from "@/trpc/react";

export function SignUpForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm({
    resolver: zodResolver(signUpSchema),
    defaultValues: { name: "", email: "", password: "" } satisfies SignUpInput,
  });
  const { errors, isSubmitting } = form.formState;
  const signUp = useMutation(trpc.auth.signUp.mutationOptions());

  const onSubmit = form.handleSubmit(async (values) => {
    setFormError(null);
    try {
      await signUp.mutateAsync(values);
    } catch (error) {
      const info = describeApiError(error);
      if (!applyFieldErrors(form, info.fieldErrors, ["name", "email", "password"])) {
        setFormError(info.message);
      }
      return;
    }
    const result = await signIn("credentials", {
      email: values.email,
      password: values.password,
      redirect: false,
    });
    if (!result || result.error) {
      router.replace("/sign-in");
      return;
    }
    router.replace("/");
    router.refresh();
  });

  return (
    <form onSubmit={onSubmit} noValidate className="grid gap-4" aria-label="Create account">
      <FormAlert message={formError} />
      <FormField id="name" label="Your name" error={errors.name?.message}>
        <Input autoComplete="name" autoFocus {...form.register("name")} />
      </FormField>
      <FormField id="email" label="Email" error={errors.email?.message}>
        <Input type="email" autoComplete="email" {...form.register("email")} />
      </FormField>
      <FormField
        id="password"
        label="Password"
        error={errors.password?.message}
        description="At least 10 characters. A few unrelated words make a strong password."
      >
        <Input type="password" autoComplete="new-password" {...form.register("password")} />
      </FormField>
      <Button type="submit" disabled={isSubmitting}>
        {isSubmitting ? "Creating your account…" : "Create account"}
      </Button>
    </form>
  );
}
