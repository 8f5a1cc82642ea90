// Drives Debian's Chromium through playwright-core for the browser tests
// (tests/integration/test_webui.py): one browser per run, commands as
// JSON lines on stdin, one JSON answer line each on stdout. The Python
// side owns the cell, its namespaces and the real clients that check
// what the UI did; this side only clicks, types, reads and screenshots.
//
// Every request the page makes and every console message is recorded,
// for the checks that no mutation leaves without the CSRF header and
// that the UI logs no errors or warnings.
import { createRequire } from "node:module";
import { mkdirSync } from "node:fs";
import { createInterface } from "node:readline";
import path from "node:path";

const require = createRequire(new URL("../../webui/package.json", import.meta.url));
const { chromium } = require("playwright-core");

const DESKTOP = { width: 1280, height: 800 };
const MOBILE = { width: 375, height: 812 };
const TIMEOUT = Number(process.env.E2E_TIMEOUT_MS || 15000);

let browser, context, page, base, outDir, cdp;
const requests = [];
const consoleMessages = [];

function role(c, scope = page) {
  return scope.getByRole(c.role, { name: c.name, exact: c.exact ?? true });
}

// What a command acts on: by test id, label, role and name, text or CSS;
// `within` ({role, name}) narrows it to inside another element.
function target(c) {
  const scope = c.within ? role(c.within).first() : page;
  if (c.testid) return scope.getByTestId(c.testid);
  if (c.label) return scope.getByLabel(c.label, { exact: c.exact ?? true });
  if (c.role) return role(c, scope);
  if (c.text) return scope.getByText(c.text, { exact: c.exact ?? false });
  if (c.css) return scope.locator(c.css);
  throw new Error("no target in " + JSON.stringify(c));
}

function scoped(c) {
  const t = target(c);
  return c.nth !== undefined ? t.nth(c.nth) : t.first();
}

const commands = {
  async open(c) {
    base = c.url.replace(/\/$/, "");
    outDir = c.outDir;
    mkdirSync(outDir, { recursive: true });
    browser = await chromium.launch({
      executablePath: "/usr/bin/chromium",
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    });
    context = await browser.newContext({ viewport: DESKTOP, ignoreHTTPSErrors: !!c.ignoreHTTPSErrors, colorScheme: c.colorScheme || "light" });
    context.setDefaultTimeout(TIMEOUT);
    page = await context.newPage();
    page.on("request", (r) => {
      if (r.url().startsWith(base)) requests.push({ method: r.method(), path: new URL(r.url()).pathname, query: new URL(r.url()).search, headers: r.headers() });
    });
    page.on("response", (r) => {
      const q = requests.findLast((x) => x.path === new URL(r.url()).pathname && x.status === undefined);
      if (q) q.status = r.status();
    });
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") consoleMessages.push({ type: m.type(), text: m.text(), url: page.url(), source: m.location().url });
    });
    page.on("pageerror", (e) => consoleMessages.push({ type: "pageerror", text: String(e), url: page.url() }));
    return {};
  },
  async goto(c) {
    await page.goto(base + c.path, { waitUntil: "load" });
    if (c.waitText) await page.getByText(c.waitText, { exact: false }).first().waitFor();
    if (c.waitRole) await role(c.waitRole).first().waitFor();
    return { url: page.url() };
  },
  async fill(c) {
    const t = scoped(c);
    await t.fill(c.value);
    if (c.blur) await t.blur();
    return {};
  },
  async select(c) {
    await scoped(c).selectOption(c.value);
    return {};
  },
  async click(c) {
    await scoped(c).click();
    return {};
  },
  // Clicks a checkbox whose state the app sets once it has reacted (a
  // controlled input), and waits for that state.
  async check(c) {
    const t = scoped(c);
    if ((await t.isChecked()) !== c.checked) await t.click();
    const deadline = Date.now() + TIMEOUT;
    while ((await t.isChecked()) !== c.checked) {
      if (Date.now() > deadline) throw new Error(`the checkbox did not become ${c.checked ? "checked" : "unchecked"}`);
      await page.waitForTimeout(50);
    }
    return {};
  },
  async wait(c) {
    await scoped(c).waitFor({ state: c.state || "visible", timeout: c.timeout || TIMEOUT });
    return {};
  },
  // Waits until the element's text matches the regular expression.
  async waitTextOf(c) {
    const re = new RegExp(c.pattern);
    const deadline = Date.now() + (c.timeout || TIMEOUT);
    let text = "";
    while (Date.now() < deadline) {
      text = (await scoped(c).textContent({ timeout: 1000 }).catch(() => "")) || "";
      if (re.test(text)) return { text };
      await page.waitForTimeout(100);
    }
    throw new Error(`text of ${JSON.stringify(c)} never matched /${c.pattern}/; last: ${text.slice(0, 300)}`);
  },
  async text(c) {
    return { text: (await scoped(c).textContent()) || "" };
  },
  async count(c) {
    return { count: await target(c).count() };
  },
  async url() {
    return { url: page.url() };
  },
  async screenshotOf(c) {
    const file = path.join(outDir, c.file);
    await scoped(c).screenshot({ path: file });
    return { file };
  },
  // The page at desktop and at phone width, whole.
  async screens(c) {
    const files = [];
    for (const [tag, vp] of [["desktop", DESKTOP], ["mobile", MOBILE]]) {
      await page.setViewportSize(vp);
      await page.waitForTimeout(150);
      const file = path.join(outDir, `${c.name}-${tag}.png`);
      await page.screenshot({ path: file, fullPage: true });
      files.push(file);
      // Nothing may stick out sideways at phone width.
      if (tag === "mobile") {
        const over = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        if (over > 1) throw new Error(`${c.name}: the page is ${over}px wider than a 375px screen`);
      }
    }
    await page.setViewportSize(DESKTOP);
    return { files };
  },
  // Time from navigation to the page's content being usable, and the
  // requests it made (bench/bench.py, section webui). `steps` are done in
  // order once the navigation is committed: fill (`value`) or click
  // (`click: true`) a target, or wait until `css` matches an element
  // (whose text contains `text`, if given). The waits poll in the page at
  // every animation frame: a locator's waitFor retries after 0, 20, 50,
  // 100, 100 ms and then every 500 ms, too coarse for a timing. Fill and
  // click skip the actionability checks (their element is already there:
  // wait for it first), which take a frame or two each. `marks`
  // is the ms at the end of each step, `ms` at the end of the last;
  // without steps, the page's text is waited for `waitText`. `settleMs`
  // later, `settled` lists every request since the navigation (those that
  // start just after the page is usable, too). `noCache` (true/false)
  // turns the HTTP cache off/on from now on.
  async measure(c) {
    if (c.noCache !== undefined) {
      cdp ??= await context.newCDPSession(page);
      await cdp.send("Network.setCacheDisabled", { cacheDisabled: !!c.noCache });
    }
    const steps = c.steps || [{ css: "body", text: c.waitText }];
    const before = requests.length;
    const since = () => requests.slice(before).map((r) => `${r.method} ${r.path}`);
    const t0 = performance.now();
    const at = () => Math.round((performance.now() - t0) * 100) / 100;
    await page.goto(base + c.path, { waitUntil: "commit" });
    const marks = [];
    for (const s of steps) {
      if (s.value !== undefined) await scoped(s).fill(s.value, { force: true });
      else if (s.click) await scoped(s).click({ force: true });
      else
        await page.waitForFunction(
          ([css, text]) => {
            const e = document.querySelector(css);
            return !!e && (!text || (e.textContent || "").includes(text));
          },
          [s.css, s.text || ""],
          { polling: "raf", timeout: TIMEOUT },
        );
      marks.push(at());
    }
    const ms = at();
    const made = since();
    if (!c.settleMs) return { ms, marks, requests: made };
    await page.waitForTimeout(c.settleMs);
    return { ms, marks, requests: made, settled: since() };
  },
  async evaluate(c) {
    return { value: await page.evaluate(c.js) };
  },
  // Drops the session cookie, as an expired session would.
  async clearCookies() {
    await context.clearCookies();
    return {};
  },
  async log() {
    return { requests, console: consoleMessages };
  },
  async close() {
    await browser?.close();
    return {};
  },
};

const rl = createInterface({ input: process.stdin });
for await (const line of rl) {
  if (!line.trim()) continue;
  let c;
  try {
    c = JSON.parse(line);
    const fn = commands[c.cmd];
    if (!fn) throw new Error("unknown command " + c.cmd);
    const result = await fn(c);
    process.stdout.write(JSON.stringify({ ok: true, ...result }) + "\n");
    if (c.cmd === "close") break;
  } catch (e) {
    let shot = null;
    try {
      if (page && outDir) {
        shot = path.join(outDir, `failure-${Date.now()}.png`);
        await page.screenshot({ path: shot, fullPage: true });
      }
    } catch {}
    process.stdout.write(JSON.stringify({ ok: false, error: String(e && e.stack ? e.stack : e), screenshot: shot, url: page?.url() }) + "\n");
  }
}
process.exit(0);
