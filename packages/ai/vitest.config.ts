import { omnicrmVitestConfig } from "@omnicrm/vitest-config";

export default omnicrmVitestConfig();
