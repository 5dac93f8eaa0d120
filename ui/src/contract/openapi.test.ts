// The central service's OpenAPI document (docs/openapi.json, which a Rust test keeps equal
// to what the service serves) against the official OpenAPI 3.1 meta-schema. It lives in the
// UI's test run because that is where the project's JavaScript tooling is, and the
// well-kept validator for OpenAPI's own schemas is a JavaScript one.
import { describe, expect, it } from "vitest";
import { Validator } from "@seriousme/openapi-schema-validator";

// The validator reads the file itself; vitest runs from ui/, as `npm test` does.
const documentPath = "../docs/openapi.json";

describe("the service's OpenAPI document", () => {
  it("is valid OpenAPI 3.1", async () => {
    const validator = new Validator();
    const result = await validator.validate(documentPath);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
  });

  it("would be refused with a parameter in no place OpenAPI knows", async () => {
    // Shows that the check can fail: the same document, one parameter moved "in" a place
    // that OpenAPI 3.1 does not have.
    const reader = new Validator();
    await reader.validate(documentPath);
    const broken = structuredClone(reader.specification) as {
      paths: Record<string, Record<string, { parameters?: { in: string }[] }>>;
    };
    const parameter = Object.values(broken.paths)
      .flatMap((ops) => Object.values(ops))
      .flatMap((op) => op.parameters ?? [])[0];
    expect(parameter).toBeDefined();
    if (parameter) parameter.in = "body";
    const result = await new Validator().validate(broken);
    expect(result.valid).toBe(false);
  });
});
