// @vitest-environment node
/**
 * The import rules of eslint.config.mjs bite: `npm run lint` is the check that lib/ never
 * imports the sites and that only tests read the OpenAPI document; here each rule is shown
 * to fail the import it exists for, and to let through the one the layering allows.
 */
import { ESLint } from "eslint";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const eslint = new ESLint({ cwd: join(import.meta.dirname, "..") });

/** The no-restricted-imports messages for a file at `path` holding only `import x from source`. */
async function refusals(path: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(`import x from "${source}";\nexport const y = x;\n`,
    { filePath: path });
  return (result?.messages ?? []).filter((message) => message.ruleId === "no-restricted-imports")
    .map((message) => message.message);
}

describe("the layering", () => {
  it("keeps lib/ from importing the sites, however it names them", async () => {
    for (const source of ["@/sites", "@/sites/index", "../sites", "@/sites/example/registry"]) {
      const messages = await refusals("lib/probe.ts", source);
      expect(messages, source).toHaveLength(1);
      expect(messages[0], source).toContain("lib/ never imports the sites");
    }
  });

  it("lets the app compose the sites' registries, through sites/index.ts only", async () => {
    expect(await refusals("app/probe.ts", "@/sites")).toEqual([]);
    expect(await refusals("app/probe.ts", "@/sites/example/registry")).toHaveLength(1);
  });

  it("keeps the OpenAPI document out of shipped code, not out of the tests", async () => {
    for (const path of ["lib/probe.ts", "proxy.ts", "components/probe.tsx", "sites/example/probe.tsx"]) {
      expect(await refusals(path, "@/lib/openapi.json"), path).toHaveLength(1);
    }
    expect(await refusals("tests/probe.test.ts", "@/lib/openapi.json")).toEqual([]);
  });
}, 60_000);
