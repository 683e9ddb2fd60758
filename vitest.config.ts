import { defineConfig } from "vitest/config";

// Unit and in-process suites run in parallel. End-to-end suites (real claude, Chromium, several
// processes, kill -9) are named *.e2e.test.ts and run in their own single-worker project.
export default defineConfig({
  esbuild: { jsx: "automatic", jsxImportSource: "hono/jsx" },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["src/**/*.test.ts", "test/**/*.test.ts"],
          exclude: ["**/*.e2e.test.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "e2e",
          include: ["**/*.e2e.test.ts"],
          exclude: ["node_modules/**", "dist/**"],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
    testTimeout: 30_000,
    setupFiles: ["./test/support/clean-env.ts", "./test/support/zod.ts"],
    reporters: ["default", "./test/support/count-reporter.ts"],
  },
});
