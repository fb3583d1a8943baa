/**
 * Bounded concurrency for the many small fs operations of staging: enough in flight to keep
 * libuv's thread pool busy, few enough never to run out of file descriptors.
 */

/**
 * Calls `fn` on every item with at most `limit` calls pending; results keep the items' order.
 * After the first rejection no new call starts, the pending ones settle, then it rethrows, so
 * a caller that cleans up afterwards never races a straggling write.
 */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  async function worker(): Promise<void> {
    while (failure === undefined && next < items.length) {
      const index = next++;
      try {
        results[index] = await fn(items[index]);
      } catch (error) {
        failure ??= { error };
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure !== undefined) throw failure.error;
  return results;
}
