// The one place that imports ical.js, so its module format is dealt with once.
//
// ical.js 2.x is an ES module whose package.json `exports` also maps `require` to a UMD build
// (dist/ical.es5.cjs) that does `module.exports = ICAL` without an `__esModule` marker. Both of
// our CommonJS toolchains load that build:
//   - Jest runs swc with `module: commonjs`, which emits
//     `_interop_require_default(require('ical.js')).default`;
//   - scripts/bundle.mjs runs esbuild with `format: 'cjs'` and ical.js external, which emits
//     `__toESM(require('ical.js')).default`.
// With no `__esModule` marker both helpers present the whole exports object as `default`, so the
// default import below is the ICAL namespace in both. It is also the only form TypeScript types
// usefully (dist/types/module.d.ts declares just `export default`): `import * as ICAL` runs but
// would type as `{ default }`. ical.unit.test.ts pins the Jest side; the bundle was checked by
// building a probe with the same esbuild options.
import ICAL from 'ical.js';

export { ICAL };
export type IcalComponent = InstanceType<typeof ICAL.Component>;
export type IcalProperty = InstanceType<typeof ICAL.Property>;
export type IcalRecur = InstanceType<typeof ICAL.Recur>;

/**
 * RRULE (and EXRULE) lines are renamed to these X- properties before ical.js sees them, so their
 * value reaches us verbatim. ical.js's RRULE parser is lossy (it drops RSCALE and SKIP and turns
 * BYMONTH=5L into 5, RFC 7529) and strict (one "BYDAY=MO, TU" fails the whole object); downstream
 * gets the sender's rule as written and judges it there.
 */
export const RAW_RULE_PROPERTIES = { rrule: 'x-inviteflow-raw-rrule', exrule: 'x-inviteflow-raw-exrule' } as const;
export const RAW_RRULE_PROPERTY = RAW_RULE_PROPERTIES.rrule;

/** The RRULE (or EXRULE) values of a component, verbatim (after unfolding). */
export function rawRules(component: IcalComponent, name: keyof typeof RAW_RULE_PROPERTIES): string[] {
  return component
    .getAllProperties(RAW_RULE_PROPERTIES[name])
    .map((prop) => rawValue(prop))
    .filter((value): value is string => typeof value === 'string' && value.trim() !== '')
    .map((value) => value.trim());
}

export function rawRrules(component: IcalComponent): string[] {
  return rawRules(component, 'rrule');
}

/** A parameter as one string: ical.js gives arrays for multi-valued ones, undefined if absent. */
export function paramText(prop: IcalProperty, name: string): string {
  const value: unknown = prop.getParameter(name);
  if (Array.isArray(value)) return value.map(String).join(',');
  return typeof value === 'string' ? value : '';
}

/** The first raw jCal value of a property, without ical.js decorating it (which can throw). */
export function rawValue(prop: IcalProperty): unknown {
  return prop.jCal[3];
}

/** All raw jCal values of a property (multi-valued properties such as RDATE, EXDATE). */
export function rawValues(prop: IcalProperty): unknown[] {
  return prop.jCal.slice(3);
}

/** A TEXT property's (already unescaped, RFC 5545 §3.3.11) value, or ''. */
export function textValue(component: IcalComponent, name: string): string {
  const prop = component.getFirstProperty(name);
  if (!prop) return '';
  const value = rawValue(prop);
  return typeof value === 'string' ? value : '';
}
