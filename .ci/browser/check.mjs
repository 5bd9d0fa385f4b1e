// The browser suite: Debian's Chromium, headless, against the forum behind
// the repository's Nginx config (started by .ci/browser_test.py).
//
//   node check.mjs <config.json>
//
// For every page of the URL map, at 1366 and 390 pixels, in English and
// Russian, anonymous and signed in: no horizontal overflow, no console
// error, no CSP violation; axe-core finds nothing critical or serious.
// Then the flows only a browser shows (the vote in place with JavaScript,
// by form without it; register → ask → answer → accept → reputation), and
// Lighthouse (mobile) on the home and a question page. Screenshots of the
// main pages go to the artifacts directory. Exits 1 on any failure.
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import puppeteer from "puppeteer-core";
import lighthouse from "lighthouse";

const require = createRequire(import.meta.url);
const config = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const base = config.base;
const axeSource = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const WIDTHS = [1366, 390];
const HEIGHT = { 1366: 900, 390: 844 };
const failures = [];
const table = [];

function fail(msg) {
  failures.push(msg);
  console.log(`  FAIL ${msg}`);
}

function ok(msg) {
  console.log(`  ok  ${msg}`);
}

const browser = await puppeteer.launch({
  executablePath: config.chromium,
  headless: true,
  acceptInsecureCerts: true,
  args: [
    "--no-sandbox",
    "--ignore-certificate-errors",
    "--disable-dev-shm-usage",
    `--remote-debugging-port=${config.debugPort}`,
  ],
});

/** A browser context with the language cookie, logged in as `user` when set. */
async function context(lang, user, javascript = true) {
  const ctx = await browser.createBrowserContext();
  const page = await ctx.newPage();
  await page.setJavaScriptEnabled(javascript);
  const host = new URL(base).hostname;
  await ctx.setCookie({ name: "lang", value: lang, domain: host, path: "/" });
  if (user) {
    await page.goto(`${base}/login`, { waitUntil: "load" });
    await page.type("#f-login", user);
    await page.type("#f-password", config.password);
    await Promise.all([
      page.waitForNavigation({ waitUntil: "load" }),
      page.click("main form button[type=submit]"),
    ]);
    if (page.url().includes("/login")) {
      fail(`login as ${user} failed`);
    }
  }
  await page.close();
  return ctx;
}

/** Loads `url` in a fresh page of `ctx` at `width`, watching the console. */
async function visit(ctx, url, width, expected = 200) {
  const page = await ctx.newPage();
  const problems = [];
  page.on("console", (m) => {
    if (m.type() !== "error") return;
    // the browser logs an error page's own status (404, 410) as a failed
    // load; that is the answer the test asks for, not a broken resource
    const own = m.location()?.url === `${base}${url}` && expected !== 200;
    if (!own) problems.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`script error: ${e.message}`));
  await page.evaluateOnNewDocument(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  await page.setViewport({ width, height: HEIGHT[width] });
  // the pages fetch nothing after load: waiting for an idle network would
  // only add half a second to each of the several hundred visits
  const res = await page.goto(`${base}${url}`, { waitUntil: "load" });
  return { page, problems, status: res ? res.status() : 0 };
}

async function axe(page) {
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const r = await window.axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] },
    });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      nodes: v.nodes.length,
      target: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
    }));
  });
}

// --- every page ---------------------------------------------------------
const shots = config.screenshots;
fs.mkdirSync(shots, { recursive: true });
for (const lang of ["en", "ru"]) {
  for (const viewer of ["anonymous", config.user, config.admin]) {
    const signedIn = viewer !== "anonymous";
    const ctx = await context(lang, signedIn ? viewer : null);
    const pages = config.pages.filter((p) =>
      p.who === "any" || (p.who === "anonymous" && !signedIn) || p.who === viewer ||
      (p.who === "member" && signedIn));
    for (const p of pages) {
      const row = { lang, viewer, url: p.url, overflow: [], console: 0, axe: 0 };
      for (const width of WIDTHS) {
        const { page, problems, status } = await visit(ctx, p.url, width, p.status || 200);
        if (status !== (p.status || 200)) fail(`${lang} ${viewer} ${p.url}: status ${status}`);
        const overflow = await page.evaluate(
          () => document.documentElement.scrollWidth - window.innerWidth);
        if (overflow > 1) {
          row.overflow.push(width);
          const wide = await page.evaluate(() => [...document.querySelectorAll("body *")]
            .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
            .slice(0, 3).map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join(".")}`));
          fail(`${lang} ${viewer} ${p.url} @${width}: ${overflow}px wider than the screen (${wide})`);
        }
        if (problems.length) {
          row.console += problems.length;
          fail(`${lang} ${viewer} ${p.url} @${width}: ${problems.join("; ")}`);
        }
        if (width === 1366) {
          const violations = (await axe(page)).filter((v) => ["critical", "serious"].includes(v.impact));
          row.axe = violations.length;
          for (const v of violations) {
            fail(`${lang} ${viewer} ${p.url}: axe ${v.impact} ${v.id} ×${v.nodes} ${v.target.join(" | ")}`);
          }
        }
        if (p.shot && lang === "en") {
          const name = `${p.shot}-${signedIn ? "member" : "anonymous"}-${width}.png`;
          await page.screenshot({ path: path.join(shots, name), fullPage: true });
        }
        await page.close();
      }
      table.push(row);
    }
    await ctx.close();
  }
}
ok(`${table.length} page views × ${WIDTHS.length} widths checked for overflow, console errors and CSP; axe on each`);

// --- the vote, with and without JavaScript --------------------------------
{
  const ctx = await context("en", config.voter);
  const page = await ctx.newPage();
  await page.goto(`${base}${config.votePage}`, { waitUntil: "networkidle0" });
  const score = () => page.$eval("#question [data-score]", (e) => Number(e.textContent.trim()));
  const pressed = (p) => p.$eval('#question button[data-direction="up"]',
    (e) => e.getAttribute("aria-pressed") === "true");
  // an up-vote the voter already gave is taken back by the same click
  const expect = async (p, before) => before + ((await pressed(p)) ? -1 : 1);
  const before = await score();
  const wanted = await expect(page, before);
  let navigated = false;
  page.on("framenavigated", (f) => { if (f === page.mainFrame()) navigated = true; });
  await page.click('#question button[data-direction="up"]');
  await page.waitForFunction(
    (b) => Number(document.querySelector("#question [data-score]").textContent.trim()) !== b, {}, before);
  const after = await score();
  if (navigated || after !== wanted) {
    fail(`vote with JavaScript: ${before} → ${after} (wanted ${wanted}), page reloaded: ${navigated}`);
  } else {
    ok(`vote with JavaScript: score ${before} → ${after} in place, no reload`);
  }
  await page.click('#question button[data-direction="up"]');
  await page.waitForFunction(
    (b) => Number(document.querySelector("#question [data-score]").textContent.trim()) === b, {}, before);
  await ctx.close();

  const nojs = await context("en", config.voter, false);
  const p2 = await nojs.newPage();
  await p2.setJavaScriptEnabled(false);
  await p2.goto(`${base}${config.votePage}`, { waitUntil: "load" });
  const b2 = await p2.$eval("#question [data-score]", (e) => Number(e.textContent.trim()));
  const w2 = await expect(p2, b2);
  await Promise.all([
    p2.waitForNavigation({ waitUntil: "load" }),
    p2.click('#question button[data-direction="up"]'),
  ]);
  const a2 = await p2.$eval("#question [data-score]", (e) => Number(e.textContent.trim()));
  if (a2 !== w2) fail(`vote without JavaScript: ${b2} → ${a2} (wanted ${w2})`);
  else ok(`vote without JavaScript: the form posts and the page comes back with ${a2}`);
  await nojs.close();
}

// --- register → ask → answer → accept → reputation -------------------------
{
  const stamp = Date.now().toString(36);
  const asker = `asker${stamp}`;
  const helper = `helper${stamp}`;
  async function register(name) {
    const ctx = await browser.createBrowserContext();
    const page = await ctx.newPage();
    await page.goto(`${base}/register`, { waitUntil: "load" });
    await page.type("#f-username", name);
    await page.type("#f-email", `${name}@example.org`);
    await page.type("#f-password", config.password);
    await page.type("#f-password_confirm", config.password);
    await Promise.all([page.waitForNavigation(), page.click("main form button[type=submit]")]);
    // the confirmation link goes by mail; the orchestrator confirms the
    // address as following the link would
    await fetch(`${config.confirmHook}?user=${name}`);
    await page.goto(`${base}/login`, { waitUntil: "load" });
    await page.type("#f-login", name);
    await page.type("#f-password", config.password);
    await Promise.all([page.waitForNavigation(), page.click("main form button[type=submit]")]);
    return { ctx, page };
  }
  const a = await register(asker);
  await a.page.goto(`${base}/questions/new`, { waitUntil: "load" });
  await a.page.type("#f-title", "How do I test a forum in a real browser?");
  await a.page.type("#f-body", "I want to click through register, ask, answer and accept like a user does.");
  // the live preview beside the editor (POST /preview, debounced)
  try {
    await a.page.waitForFunction(() => {
      const pane = document.querySelector("[data-preview-pane]");
      return pane && !pane.hidden &&
        pane.querySelector("[data-preview-body]").textContent.includes("click through register");
    }, { timeout: 5000 });
    ok("live preview: the body appears rendered beside the editor as it is typed");
  } catch {
    fail("live preview: nothing rendered beside the editor within 5 s");
  }
  await a.page.type("#f-tags", "testing browser");
  await Promise.all([a.page.waitForNavigation(), a.page.click('main form button[type=submit]:not([name])')]);
  const questionUrl = a.page.url();
  const h = await register(helper);
  await h.page.goto(questionUrl, { waitUntil: "load" });
  await h.page.type("#answer-form textarea", "Drive a headless browser over CDP and check what a person would see.");
  await Promise.all([h.page.waitForNavigation(), h.page.click("#answer-form button[type=submit]")]);
  await a.page.goto(questionUrl, { waitUntil: "networkidle0" });
  await Promise.all([a.page.waitForNavigation(), a.page.click("#answers form[action$='/accept'] button")]);
  const accepted = await a.page.$$eval(".answer.accepted", (e) => e.length);
  await h.page.goto(`${base}/users/${helper}/reputation`, { waitUntil: "load" });
  const history = await h.page.$eval("#history", (e) => e.textContent);
  if (accepted !== 1 || !history.includes("+15")) {
    fail(`register → ask → answer → accept: accepted ${accepted}, reputation page: ${history.slice(0, 200)}`);
  } else {
    ok("register → ask → answer → accept → the answerer's reputation page shows +15");
  }
  await h.page.screenshot({ path: path.join(shots, "reputation-member-1366.png"), fullPage: true });
  await a.ctx.close();
  await h.ctx.close();
}

// --- Lighthouse (mobile) --------------------------------------------------
const scores = {};
const want = { accessibility: 100, "best-practices": 100, seo: 100, performance: 95 };

/** Audits Lighthouse could not run: a null category score means "not measured", not a bad page. */
function toolErrors(lhr) {
  const errored = Object.values(lhr.audits)
    .filter((a) => a.scoreDisplayMode === "error")
    .map((a) => `${a.id}: ${a.errorMessage}`);
  if (lhr.runtimeError) errored.unshift(`${lhr.runtimeError.code}: ${lhr.runtimeError.message}`);
  return errored;
}

const percent = (category) => (category.score === null ? null : Math.round(category.score * 100));

/**
 * Lighthouse's own advice on variance: performance is timing on a shared
 * machine, so a page whose first run falls short is measured three times
 * and judged on the median run. A run whose trace or page load broke
 * inside Lighthouse (a category left unmeasured) does not count; after
 * five attempts the page fails with Lighthouse's errors.
 */
async function measure(name, url) {
  const runs = [];
  let errors = [];
  for (let attempt = 1; attempt <= 5 && runs.length < 3; attempt += 1) {
    const { lhr } = await lighthouse(`${base}${url}`, {
      port: config.debugPort,
      output: "json",
      logLevel: "error",
      onlyCategories: ["performance", "accessibility", "best-practices", "seo"],
    });
    if (Object.values(lhr.categories).some((c) => c.score === null)) {
      errors = toolErrors(lhr);
      console.log(`  ..  Lighthouse ${name} run ${attempt} left categories unmeasured: ${errors.join("; ")}`);
      continue;
    }
    runs.push(lhr);
    const performance = percent(lhr.categories.performance);
    if (runs.length === 1 && performance >= want.performance) break;
    console.log(`  ..  Lighthouse ${name} run ${attempt}: performance ${performance}`);
  }
  runs.sort((a, b) => a.categories.performance.score - b.categories.performance.score);
  return { lhr: runs[Math.floor(runs.length / 2)], errors };
}

for (const [name, url] of Object.entries(config.lighthouse)) {
  const { lhr, errors } = await measure(name, url);
  if (!lhr) {
    fail(`Lighthouse ${name} not measured in 5 runs: ${errors.join("; ")}`);
    continue;
  }
  const cats = lhr.categories;
  scores[name] = Object.fromEntries(Object.entries(cats).map(([k, v]) => [k, percent(v)]));
  const s = scores[name];
  for (const [cat, min] of Object.entries(want)) {
    if (s[cat] < min) {
      const audits = Object.values(lhr.audits)
        .filter((a) => a.score !== null && a.score < 1 && (cats[cat].auditRefs || []).some((r) => r.id === a.id && r.weight > 0))
        .map((a) => `${a.id} (${a.score})`);
      fail(`Lighthouse ${name} ${cat} ${s[cat]} < ${min}: ${audits.join(", ")}`);
    }
  }
  const metric = (id) => lhr.audits[id]?.displayValue ?? "?";
  const timings = ["first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift", "speed-index"]
    .map((id) => `${id.split("-").map((w) => w[0]).join("").toUpperCase()} ${metric(id)}`)
    .join(", ");
  ok(`Lighthouse mobile ${name}: ${JSON.stringify(s)} (${timings})`);
}

await browser.close();
fs.writeFileSync(config.report, JSON.stringify({ table, failures, lighthouse: scores }, null, 2));
console.log(failures.length ? `browser suite: ${failures.length} failures` : "browser suite passed");
process.exit(failures.length ? 1 : 0);
