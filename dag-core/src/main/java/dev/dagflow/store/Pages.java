package dev.dagflow.store;

import java.util.ArrayList;
import java.util.List;

/** Reads a paged listing whole, for the default methods of the SPIs. */
final class Pages {
  /** The page size of a whole read. */
  static final int SIZE = 1_000;

  private Pages() {
  }

  /** One page: up to {@code limit} items after the first {@code skip}. */
  @FunctionalInterface
  interface Reader<T> {
    List<T> read(long skip, int limit);
  }

  /** Every item, read page by page until a page comes back short. */
  static <T> List<T> all(Reader<T> reader) {
    List<T> all = new ArrayList<>();
    while (true) {
      List<T> page = reader.read(all.size(), SIZE);
      all.addAll(page);
      if (page.size() < SIZE) {
        return List.copyOf(all);
      }
    }
  }
}
