package dev.dagflow.store.memory;

import dev.dagflow.store.TriggerStore;
import dev.dagflow.store.contract.TriggerStoreContract;
import java.time.InstantSource;

class MemoryTriggerStoreTest extends TriggerStoreContract {
  @Override
  protected TriggerStore newStore() {
    return new MemoryTriggerStore(InstantSource.system());
  }
}
