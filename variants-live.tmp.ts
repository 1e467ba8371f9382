import { shipped } from '/work/wt-liveness/models/index.ts';
import { allProperties } from '/work/wt-liveness/properties/index.ts';
import { check } from '/work/wt-liveness/src/engine/check.ts';
const only = process.argv[2];
for (const sm of shipped) {
  if (only && sm.model.name !== only) continue;
  const live = allProperties.filter((p) => p.kind === 'liveness' && p.models.includes(sm.model.name) && p.onRequest === undefined).map((p) => p.name);
  if (live.length === 0) { console.log(sm.model.name, 'no default liveness property'); continue; }
  for (const v of [null, ...sm.variants]) {
    const t0 = Date.now();
    try {
      const r = check(sm.model, allProperties, { variant: v, properties: live, por: true, symmetry: true, maxSeconds: 150 });
      console.log(sm.model.name, v?.name ?? 'mainline', r.verdict, r.property ?? '', r.liveness?.states, ((Date.now() - t0) / 1000).toFixed(1) + 's', (r.reason ?? r.limit ?? '').slice(0, 160));
    } catch (e) { console.log(sm.model.name, v?.name, 'ERROR', String(e).slice(0, 200)); }
  }
}
