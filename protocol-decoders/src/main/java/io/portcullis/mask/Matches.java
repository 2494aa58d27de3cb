package io.portcullis.mask;

import java.util.Arrays;

/**
 * The spans found in one value, and the detectors' scratch space; reused from value to value so
 * that scanning a value with no match allocates nothing.
 */
final class Matches {

  private int[] starts = new int[8];
  private int[] ends = new int[8];
  private MaskStrategy[] strategies = new MaskStrategy[8];
  private int count;
  private boolean sorted = true;

  /** Group bounds for the card detector. */
  int[] groupStarts = new int[16];
  int[] groupEnds = new int[16];
  /** Decoded JWT header bytes. */
  final byte[] decoded = new byte[3 * 1024];

  void clear() {
    count = 0;
    sorted = true;
  }

  int count() {
    return count;
  }

  int start(int i) {
    return starts[i];
  }

  int end(int i) {
    return ends[i];
  }

  MaskStrategy strategy(int i) {
    return strategies[i];
  }

  void add(int start, int end, MaskStrategy strategy) {
    if (count == starts.length) {
      int n = count * 2;
      starts = Arrays.copyOf(starts, n);
      ends = Arrays.copyOf(ends, n);
      strategies = Arrays.copyOf(strategies, n);
    }
    if (count > 0 && start < starts[count - 1]) {
      sorted = false;
    }
    starts[count] = start;
    ends[count] = end;
    strategies[count] = strategy;
    count++;
  }

  void group(int index, int start, int end) {
    if (index == groupStarts.length) {
      groupStarts = Arrays.copyOf(groupStarts, index * 2);
      groupEnds = Arrays.copyOf(groupEnds, index * 2);
    }
    groupStarts[index] = start;
    groupEnds[index] = end;
  }

  /** Whether any span, after {@link #sortAndMerge}, asks for the whole value to become NULL. */
  boolean anyNull() {
    for (int i = 0; i < count; i++) {
      if (strategies[i] == MaskStrategy.NULL) {
        return true;
      }
    }
    return false;
  }

  /** Orders spans by start and merges overlapping ones under the stricter strategy. */
  void sortAndMerge() {
    if (count < 2) {
      return;
    }
    if (!sorted) {
      // Several detectors found spans: sort (start, index) pairs, O(n log n) even when adversarial.
      long[] keys = new long[count];
      for (int i = 0; i < count; i++) {
        keys[i] = ((long) starts[i] << 32) | i;
      }
      Arrays.sort(keys);
      int[] s = new int[count];
      int[] e = new int[count];
      MaskStrategy[] st = new MaskStrategy[count];
      for (int i = 0; i < count; i++) {
        int from = (int) keys[i];
        s[i] = starts[from];
        e[i] = ends[from];
        st[i] = strategies[from];
      }
      System.arraycopy(s, 0, starts, 0, count);
      System.arraycopy(e, 0, ends, 0, count);
      System.arraycopy(st, 0, strategies, 0, count);
      sorted = true;
    }
    int w = 0;
    for (int r = 0; r < count; r++) {
      if (w > 0 && starts[r] < ends[w - 1]) {
        ends[w - 1] = Math.max(ends[w - 1], ends[r]);
        strategies[w - 1] = MaskStrategy.stricter(strategies[w - 1], strategies[r]);
      } else {
        starts[w] = starts[r];
        ends[w] = ends[r];
        strategies[w] = strategies[r];
        w++;
      }
    }
    count = w;
  }
}
