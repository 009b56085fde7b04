import { withAuth } from "next-auth/middleware";

/** Signed-out visitors of any app page go to sign-in, and come back after. */
export const proxy = withAuth({ pages: { signIn: "/sign-in" } });

export const config = {
  matcher: ["/((?!api/|_next/|favicon.ico|sign-in|sign-up).*)"],
};
