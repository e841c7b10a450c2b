import { Browser, Page } from 'playwright-core';
import { createStaff, Staff } from '../helpers/fixtures';
import { createGroup, pinToday, seedReference } from '../helpers/domain';
import { TestApp } from '../helpers/test-app';
import { closeBrowserApp, screenshot, signedInPage, startBrowserApp } from '../pages/browser-harness';

describe('the schedule over Thanksgiving (Chromium)', () => {
  let testApp: TestApp;
  let baseUrl: string;
  let browser: Browser;
  let page: Page;
  let staff: Staff;

  beforeAll(async () => {
    ({ testApp, baseUrl, browser } = await startBrowserApp({ env: { PROGRAM_HOLIDAYS: 'us', PROGRAM_STATE: 'MN' } }));
    staff = await createStaff(testApp);
    const reference = await seedReference(testApp);
    pinToday(testApp);
    await createGroup(testApp, staff, {
      name: 'Thursday evening group',
      curriculumId: reference.duluth.id,
      facilitatorIds: [staff.users.facilitator.id],
      weekday: 4,
    });
    page = await signedInPage(browser, baseUrl, staff.users.admin.email, { width: 1280, height: 900, timeout: 5_000 });
  });
  afterAll(async () => {
    await closeBrowserApp(browser, testApp);
  });

  it('shows Thanksgiving as closed, with the curriculum moving on to the next week', async () => {
    await page.goto(`${baseUrl}/groups`);
    const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: /Nov 26, 2026|Thu 26 Nov 2026|11\/26\/2026/ }) });
    await row.first().waitFor();
    const text = await row.first().innerText();
    expect(text).toContain('Closed: Thanksgiving');
    expect(text).toMatch(/cancelled/i);
    expect(await row.first().getByText('Cancel…').count()).toBe(0);
    await screenshot(page, 'schedule-thanksgiving');
  });
});
