/** Where the child finds the code to run. */
export interface TargetRef {
  /** File URL of the module that defines the target. */
  readonly module: string;
  /** Class id (export name or registered identifier), or the function's id for `isolate()`. */
  readonly owner: string;
  /** Method name; absent for the function form. */
  readonly method?: string;
  readonly kind: 'instance' | 'static' | 'function';
}
