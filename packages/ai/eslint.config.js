import base from "@omnicrm/eslint-config/base";

export default base;
