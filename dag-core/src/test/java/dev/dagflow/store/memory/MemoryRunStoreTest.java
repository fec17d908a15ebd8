package dev.dagflow.store.memory;

import dev.dagflow.store.RunStore;
import dev.dagflow.store.contract.RunStoreContract;
import java.time.InstantSource;

class MemoryRunStoreTest extends RunStoreContract {
  @Override
  protected RunStore newStore() {
    return new MemoryRunStore(InstantSource.system());
  }
}
