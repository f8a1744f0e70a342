// House style for the UI, checked by `make test`: TypeScript-aware rules,
// the rules of hooks, and accessibility rules for JSX. Formatting is
// Prettier's (no stylistic rules here).
import js from "@eslint/js";
import { defineConfig } from "eslint/config";
import jsxA11y from "eslint-plugin-jsx-a11y";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

export default defineConfig(
  { ignores: ["dist/", "src/bindings/"] },
  js.configs.recommended,
  tseslint.configs.strictTypeChecked,
  jsxA11y.flatConfigs.strict,
  reactHooks.configs.flat.recommended,
  {
    languageOptions: {
      globals: { ...globals.browser },
      parserOptions: {
        projectService: { allowDefaultProject: ["eslint.config.js"] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // Numbers and booleans in template literals read fine.
      "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true, allowBoolean: true }],
      // Event handlers may be async: React ignores the promise they return.
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { attributes: false } }],
      // `onPress={() => setOpen(false)}` is how React handlers read.
      "@typescript-eslint/no-confusing-void-expression": ["error", { ignoreArrowShorthand: true }],
      // react-aria-components manage focus themselves; plain DOM autofocus stays banned.
      "jsx-a11y/no-autofocus": ["error", { ignoreNonDOM: true }],
    },
  },
  {
    files: ["**/*.test.ts", "**/*.test.tsx", "src/test/**"],
    rules: {
      "@typescript-eslint/no-non-null-assertion": "off",
      // Tauri rejects invokes with plain {code, message} objects; the mocks do the same.
      "@typescript-eslint/only-throw-error": "off",
    },
  },
  // This file configures the linter; its plugins are untyped JavaScript.
  { files: ["eslint.config.js"], extends: [tseslint.configs.disableTypeChecked] },
);
