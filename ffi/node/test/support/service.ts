// A service that fails with `message` while `state.failing` is true, and counts its calls.
export function failingService(message = 'unavailable') {
  const state = { calls: 0, failing: true };
  const fn = async (): Promise<string> => {
    state.calls++;
    if (state.failing) throw new Error(message);
    return 'ok';
  };
  return { state, fn };
}
