// The text and HTML views of a lasso mark its cycle: the rows from cycleAt carry ↻, with a line
// where the cycle starts and one where it returns.
import { describe, expect, it } from 'vitest';
import { check } from '../../src/pipeline/check.ts';
import { renderHtml } from '../../src/trace/render-html.ts';
import { renderText } from '../../src/trace/render-text.ts';
import { window, waits } from '../fixtures/models/window.ts';

describe('the views of a lasso', () => {
  const r = check(window, [waits], { flags: { nmi: false } });
  const base = { rows: r.trace!, property: r.property!, statement: r.statement!, reason: r.reason!, actors: r.actors, cycleAt: r.cycleAt };

  it('text: the cycle is steps 2-3, marked, and returns to the state after step 1', () => {
    const lines = renderText(base).split('\n');
    expect(lines).toContain('  ↻  the cycle: steps 2-3 repeat forever, from the state after step 1');
    expect(lines).toContain('  ↻  back to the state after step 1');
    expect(lines.filter((l) => /^↻ ?\d/.test(l.trimStart()) || /^ ?↻\d/.test(l)).map((l) => l.trim().split(/\s+/)[0])).toEqual(['↻2', '↻3']);
    expect(lines.some((l) => /^\s+1\s+wait_for_flag:START/.test(l))).toBe(true);
  });

  it('text without cycleAt: no cycle lines', () => {
    expect(renderText({ ...base, cycleAt: undefined })).not.toContain('↻');
  });

  it('HTML: the cycle steps carry the class cycle and the lasso is said in words', () => {
    const html = renderHtml({ ...base, title: 't', subtitle: 's', program: r.program, raw: r.rawTrace! });
    expect(html.match(/class="step cycle"/g)).toHaveLength(2);
    expect(html).toContain('a lasso: steps 1-1 lead to the cycle, steps 2-3 (marked ↻) return to the state after step 1 and repeat forever');
  });
});
