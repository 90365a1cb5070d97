// `npm test`: every test in the project, then one closing line "N passed, N failed".
//   1. Vitest: unit, component and database tests. The database tests use embedded PGlite, or
//      the PostgreSQL server named by DATABASE_URL (each test file gets its own database).
//   2. Playwright: the production build in Debian's chromium (installed here if it is missing).
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import path from "node:path";

const RESULTS = ".test-results";
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
rmSync(RESULTS, { recursive: true, force: true });
mkdirSync(RESULTS, { recursive: true });

const target = process.env.DATABASE_URL ? "PostgreSQL (DATABASE_URL)" : "embedded PGlite";
console.log(`\n▶ Tests against ${target}\n`);

function run(cmd, args, env = process.env) {
  return spawnSync(cmd, args, { stdio: "inherit", env }).status ?? 1;
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return null;
  }
}

// 1. Vitest.
const vitestStatus = run("./node_modules/.bin/vitest", ["run", "--reporter=default", "--reporter=json", `--outputFile=${RESULTS}/vitest.json`]);
const v = readJson(`${RESULTS}/vitest.json`);
let passed = v?.numPassedTests ?? 0;
let failed = (v?.numFailedTests ?? 0) + (v ? 0 : 1);
if (vitestStatus !== 0 && failed === 0) failed = 1; // a crash outside any test still fails the run

// 2. Browser tests need Debian's chromium; install it rather than skip them.
function ensureChromium() {
  if (existsSync(CHROMIUM)) return true;
  if (process.getuid?.() !== 0) {
    console.error(`${CHROMIUM} is missing and this is not root: install it with apt-get install chromium`);
    return false;
  }
  console.log("Installing Debian's chromium for the browser tests…");
  execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit" });
  execFileSync("apt-get", ["install", "-y", "-qq", "chromium"], { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
  return existsSync(CHROMIUM);
}

/** Build only when a source file is newer than the last build. */
function buildIsStale() {
  const stamp = ".next/BUILD_ID";
  if (!existsSync(stamp)) return true;
  const built = statSync(stamp).mtimeMs;
  const newer = (p) => {
    const s = statSync(p);
    if (s.isDirectory()) return readdirSync(p).some((f) => newer(path.join(p, f)));
    return s.mtimeMs > built;
  };
  return ["app", "components", "lib", "db", "public", "instrumentation.ts", "next.config.ts", "package.json", "postcss.config.mjs"]
    .filter(existsSync)
    .some(newer);
}

if (!ensureChromium()) {
  failed += 1;
} else if (buildIsStale() && run("./node_modules/.bin/next", ["build"]) !== 0) {
  console.error("next build failed");
  failed += 1;
} else {
  const status = run("./node_modules/.bin/playwright", ["test"]);
  const p = readJson(`${RESULTS}/playwright.json`);
  passed += (p?.stats?.expected ?? 0) + (p?.stats?.flaky ?? 0);
  failed += p?.stats?.unexpected ?? 0;
  if (status !== 0 && !p?.stats?.unexpected) failed += 1;
}

console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
