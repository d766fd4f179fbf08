import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { chromiumArgs, chromiumPath, INSTALL_CHROMIUM } from '../support/chromium';
import { describeWithComponent } from '../support/needs-component';
import { spawnService, stopAllServices, type SpawnedService } from '../support/spawn-service';

/**
 * Swagger UI at /docs in a real headless Chromium: the page, its assets, its CSP and "Try it out"
 * against the real service. Without Chromium the test says it was skipped, why, and how to install
 * it; in CI (which installs it) a missing Chromium fails.
 */
const TITLE = 'Swagger UI at /docs lists the operations and runs "Try it out" on execute';
describeWithComponent(
  'GET /docs in a real browser',
  { missing: chromiumPath ? undefined : 'no Chromium installed', install: INSTALL_CHROMIUM },
  () => {
    let service: SpawnedService;
    let browser: Browser | undefined;

    beforeAll(async () => {
      // Spans are created (so the answer has a trace id) and not exported.
      service = await spawnService({ env: { OTEL_TRACES_EXPORTER: 'none' } });
      browser = await puppeteer.launch({
        executablePath: chromiumPath!,
        headless: true,
        args: chromiumArgs,
      });
    }, 30_000);
    afterAll(async () => {
      await browser?.close();
      await stopAllServices();
    });

    /** Console errors, uncaught exceptions and failed requests: a page that works has none. */
    function watchForErrors(page: Page): string[] {
      const errors: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(`console: ${message.text()}`);
      });
      page.on('pageerror', (error) => errors.push(`page: ${String(error)}`));
      page.on('requestfailed', (request) =>
        errors.push(`request: ${request.url()} ${request.failure()?.errorText}`),
      );
      return errors;
    }

    it(
      TITLE,
      async () => {
        const page = await browser!.newPage();
        const errors = watchForErrors(page);
        const requested: string[] = [];
        page.on('request', (request) => void requested.push(request.url()));

        await page.goto(`${service.url}/docs`, { waitUntil: 'networkidle0' });
        await page.waitForSelector('.opblock-summary-path');
        const operations = await page.$$eval('.opblock-summary-path', (paths) =>
          paths.map((path) => path.textContent?.replace(/\u200b/g, '')),
        );
        expect(operations).toEqual(
          expect.arrayContaining(['/healthz', '/api/v1/agent/execute', '/api/v1/agent/delegate']),
        );

        const execute = '#operations-default-executeAgent';
        await page.click(`${execute} .opblock-summary`);
        // The operation expands with an animation: the button exists once it has.
        await page.waitForSelector(`${execute} .try-out__btn`);
        await page.click(`${execute} .try-out__btn`);
        const body = `${execute} textarea.body-param__text`;
        await page.waitForSelector(body);
        await page.$eval(
          body,
          (textarea) => ((textarea as unknown as { value: string }).value = ''),
        );
        await page.type(body, JSON.stringify({ task: 'Calculate 17 * 23' }));
        await page.click(`${execute} .execute`);
        const live = `${execute} .live-responses-table tr.response`;
        await page.waitForSelector(live);

        const status = await page.$eval(`${live} .response-col_status`, (cell) =>
          cell.textContent?.trim(),
        );
        const answer = await page.$eval(`${live} .response-col_description pre`, (pre) =>
          String(pre.textContent),
        );
        const headers = await page.$eval(`${live} .response-col_description`, (cell) =>
          String(cell.textContent),
        );
        expect(status).toBe('200');
        expect(JSON.parse(answer)).toMatchObject({
          response: expect.stringContaining('391'),
          trace_id: expect.stringMatching(/^[0-9a-f]{32}$/),
        });
        expect(headers).toContain(`x-trace-id: ${JSON.parse(answer).trace_id}`);
        expect(errors).toEqual([]);
        // Everything from the service itself (Swagger UI's icons are data: URLs).
        const fetched = requested.filter((url) => !url.startsWith('data:'));
        expect(new Set(fetched.map((url) => new URL(url).origin))).toEqual(new Set([service.url]));
      },
      30_000,
    );
  },
);
