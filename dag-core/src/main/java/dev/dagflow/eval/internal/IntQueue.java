package dev.dagflow.eval.internal;

import java.util.Arrays;

/** A growable FIFO of ints without boxing: the nodes that ended and still have to propagate. */
final class IntQueue {
  private int[] items = new int[64];
  private int head;
  private int tail;

  void add(int value) {
    if (tail == items.length) {
      // Compact only when at least half is free; else grow, so each add stays O(1) amortised.
      if (head >= items.length / 2) {
        System.arraycopy(items, head, items, 0, tail - head);
        tail -= head;
        head = 0;
      } else {
        items = Arrays.copyOf(items, items.length * 2);
      }
    }
    items[tail++] = value;
  }

  boolean isEmpty() {
    return head == tail;
  }

  /** The oldest value; the queue must not be empty. */
  int poll() {
    int value = items[head++];
    if (head == tail) {
      head = 0;
      tail = 0;
    }
    return value;
  }
}
