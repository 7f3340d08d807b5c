// Ownership of C handles: freed by close(), or by the garbage collector if close() never comes.

const leaked = new FinalizationRegistry<() => void>((free) => free());

/**
 * Registers `free` to run when `owner` is collected and returns the explicit close: it runs `free` once
 * and unregisters it. `free` must not refer to `owner`, or `owner` would never be collected.
 */
export function own(owner: object, free: () => void): () => void {
  const token = {};
  leaked.register(owner, free, token);
  let open = true;
  return () => {
    if (!open) return;
    open = false;
    leaked.unregister(token);
    free();
  };
}
