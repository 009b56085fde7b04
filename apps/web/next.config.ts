import type { NextConfig } from "next";

const securityHeaders = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
];

const config: NextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // Workspace packages ship TypeScript source.
  transpilePackages: [
    "@omnicrm/ai",
    "@omnicrm/api",
    "@omnicrm/auth",
    "@omnicrm/core",
    "@omnicrm/db",
    "@omnicrm/google",
    "@omnicrm/jobs",
  ],
  serverExternalPackages: ["@node-rs/argon2", "pino", "pg", "@prisma/adapter-pg", "@prisma/client"],
  headers: () => Promise.resolve([{ source: "/:path*", headers: securityHeaders }]),
};

export default config;
