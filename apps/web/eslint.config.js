import next from "@omnicrm/eslint-config/next";

export default [...next, { ignores: ["next-env.d.ts", "test-results/**", "playwright-report/**"] }];
