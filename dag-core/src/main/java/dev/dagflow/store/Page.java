package dev.dagflow.store;

import java.util.List;
import java.util.Objects;

/**
 * One page of a listing.
 *
 * @param items this page's items, unmodifiable
 * @param page the page number, from 0
 * @param size the page size asked for
 * @param total how many items match in all
 */
public record Page<T>(List<T> items, int page, int size, long total) {
  public Page {
    items = List.copyOf(Objects.requireNonNull(items, "items"));
  }

  /** Whether a page follows this one. */
  public boolean hasNext() {
    return (long) (page + 1) * size < total;
  }
}
