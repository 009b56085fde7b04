export { createAuthOptions, authorizeWithPassword, clientIp, SIGN_IN_FAILED } from "./options.ts";
export { registerWithPassword } from "./sign-up.ts";
export { hashPassword, verifyPassword } from "./password.ts";
export { googleSignInEnabled } from "./env.ts";
export {
  signUpSchema,
  signInSchema,
  type SignUpInput,
  type SignInInput,
} from "./password-policy.ts";
