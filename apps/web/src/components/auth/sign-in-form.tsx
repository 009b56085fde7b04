"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { signInSchema, type SignInInput } from "@omnicrm/api/schemas";
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { FormAlert } from "@/components/form-alert";

export function SignInForm({
  callbackPath,
  googleEnabled,
  initialError,
}: {
  callbackPath: string;
  googleEnabled: boolean;
  initialError: string | null;
}) {
  const router = useRouter();
  const [formError, setFormError] = useState<string | null>(initialError);
  const form = useForm<SignInInput>({
    resolver: zodResolver(signInSchema),
    defaultValues: { email: "", password: "" },
  });
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async (values) => {
    setFormError(null);
    const result = await signIn("credentials", { ...values, redirect: false });
    if (!result || result.error) {
      setFormError(
        !result || result.error === "CredentialsSignin"
          ? "Email or password is incorrect."
          : result.error,
      );
      form.setValue("password", "");
      form.setFocus("password");
      return;
    }
    router.replace(callbackPath);
    router.refresh();
  });

  return (
    <div className="grid gap-4">
      <form onSubmit={onSubmit} noValidate className="grid gap-4" aria-label="Sign in">
        <FormAlert message={formError} />
        <FormField id="email" label="Email" error={errors.email?.message}>
          <Input type="email" autoComplete="email" autoFocus {...form.register("email")} />
        </FormField>
        <FormField id="password" label="Password" error={errors.password?.message}>
          <Input type="password" autoComplete="current-password" {...form.register("password")} />
        </FormField>
        <Button type="submit" disabled={isSubmitting}>
          {isSubmitting ? "Signing in…" : "Sign in"}
        </Button>
      </form>
      {googleEnabled ? (
        <Button
          variant="outline"
          type="button"
          onClick={() => void signIn("google", { callbackUrl: callbackPath })}
        >
          Continue with Google
        </Button>
      ) : null}
    </div>
  );
}
