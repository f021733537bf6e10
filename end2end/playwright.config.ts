import { defineConfig } from "@playwright/test";

// The app is started by Playwright on a fresh SQLite database (port 3010, so a
// development server on 3000 is not disturbed). The browser is Debian's Chromium.
const PORT = Number(process.env.CHARTER_E2E_PORT || 3010);
// The server binary cargo-leptos built (CARGO_TARGET_DIR moves it out of ./target).
const TARGET = process.env.CARGO_TARGET_DIR || "target";
export default defineConfig({
  testDir: "./tests",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    trace: "off",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
      args: [
        "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run",
      ],
    },
  },
  webServer: {
    command:
      `bash -c 'rm -rf target-e2e-${PORT} && mkdir -p target-e2e-${PORT} && cd .. && ` +
      `DATABASE_URL=sqlite://end2end/target-e2e-${PORT}/e2e.db CHARTER_ADDR=127.0.0.1:${PORT} ` +
      `LEPTOS_SITE_ROOT=target/site exec ${TARGET}/${process.env.CHARTER_PROFILE || "debug"}/server serve'`,
    url: `http://127.0.0.1:${PORT}/healthz`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: "pipe",
  },
});
