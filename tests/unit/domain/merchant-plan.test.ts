import { describe, expect, it } from "vitest";
import {
  API_KEY_TYPES,
  API_PERMISSIONS,
  assertPermissionsWithinPlan,
  assertWithinPlanLimit,
  DomainError,
  isApiPermission,
  keyUsableForStatus,
  MERCHANT_STATUSES,
  PLAN_LIMITS,
  PLAN_TYPES,
  type ApiKeyType,
  type MerchantStatus,
  type PlanResource,
  type PlanType,
} from "@/lib/domain";

function thrown(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }
  throw new Error("expected a DomainError, nothing was thrown");
}

describe("PLAN_LIMITS", () => {
  it("has the spec's key and webhook endpoint limits (null = unlimited)", () => {
    expect(PLAN_LIMITS.free).toMatchObject({ apiKeys: 2, webhookEndpoints: 1 });
    expect(PLAN_LIMITS.pro).toMatchObject({ apiKeys: 10, webhookEndpoints: 5 });
    expect(PLAN_LIMITS.enterprise).toMatchObject({ apiKeys: null, webhookEndpoints: null });
    expect(Object.keys(PLAN_LIMITS).sort()).toEqual([...PLAN_TYPES].sort());
  });

  it("grants every permission but analytics:read on free, all of them on pro and enterprise", () => {
    expect([...PLAN_LIMITS.free.permissions].sort()).toEqual(API_PERMISSIONS.filter((p) => p !== "analytics:read").sort());
    expect([...PLAN_LIMITS.pro.permissions].sort()).toEqual([...API_PERMISSIONS].sort());
    expect([...PLAN_LIMITS.enterprise.permissions].sort()).toEqual([...API_PERMISSIONS].sort());
  });

  it("is frozen", () => {
    expect(Object.isFrozen(PLAN_LIMITS)).toBe(true);
    for (const plan of PLAN_TYPES) expect(Object.isFrozen(PLAN_LIMITS[plan])).toBe(true);
    expect(() => {
      (PLAN_LIMITS.free as { apiKeys: number | null }).apiKeys = 99;
    }).toThrow(TypeError);
    expect(PLAN_LIMITS.free.apiKeys).toBe(2);
  });
});

describe("isApiPermission", () => {
  it("accepts exactly the listed permissions", () => {
    for (const p of API_PERMISSIONS) expect(isApiPermission(p)).toBe(true);
    for (const p of ["", "invoices", "invoices:*", "INVOICES:READ", " invoices:read", "invoices:delete", null, undefined, 1, ["invoices:read"]]) {
      expect(isApiPermission(p)).toBe(false);
    }
  });
});

describe("assertPermissionsWithinPlan", () => {
  it("returns the requested permissions, de-duplicated in first-seen order", () => {
    expect(assertPermissionsWithinPlan("free", ["invoices:write", "invoices:read", "invoices:write", "invoices:read"])).toEqual(["invoices:write", "invoices:read"]);
    expect(assertPermissionsWithinPlan("pro", [...API_PERMISSIONS, ...API_PERMISSIONS])).toEqual([...API_PERMISSIONS]);
    expect(assertPermissionsWithinPlan("enterprise", ["analytics:read"])).toEqual(["analytics:read"]);
    expect(assertPermissionsWithinPlan("free", [])).toEqual([]);
  });

  it("refuses unknown permissions first, naming each, whatever the plan", () => {
    for (const plan of PLAN_TYPES) {
      const error = thrown(() => assertPermissionsWithinPlan(plan, ["invoices:read", "invoices:delete", "root", "analytics:read"]));
      expect(error.code).toBe("api_key.unknown_permission");
      expect(error.details).toEqual({ permissions: ["invoices:delete", "root"] });
      expect(error.message).toContain("invoices:delete");
      expect(error.message).toContain("root");
    }
  });

  it("refuses permissions outside the plan with plan.permission_not_included", () => {
    const error = thrown(() => assertPermissionsWithinPlan("free", ["invoices:read", "analytics:read", "analytics:read"]));
    expect(error.code).toBe("plan.permission_not_included");
    expect(error.details).toEqual({ plan: "free", permissions: ["analytics:read", "analytics:read"] });
    expect(error.message).toContain("free");
    expect(error.message).toContain("analytics:read");
  });

  it("agrees with PLAN_LIMITS for every plan and permission", () => {
    for (const plan of PLAN_TYPES) {
      for (const permission of API_PERMISSIONS) {
        const allowed = PLAN_LIMITS[plan].permissions.includes(permission);
        if (allowed) expect(assertPermissionsWithinPlan(plan, [permission])).toEqual([permission]);
        else expect(thrown(() => assertPermissionsWithinPlan(plan, [permission])).code).toBe("plan.permission_not_included");
      }
    }
  });
});

describe("assertWithinPlanLimit", () => {
  const cases: [PlanType, PlanResource, number][] = [
    ["free", "apiKeys", 2],
    ["free", "webhookEndpoints", 1],
    ["pro", "apiKeys", 10],
    ["pro", "webhookEndpoints", 5],
  ];

  it.each(cases)("%s %s: limit-1 is fine, the limit and beyond are refused (limit %i)", (plan, resource, limit) => {
    expect(() => assertWithinPlanLimit(plan, resource, 0)).not.toThrow();
    expect(() => assertWithinPlanLimit(plan, resource, limit - 1)).not.toThrow();
    for (const current of [limit, limit + 1, limit * 10]) {
      const error = thrown(() => assertWithinPlanLimit(plan, resource, current));
      expect(error.code).toBe("plan.limit_reached");
      expect(error.details).toEqual({ plan, limit: resource, max: limit, current });
      expect(error.message).toContain(String(limit));
      expect(error.message).toContain(resource === "apiKeys" ? "API keys" : "webhook endpoints");
    }
  });

  it("never refuses on enterprise", () => {
    for (const resource of ["apiKeys", "webhookEndpoints"] as const) {
      for (const current of [0, 1, 2, 10, 30, 1_000_000, Number.MAX_SAFE_INTEGER]) {
        expect(() => assertWithinPlanLimit("enterprise", resource, current)).not.toThrow();
      }
    }
  });
});

describe("keyUsableForStatus", () => {
  const table: Record<ApiKeyType, Record<MerchantStatus, boolean>> = {
    live: { active: true, pending_verification: false, suspended: false, closed: false },
    test: { active: true, pending_verification: true, suspended: false, closed: false },
  };

  it.each(API_KEY_TYPES.flatMap((type) => MERCHANT_STATUSES.map((status) => [type, status, table[type][status]] as const)))(
    "%s key, %s merchant → %s",
    (type, status, usable) => {
      expect(keyUsableForStatus(type, status)).toBe(usable);
    },
  );

  it("covers every key type and status", () => {
    expect([...API_KEY_TYPES].sort()).toEqual(["live", "test"]);
    expect([...MERCHANT_STATUSES].sort()).toEqual(["active", "closed", "pending_verification", "suspended"]);
  });
});
