/** The position of `value` in `sorted[0, end)`, ascending, or −1 (a binary search). */
export function indexOfSorted(sorted: Int32Array, value: number, end = sorted.length): number {
  let lo = 0;
  let hi = end - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = sorted[mid]!;
    if (v === value) return mid;
    if (v < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
