import type { Metadata } from "next";
import Link from "next/link";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { googleSignInEnabled } from "@omnicrm/auth";
import { AuthCard } from "@/components/auth-card";
import { SignInForm } from "@/components/auth/sign-in-form";
import { safeRedirectPath } from "@/lib/safe-redirect";
import { getSessionUser } from "@/server/auth";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

const errorMessages: Record<string, string> = {
  CredentialsSignin: "Email or password is incorrect.",
  OAuthAccountNotLinked: "This email already signs in with a password. Sign in with it instead.",
  AccessDenied: "Access was denied.",
};

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);
  const requestHeaders = await headers();
  const host = requestHeaders.get("x-forwarded-host") ?? requestHeaders.get("host") ?? "localhost";
  const proto = requestHeaders.get("x-forwarded-proto") ?? "http";
  const callbackPath = safeRedirectPath(first(params.callbackUrl), `${proto}://${host}`);
  if (await getSessionUser()) redirect(callbackPath);
  const error = first(params.error);

  return (
    <AuthCard
      title="Sign in"
      description="Welcome back to your practice."
      footer={
        <p className="text-sm text-muted-foreground">
          New to OmniCRM?{" "}
          <Link
            href="/sign-up"
            className="font-medium text-primary underline-offset-4 hover:underline"
          >
            Create an account
          </Link>
        </p>
      }
    >
      <SignInForm
        callbackPath={callbackPath}
        googleEnabled={googleSignInEnabled()}
        initialError={error ? (errorMessages[error] ?? "Sign-in failed. Try again.") : null}
      />
    </AuthCard>
  );
}
