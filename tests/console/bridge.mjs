// A line protocol over stdin/stdout between the C# console tests and a real headless Chromium
// (Debian's chromium, driven by playwright-core; Playwright's own browser download is not used).
// Each stdin line is a JSON command {"cmd": ..., ...}; each answer one JSON line {"ok": true,
// "value": ...} or {"ok": false, "error": "..."}. The C# side holds the scenario and the asserts.
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';

const browser = await chromium.launch({
  executablePath: process.env.RG_CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
});
const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
const page = await context.newPage();
const consoleErrors = [];
page.on('pageerror', e => consoleErrors.push(String(e)));

const commands = {
  goto: c => page.goto(c.url, { waitUntil: 'load' }).then(() => null),
  fill: c => page.fill(c.selector, c.value),
  click: c => page.click(c.selector),
  press: c => page.press(c.selector, c.key),
  select: c => page.selectOption(c.selector, c.value).then(() => null),
  waitFor: c => page.waitForSelector(c.selector, { timeout: c.timeout ?? 10000, state: c.state ?? 'attached' }).then(() => null),
  text: c => page.textContent(c.selector, { timeout: c.timeout ?? 10000 }),
  attr: c => page.getAttribute(c.selector, c.name, { timeout: c.timeout ?? 10000 }),
  count: c => page.locator(c.selector).count(),
  focused: () => page.evaluate(() => document.activeElement && (document.activeElement.id || document.activeElement.tagName)),
  viewport: c => page.setViewportSize({ width: c.width, height: c.height }),
  screenshot: c => page.screenshot({ path: c.path, fullPage: true }).then(() => c.path),
  errors: () => consoleErrors,
};

const rl = createInterface({ input: process.stdin });
const send = o => process.stdout.write(JSON.stringify(o) + '\n');
send({ ok: true, value: 'ready' });
for await (const line of rl) {
  if (!line.trim()) continue;
  const c = JSON.parse(line);
  if (c.cmd === 'quit') break;
  try {
    const fn = commands[c.cmd];
    if (!fn) throw new Error(`unknown command ${c.cmd}`);
    send({ ok: true, value: (await fn(c)) ?? null });
  } catch (e) {
    send({ ok: false, error: String(e && e.message || e) });
  }
}
await browser.close();
