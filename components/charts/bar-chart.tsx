import { maxOf, niceCeiling, percentOf } from "./scale";

export type ChartTone = "indigo" | "emerald" | "sky" | "amber";

export type BarSeries = { name: string; values: readonly bigint[]; tone: ChartTone };

const FILL: Record<ChartTone, string> = {
  indigo: "fill-indigo-500 dark:fill-indigo-400",
  emerald: "fill-emerald-500 dark:fill-emerald-400",
  sky: "fill-sky-500 dark:fill-sky-400",
  amber: "fill-amber-500 dark:fill-amber-400",
};
const SWATCH: Record<ChartTone, string> = {
  indigo: "bg-indigo-500 dark:bg-indigo-400",
  emerald: "bg-emerald-500 dark:bg-emerald-400",
  sky: "bg-sky-500 dark:bg-sky-400",
  amber: "bg-amber-500 dark:bg-amber-400",
};

type BarChartProps = {
  /** Unique on the page: ids for the caption and the SVG's title. */
  id: string;
  title: string;
  /** One sentence summarising the data, read by screen readers in place of the bars. */
  summary: string;
  /** Full bucket names (tooltips, data table), one per value. */
  labels: readonly string[];
  /** Short bucket names under the axis. */
  ticks: readonly string[];
  series: readonly BarSeries[];
  /** Axis labels. */
  formatValue: (value: bigint) => string;
  /** Tooltips and the data table, where an exact figure reads better (default: formatValue). */
  formatDetail?: (value: bigint) => string;
  className?: string;
};

const SLOT = 10; // viewBox units per bucket
const HEIGHT = 100;

/**
 * A grouped bar chart as plain SVG, rendered on the server. The SVG stretches to its box
 * (preserveAspectRatio="none"), so bars fill any width from a phone up; text stays in HTML
 * around it and never scales. Screen readers get the summary, and everyone gets a data table.
 */
export function BarChart({ id, title, summary, labels, ticks, series, formatValue, formatDetail = formatValue, className = "" }: BarChartProps) {
  const count = labels.length;
  const axisMax = niceCeiling(maxOf(series.flatMap((s) => s.values)));
  const half = axisMax % 2n === 0n ? axisMax / 2n : null;
  const barWidth = (SLOT - 2) / Math.max(1, series.length);
  // Fewer labels on a phone than on a wide screen, so they never overlap.
  const narrowTicks = new Set(pickTicks(count, 4));
  const wideTicks = new Set(pickTicks(count, 7));
  const tickIndexes = [...new Set([...narrowTicks, ...wideTicks])].sort((a, b) => a - b);

  return (
    <figure aria-labelledby={`${id}-caption`} className={`${className} rounded-xl border border-zinc-200 bg-white p-4 sm:p-5 dark:border-zinc-800 dark:bg-zinc-900`} data-testid={`chart-${id}`}>
      <div className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1">
        <figcaption id={`${id}-caption`} className="font-semibold">{title}</figcaption>
        {series.length > 1 && (
          <ul className="flex flex-wrap gap-3 text-xs text-zinc-600 dark:text-zinc-400" aria-label="Legend">
            {series.map((s) => (
              <li key={s.name} className="flex items-center gap-1.5">
                <span aria-hidden className={`size-2.5 rounded-sm ${SWATCH[s.tone]}`} />
                {s.name}
              </li>
            ))}
          </ul>
        )}
      </div>
      <div className="mt-4 flex gap-2">
        <div aria-hidden data-axis="y" className="relative shrink-0 text-right text-[11px] tabular-nums text-zinc-500 dark:text-zinc-400">
          {/* Invisible, in flow: sizes the column to its widest label (the others are positioned). */}
          <span className="invisible block h-0 whitespace-nowrap">{formatValue(axisMax)}</span>
          <span className="absolute right-0 top-0 -translate-y-1/2 whitespace-nowrap">{formatValue(axisMax)}</span>
          {half !== null && <span className="absolute right-0 top-1/2 -translate-y-1/2 whitespace-nowrap">{formatValue(half)}</span>}
          <span className="absolute bottom-0 right-0 translate-y-1/2 whitespace-nowrap">{formatValue(0n)}</span>
        </div>
        <div className="min-w-0 flex-1">
          <div className="relative h-44 sm:h-52">
            <svg
              role="img"
              aria-labelledby={`${id}-svg-title`}
              viewBox={`0 0 ${Math.max(1, count) * SLOT} ${HEIGHT}`}
              preserveAspectRatio="none"
              className="absolute inset-0 h-full w-full overflow-visible"
            >
              <title id={`${id}-svg-title`}>{summary}</title>
              {[0, 50, 100].map((y) => (
                <line
                  key={y}
                  x1={0}
                  x2={Math.max(1, count) * SLOT}
                  y1={y}
                  y2={y}
                  vectorEffect="non-scaling-stroke"
                  className={y === HEIGHT ? "stroke-zinc-300 dark:stroke-zinc-700" : "stroke-zinc-200 dark:stroke-zinc-800"}
                  strokeDasharray={y === HEIGHT ? undefined : "3 3"}
                />
              ))}
              {labels.map((label, i) => (
                <g key={i}>
                  <title>{`${label}: ${series.map((s) => `${s.name} ${formatDetail(s.values[i] ?? 0n)}`).join(", ")}`}</title>
                  {/* A full-height transparent slot, so the tooltip answers over empty days too. */}
                  <rect x={i * SLOT} y={0} width={SLOT} height={HEIGHT} className="fill-transparent" />
                  {series.map((s, j) => {
                    const value = s.values[i] ?? 0n;
                    // A non-zero value always shows, however small next to the largest.
                    const h = value > 0n ? Math.max(1.5, percentOf(value, axisMax)) : 0;
                    return (
                      <rect
                        key={s.name}
                        x={i * SLOT + 1 + j * barWidth}
                        y={HEIGHT - h}
                        width={barWidth * 0.9}
                        height={h}
                        className={FILL[s.tone]}
                        data-value={value.toString()}
                      />
                    );
                  })}
                </g>
              ))}
            </svg>
          </div>
          <div aria-hidden className="relative mt-2 h-4 text-[11px] text-zinc-500 dark:text-zinc-400">
            {tickIndexes.map((i) => {
              const edge = i === 0 ? "left-0" : i === count - 1 ? "right-0" : "-translate-x-1/2";
              const style = i === 0 || i === count - 1 ? undefined : { left: `${((i + 0.5) / count) * 100}%` };
              const visibility = narrowTicks.has(i) ? (wideTicks.has(i) ? "" : "sm:hidden") : "hidden sm:block";
              return (
                <span key={i} className={`absolute top-0 whitespace-nowrap ${edge} ${visibility}`} style={style}>
                  {ticks[i]}
                </span>
              );
            })}
          </div>
        </div>
      </div>
      <details className="mt-3 text-sm">
        <summary className="cursor-pointer py-1 text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100">Show data</summary>
        <div className="mt-2 max-h-72 overflow-auto">
          <table className="w-full text-left text-xs tabular-nums">
            <caption className="sr-only">{title}</caption>
            <thead className="text-zinc-500 dark:text-zinc-400">
              <tr>
                <th scope="col" className="py-1 pr-3 font-medium">Period</th>
                {series.map((s) => (
                  <th key={s.name} scope="col" className="py-1 pr-3 text-right font-medium">{s.name}</th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
              {labels.map((label, i) => (
                <tr key={i}>
                  <th scope="row" className="py-1 pr-3 font-normal">{label}</th>
                  {series.map((s) => (
                    <td key={s.name} className="py-1 pr-3 text-right">{formatDetail(s.values[i] ?? 0n)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}

/** Which buckets get a label under the axis: all of a short series, else `max` spread evenly. */
export function pickTicks(count: number, max: number): number[] {
  if (count <= 0) return [];
  if (count <= max) return Array.from({ length: count }, (_, i) => i);
  const picks = Array.from({ length: max }, (_, k) => Math.round((k * (count - 1)) / (max - 1)));
  return [...new Set(picks)];
}
