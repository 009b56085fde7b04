import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import { adjacencyGraphs, dictionary } from "@zxcvbn-ts/language-common";
import { z } from "zod";

/**
 * Sign-up and sign-in input, shared by the forms and the server. The strength rule is
 * zxcvbn's estimate (score 3 of 4: "safely unguessable") rather than character-class rules,
 * checked against the user's own name and email too.
 */

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 128;

let estimator: ZxcvbnFactory | undefined;
function strength(password: string, userInputs: string[]): number {
  estimator ??= new ZxcvbnFactory({ dictionary, graphs: adjacencyGraphs });
  return estimator.check(password, userInputs).score;
}

const emailSchema = z
  .string({ error: "Email is required." })
  .trim()
  .min(1, "Email is required.")
  .max(320, "Email must be at most 320 characters.")
  .pipe(z.email({ error: "Enter a valid email address." }))
  .transform((email) => email.toLowerCase());

export const signUpSchema = z
  .strictObject({
    name: z
      .string()
      .trim()
      .min(1, "Name is required.")
      .max(200, "Name must be at most 200 characters."),
    email: emailSchema,
    password: z
      .string({ error: "Password is required." })
      .min(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters.`)
      .max(PASSWORD_MAX_LENGTH, `Use at most ${PASSWORD_MAX_LENGTH} characters.`),
  })
  .superRefine((value, ctx) => {
    if (value.password.length < PASSWORD_MIN_LENGTH || value.password.length > PASSWORD_MAX_LENGTH)
      return;
    const inputs = [
      value.email,
      value.name,
      value.name.replace(/\s+/g, ""),
      ...value.email.split(/[@.]/),
      ...value.name.split(/\s+/),
    ];
    if (strength(value.password, inputs) < 3) {
      ctx.addIssue({
        code: "custom",
        path: ["password"],
        message:
          "This password is too easy to guess. Try a few unrelated words together, and avoid your name or email.",
      });
    }
  });
export type SignUpInput = z.input<typeof signUpSchema>;

export const signInSchema = z.object({
  email: emailSchema,
  password: z.string().min(1, "Password is required.").max(PASSWORD_MAX_LENGTH),
});
export type SignInInput = z.input<typeof signInSchema>;
