import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { QuotaRunList } from "@/components/admin/quota-run-list";
import type { QuotaRunRow } from "@/lib/quotas/queries";

const now = new Date("2025-06-01T12:00:00Z");
const run = (over: Partial<QuotaRunRow>): QuotaRunRow => ({
  id: crypto.randomUUID(),
  trigger: "cron",
  total: 10,
  succeeded: 0,
  failed: 0,
  startedAt: new Date(now.getTime() - 60_000),
  finishedAt: null,
  inProgress: false,
  ...over,
});
const render = (runs: QuotaRunRow[]) => renderToStaticMarkup(createElement(QuotaRunList, { runs, now }));

describe("QuotaRunList", () => {
  it("shows a running run's progress as a progress bar", () => {
    const html = render([run({ succeeded: 3, failed: 1, inProgress: true })]);
    expect(html).toContain("Running");
    expect(html).toContain('aria-valuenow="4"');
    expect(html).toContain('aria-valuemax="10"');
    expect(html).toContain("width:30%");
    expect(html).toContain("width:10%");
  });

  it.each([
    [{ succeeded: 10, finishedAt: now }, "Done"],
    [{ succeeded: 8, failed: 2, finishedAt: now }, "2 failed"],
    [{ succeeded: 2 }, "Interrupted"],
  ])("labels a run %o as %s", (over, label) => {
    expect(render([run(over)])).toContain(label);
  });

  it("says so when nothing has run", () => {
    expect(render([])).toContain("No bulk refresh has run yet");
  });
});
