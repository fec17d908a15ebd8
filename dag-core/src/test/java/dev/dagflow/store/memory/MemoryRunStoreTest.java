package dev.dagflow.store.memory;

import dev.dagflow.store.RunStore;
import dev.dagflow.store.contract.RunStoreContract;

class MemoryRunStoreTest extends RunStoreContract {
  @Override
  protected RunStore newStore() {
    return new MemoryRunStore();
  }
}
