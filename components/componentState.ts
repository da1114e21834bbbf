/**
 * Internal state of a component, kept off its class body: the schema analyzer makes every property declared
 * on a component class an output, private ones too. Accessors and methods are not properties.
 */
export class ComponentState<C extends object, S> {
  private readonly states = new WeakMap<C, S>();

  /** Records the state of `component`; call once, in its constructor. */
  set(component: C, state: S): void {
    this.states.set(component, state);
  }

  /** The state of `component`, recorded by its constructor. */
  get(component: C): S {
    if (!this.states.has(component))
      throw new Error("component state read before its constructor recorded it");
    return this.states.get(component) as S;
  }
}
