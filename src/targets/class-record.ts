import { targetRecords } from './records.js';

/**
 * Records the class a decorated method belongs to, under the module the
 * decorator ran in, when the decorator dialect tells the class at definition
 * time (legacy decorators, standard static methods). The child looks there
 * when the module doesn't export the class, as an app's bundle doesn't:
 * importing the bundle runs the decorators, which record the classes.
 */
export function recordClass(module: string | undefined, cls: Function, id: string | undefined): void {
  const { classes } = targetRecords();
  const where = module ?? '';
  classes.set(`${where}#${cls.name}`, cls);
  if (id !== undefined) classes.set(`${where}#${id}`, cls);
}

/** A class recorded for this module and name (or id); under another spelling of the module's URL if need be. */
export function recordedClass(module: string, name: string): Function | undefined {
  const { classes } = targetRecords();
  const exact = classes.get(`${module}#${name}`);
  if (exact) return exact;
  for (const [key, cls] of classes) if (key.endsWith(`#${name}`)) return cls;
  return undefined;
}
