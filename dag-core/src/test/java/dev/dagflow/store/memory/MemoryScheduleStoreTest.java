package dev.dagflow.store.memory;

import dev.dagflow.store.ScheduleStore;
import dev.dagflow.store.contract.ScheduleStoreContract;

class MemoryScheduleStoreTest extends ScheduleStoreContract {
  @Override
  protected ScheduleStore newStore() {
    return new MemoryScheduleStore();
  }
}
