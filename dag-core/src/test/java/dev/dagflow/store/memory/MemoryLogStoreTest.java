package dev.dagflow.store.memory;

import dev.dagflow.store.LogStore;
import dev.dagflow.store.contract.LogStoreContract;

class MemoryLogStoreTest extends LogStoreContract {
  @Override
  protected LogStore newStore() {
    return new MemoryLogStore();
  }
}
