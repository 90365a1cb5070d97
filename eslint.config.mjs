import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";
import drizzle from "eslint-plugin-drizzle";

/** What lib/domain may never import: it stays pure (no framework, database or network code). */
const IMPURE_IMPORTS = [
  { group: ["next", "next/*", "react", "react-dom", "next-auth", "next-auth/*"], message: "lib/domain is pure: no Next.js or React." },
  { group: ["drizzle-orm", "drizzle-orm/*", "postgres", "@electric-sql/*", "@/db", "@/db/*", "**/db/*"], message: "lib/domain is pure: no database code." },
  { group: ["node:*", "http", "https", "net", "dns", "tls", "fs", "child_process", "viem", "viem/*", "undici"], message: "lib/domain is pure: no network, file system or process code." },
  { group: ["@/lib/*", "!@/lib/domain", "!@/lib/domain/*"], message: "lib/domain may only import other domain modules." },
];

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  {
    files: ["lib/domain/**/*.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: IMPURE_IMPORTS }] },
  },
  {
    // An update or delete without a where clause is almost always a bug.
    files: ["**/*.ts", "**/*.tsx"],
    plugins: { drizzle },
    rules: {
      "drizzle/enforce-delete-with-where": ["error", { drizzleObjectName: ["db", "tx"] }],
      "drizzle/enforce-update-with-where": ["error", { drizzleObjectName: ["db", "tx"] }],
    },
  },
  {
    // Plain browser scripts shipped as-is (public/embed.js targets ES2017: no optional catch binding).
    files: ["public/**/*.js"],
    rules: { "@typescript-eslint/no-unused-vars": ["warn", { caughtErrors: "none" }] },
  },
  globalIgnores([".next/**", "node_modules/**", ".data/**", "db/migrations/**", "next-env.d.ts", "playwright-report/**", "test-results/**"]),
]);
