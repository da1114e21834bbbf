/**
 * A module's exports seen through a proxy: `own` members answered by the view itself, `__esModule` true (so
 * TypeScript's `__importStar` takes the view as it is, reading nothing), and every other read, write, key and
 * descriptor the module's that `load` returns. `load` runs only when one of those is first needed, so a view can
 * stand for a module not loaded yet (cli/offlineSdk.ts `loadOnAnyRead`) or change a few members of a loaded one
 * (cli/inProcessPack.ts, gRPC for the pack's server module). No side effects: the pack loader imports it too.
 */
export type Exports = Record<string, unknown>;

export function moduleView(load: () => Exports, own: Exports = {}): Exports {
  return new Proxy(Object.create(null) as Exports, {
    get: (_target, key) => {
      if (key === "__esModule") return true;
      if (typeof key === "string" && Object.hasOwn(own, key)) return own[key];
      return Reflect.get(load(), key);
    },
    set: (_target, key, value) => Reflect.set(load(), key, value),
    has: (_target, key) => key === "__esModule" || Reflect.has(load(), key),
    ownKeys: () => Reflect.ownKeys(load()),
    getOwnPropertyDescriptor: (_target, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(load(), key);
      // A proxy may not report a property its target lacks as fixed.
      if (descriptor) descriptor.configurable = true;
      return descriptor;
    },
  });
}
