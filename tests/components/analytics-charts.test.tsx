import { cleanup, render, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { BarChart } from "@/components/charts/bar-chart";
import { AnalyticsCharts } from "@/components/merchant/analytics-charts";
import { AnalyticsReceived } from "@/components/merchant/analytics-received";
import { AnalyticsStatusBreakdown } from "@/components/merchant/analytics-status-breakdown";
import { AnalyticsTiles } from "@/components/merchant/analytics-tiles";
import type { AnalyticsMetricsReport, AnalyticsPoint } from "@/lib/analytics/merchant-analytics";

afterEach(cleanup);

const METRICS: AnalyticsMetricsReport = {
  revenueByCurrency: { USD: 180_050n, EUR: 2500n },
  invoicedByAsset: { BTC: 720_000n, USDT: 13_600_000n },
  receivedByAsset: { BTC: 720_000n, USDT: 13_700_000n },
  invoicesCreated: 1234,
  invoicesPaid: 4,
  invoicesByStatus: { pending: 1, partial: 0, confirming: 0, paid: 3, expired: 2, cancelled: 1, refunded: 1 },
  exceptions: { underpaid: 0, overpaid: 1, paid_late: 2 },
  conversion: { converted: 4, settled: 7, rate: 4 / 7 },
  averageSecondsToPay: 390.25,
  medianSecondsToPay: 180,
};

const SERIES: AnalyticsPoint[] = [
  { start: new Date("2026-03-01T00:00:00Z"), invoices: 2, paid: 2, revenue: { USD: 1800n } },
  { start: new Date("2026-03-02T00:00:00Z"), invoices: 5, paid: 2, revenue: { EUR: 2500n } },
  { start: new Date("2026-03-03T00:00:00Z"), invoices: 0, paid: 0, revenue: {} },
  { start: new Date("2026-03-04T00:00:00Z"), invoices: 1, paid: 0, revenue: {} },
];

describe("AnalyticsTiles", () => {
  it("shows revenue per currency, invoice counts, conversion and time to pay", () => {
    render(<AnalyticsTiles metrics={METRICS} />);
    const revenue = screen.getByTestId("tile-revenue");
    expect(within(revenue).getByText("$1,800.50")).toBeTruthy();
    expect(within(revenue).getByText("€25.00")).toBeTruthy();
    expect(within(revenue).getByText("From 4 paid invoices")).toBeTruthy();
    expect(within(screen.getByTestId("tile-invoices")).getByText("1,234")).toBeTruthy();
    expect(within(screen.getByTestId("tile-invoices")).getByText("3 paid · 1 open")).toBeTruthy();
    expect(within(screen.getByTestId("tile-conversion")).getByText("57.1%")).toBeTruthy();
    expect(within(screen.getByTestId("tile-conversion")).getByText("4 of 7 closed invoices paid")).toBeTruthy();
    expect(within(screen.getByTestId("tile-time-to-pay")).getByText("6 min 30 s")).toBeTruthy();
    expect(within(screen.getByTestId("tile-time-to-pay")).getByText("Median 3 min")).toBeTruthy();
  });

  it("shows dashes, not zeros dressed as rates, when nothing was paid or closed", () => {
    render(
      <AnalyticsTiles
        metrics={{ ...METRICS, revenueByCurrency: {}, invoicesPaid: 0, conversion: { converted: 0, settled: 0, rate: null }, averageSecondsToPay: null, medianSecondsToPay: null }}
      />,
    );
    expect(within(screen.getByTestId("tile-revenue")).getByText("—")).toBeTruthy();
    expect(within(screen.getByTestId("tile-conversion")).getByText("No invoice has reached a final state yet")).toBeTruthy();
    expect(within(screen.getByTestId("tile-time-to-pay")).getByText("No paid invoices")).toBeTruthy();
  });
});

describe("BarChart", () => {
  it("draws one bar per value with heights proportional to a round axis maximum", () => {
    const { container } = render(
      <BarChart
        id="t"
        title="Invoices per day"
        summary="Invoices per day: 8 created."
        labels={["Mar 1", "Mar 2", "Mar 3", "Mar 4"]}
        ticks={["Mar 1", "Mar 2", "Mar 3", "Mar 4"]}
        series={[{ name: "Created", values: [2n, 5n, 0n, 1n], tone: "indigo" }]}
        formatValue={(v) => v.toString()}
      />,
    );
    expect(screen.getByRole("img", { name: "Invoices per day: 8 created." })).toBeTruthy();
    expect(screen.getByRole("figure", { name: "Invoices per day" })).toBeTruthy();
    const bars = [...container.querySelectorAll("rect[data-value]")];
    expect(bars.map((b) => [b.getAttribute("data-value"), b.getAttribute("height")])).toEqual([
      ["2", "40"],
      ["5", "100"],
      ["0", "0"],
      ["1", "20"],
    ]);
    // Axis: 0 and the nice maximum 5 (its half, 2.5, is not a whole count and is left out).
    expect([...container.querySelectorAll('[data-axis="y"] span.absolute')].map((s) => s.textContent)).toEqual(["5", "0"]);
    const rows = within(screen.getByRole("table")).getAllByRole("row");
    expect(rows.map((r) => r.textContent)).toEqual(["PeriodCreated", "Mar 12", "Mar 25", "Mar 30", "Mar 41"]);
  });
});

describe("AnalyticsCharts", () => {
  it("draws a revenue chart per currency with exact amounts in its table, and the invoice counts", () => {
    render(<AnalyticsCharts series={SERIES} bucket="day" />);
    const usd = screen.getByTestId("chart-revenue-usd");
    expect(within(usd).getByRole("img", { name: "Revenue in USD per day, Mar 1 to Mar 4: $18.00 in total." })).toBeTruthy();
    expect(within(usd).getByRole("row", { name: "Mar 1 $18.00" })).toBeTruthy();
    expect([...usd.querySelectorAll('[data-axis="y"] span.absolute')].map((s) => s.textContent)).toEqual(["$20", "$10", "$0"]);
    expect(within(screen.getByTestId("chart-revenue-eur")).getByRole("row", { name: "Mar 2 €25.00" })).toBeTruthy();
    const invoices = screen.getByTestId("chart-invoices");
    expect(within(invoices).getByRole("img", { name: "Invoices per day, Mar 1 to Mar 4: 8 created, 4 paid." })).toBeTruthy();
    expect(within(invoices).getByRole("row", { name: "Mar 2 5 2" })).toBeTruthy();
  });

  it("says so when nothing was paid, instead of an empty revenue chart", () => {
    render(<AnalyticsCharts series={SERIES.map((p) => ({ ...p, paid: 0, revenue: {} }))} bucket="week" />);
    expect(screen.getByRole("heading", { name: "Revenue per week" })).toBeTruthy();
    expect(screen.getByText("No invoices were paid in this period.")).toBeTruthy();
    expect(screen.queryByTestId("chart-revenue-usd")).toBeNull();
  });
});

describe("AnalyticsStatusBreakdown and AnalyticsReceived", () => {
  it("lists every status with its count and share", () => {
    render(<AnalyticsStatusBreakdown byStatus={METRICS.invoicesByStatus} total={8} />);
    const items = within(screen.getByTestId("status-list")).getAllByRole("listitem");
    expect(items.map((li) => li.textContent)).toEqual([
      "Pending112.5%",
      "Partly paid00%",
      "Confirming00%",
      "Paid337.5%",
      "Expired225%",
      "Cancelled112.5%",
      "Refunded112.5%",
    ]);
  });

  it("compares crypto invoiced and received, and counts the exceptions", () => {
    render(<AnalyticsReceived metrics={METRICS} />);
    const table = screen.getByTestId("received-table");
    expect(within(table).getByRole("row", { name: "BTC 0.0072 BTC 0.0072 BTC" })).toBeTruthy();
    expect(within(table).getByRole("row", { name: "USDT 13.6 USDT 13.7 USDT" })).toBeTruthy();
    const exceptions = within(screen.getByTestId("exception-list")).getAllByRole("listitem");
    expect(exceptions.map((li) => li.lastElementChild?.textContent)).toEqual(["1", "0", "2"]);
  });
});
