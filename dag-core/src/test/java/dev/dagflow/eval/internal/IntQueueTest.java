package dev.dagflow.eval.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IntQueueTest {

  @Test
  void staysFirstInFirstOutThroughGrowthAndCompaction() {
    long seed = 42;
    SplittableRandom random = new SplittableRandom(seed);
    IntQueue queue = new IntQueue();
    ArrayDeque<Integer> expected = new ArrayDeque<>();
    int next = 0;
    for (int step = 0; step < 200_000; step++) {
      if (random.nextInt(3) > 0 || expected.isEmpty()) {
        queue.add(next);
        expected.add(next++);
      } else {
        assertThat(queue.poll()).as("seed %d, step %d", seed, step).isEqualTo(expected.poll());
      }
      assertThat(queue.isEmpty()).isEqualTo(expected.isEmpty());
    }
    while (!expected.isEmpty()) {
      assertThat(queue.poll()).isEqualTo(expected.poll());
    }
    assertThat(queue.isEmpty()).isTrue();
  }
}
