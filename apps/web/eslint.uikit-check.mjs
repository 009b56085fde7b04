import next from "../../tooling/eslint/next.js";

export default [
  ...next,
  {
    languageOptions: {
      parserOptions: { projectService: false, project: "/tmp/uikit-tsconfig.json" },
    },
  },
];
