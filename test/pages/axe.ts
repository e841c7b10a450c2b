import { readFileSync } from 'node:fs';
import { Page } from 'playwright-core';
import { BrowserWindow, DomDocument } from './browser-dom';

/** WCAG 2.1 A and AA: what the ADA Title II rule asks of state and local government web content. */
export const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[]; failureSummary?: string }>;
}

export interface AxeOutcome {
  engine: string;
  passes: number;
  violations: AxeViolation[];
}

/** The page's window with axe-core loaded, as far as it is read here. */
interface AxeWindow extends BrowserWindow {
  axe: {
    run(
      context: DomDocument,
      options: unknown,
    ): Promise<{ testEngine: { name: string; version: string }; passes: unknown[]; violations: AxeViolation[] }>;
  };
}

/**
 * Runs axe-core in the page. The pages' CSP allows no inline script, so a <script> tag with the
 * source would be refused; evaluating it through the DevTools protocol is not subject to the CSP,
 * and leaves the page itself exactly as served.
 */
export async function runAxe(page: Page): Promise<AxeOutcome> {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (tags) => {
    const page = globalThis as unknown as AxeWindow; // the browser's window
    const results = await page.axe.run(page.document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return {
      engine: `${results.testEngine.name} ${results.testEngine.version}`,
      passes: results.passes.length,
      violations: results.violations.map((violation) => ({
        id: violation.id,
        impact: violation.impact,
        help: violation.help,
        nodes: violation.nodes.slice(0, 5).map((node) => ({ target: node.target, failureSummary: node.failureSummary })),
      })),
    };
  }, WCAG_21_AA);
}

/** One line per violation, with where: readable in a failed expectation. */
export function describeViolations(where: string, violations: AxeViolation[]): string[] {
  return violations.map(
    (violation) =>
      `${where}: ${violation.id} (${String(violation.impact)}) ${violation.help} — ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
  );
}
